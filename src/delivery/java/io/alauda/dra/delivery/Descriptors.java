package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.SpecDescriptor;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.SpecDescriptorBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StatusDescriptor;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StatusDescriptorBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSV's spec and status descriptors: which fields the OLM console shows, and with which widget
 * (x-descriptors). Paths and labels live here; every description is taken from the CRD schema, so it says what
 * {@code kubectl explain} says, and a path the CRD does not have stops the generation.
 */
public final class Descriptors {

    static final String UI = "urn:alm:descriptor:com.tectonic.ui:";
    static final String TEXT = UI + "text";
    static final String NUMBER = UI + "number";
    static final String SWITCH = UI + "booleanSwitch";
    static final String ADVANCED = UI + "advanced";
    static final String RESOURCES = UI + "resourceRequirements";
    static final String POD_COUNT = UI + "podCount";
    static final String IMAGE_PULL_POLICY = UI + "imagePullPolicy";
    static final String NAMESPACE = "urn:alm:descriptor:io.kubernetes:Namespace";
    static final String CONDITIONS = "urn:alm:descriptor:io.kubernetes.conditions";
    static final String STATUS_TEXT = "urn:alm:descriptor:text";
    /** Placeholder for "one select option per enum value of this field's schema". */
    static final String SELECT_FROM_ENUM = "select-from-enum";

    private record Entry(String path, String displayName, List<String> xDescriptors) {
    }

    private static final List<Entry> SPEC = List.of(
            new Entry("namespace", "Driver namespace", List.of(NAMESPACE)),
            new Entry("driverRoot", "NVIDIA driver root", List.of(TEXT)),
            // A plain label map: the console's selector widget would write a LabelSelector (matchLabels) instead.
            new Entry("nodeSelector", "GPU node selector", List.of()),
            new Entry("conflictingNodeLabels", "Conflicting node labels", List.of(ADVANCED)),
            new Entry("image.repository", "Image repository", List.of(TEXT, ADVANCED)),
            new Entry("image.tag", "Image tag", List.of(TEXT, ADVANCED)),
            new Entry("image.pullPolicy", "Image pull policy", List.of(IMAGE_PULL_POLICY, ADVANCED)),
            new Entry("image.pullSecrets", "Image pull secrets", List.of(ADVANCED)),
            new Entry("logLevel", "Log level", List.of(SELECT_FROM_ENUM)),
            new Entry("cdiRoot", "CDI spec directory", List.of(TEXT, ADVANCED)),
            new Entry("kubeletPluginsDir", "Kubelet plugins directory", List.of(TEXT, ADVANCED)),
            new Entry("kubeletRegistrarDir", "Kubelet plugin registry directory", List.of(TEXT, ADVANCED)),
            new Entry("cdiHookPath", "nvidia-cdi-hook path", List.of(TEXT, ADVANCED)),
            new Entry("tolerations", "Kubelet plugin tolerations", List.of(ADVANCED)),
            new Entry("priorityClassName", "Kubelet plugin priority class", List.of(TEXT, ADVANCED)),
            new Entry("deviceClasses.gpu.enabled", "DeviceClass gpu.nvidia.com", List.of(SWITCH)),
            new Entry("deviceClasses.gpu.extendedResourceName", "Extended resource name", List.of(TEXT, ADVANCED)),
            new Entry("deviceClasses.mig.enabled", "DeviceClass mig.nvidia.com", List.of(SWITCH)),
            new Entry("featureGates", "Feature gates", List.of(ADVANCED)),
            new Entry("kubeletPlugin.resources", "Kubelet plugin resources", List.of(RESOURCES)),
            new Entry("kubeletPlugin.env", "Kubelet plugin environment", List.of(ADVANCED)),
            new Entry("kubeletPlugin.healthcheckPort", "Kubelet plugin health port", List.of(NUMBER, ADVANCED)),
            new Entry("kubeletPlugin.updateStrategy.type", "Kubelet plugin update strategy", List.of(SELECT_FROM_ENUM, ADVANCED)),
            new Entry("kubeletPlugin.updateStrategy.maxUnavailable", "Nodes without a plugin during an update", List.of(TEXT, ADVANCED)),
            new Entry("controller.replicas", "Controller replicas", List.of(POD_COUNT)),
            new Entry("controller.resources", "Controller resources", List.of(RESOURCES)),
            new Entry("metrics.enabled", "Metrics", List.of(SWITCH)),
            new Entry("metrics.port", "Metrics port", List.of(NUMBER, ADVANCED)),
            new Entry("metrics.serviceMonitor.enabled", "ServiceMonitor", List.of(SWITCH)),
            new Entry("metrics.serviceMonitor.interval", "Scrape interval", List.of(TEXT, ADVANCED)),
            new Entry("resourceApiVersion", "resource.k8s.io version", List.of(SELECT_FROM_ENUM, ADVANCED)));

    private static final List<Entry> STATUS = List.of(
            new Entry("conditions", "Conditions", List.of(CONDITIONS)),
            new Entry("nodes.summary", "GPU nodes ready / selected", List.of(STATUS_TEXT)),
            new Entry("nodes.conflictingNodes", "Nodes with conflicting labels", List.of(STATUS_TEXT)),
            new Entry("kubeletPlugin.ready", "Kubelet plugin pods ready", List.of(STATUS_TEXT)),
            new Entry("controller.ready", "Controller pods ready", List.of(STATUS_TEXT)),
            new Entry("kubernetesVersion", "Kubernetes version", List.of(STATUS_TEXT)),
            new Entry("resourceApiVersion", "resource.k8s.io version in use", List.of(STATUS_TEXT)),
            new Entry("namespace", "Driver namespace", List.of(NAMESPACE)),
            new Entry("observedGeneration", "Observed generation", List.of(STATUS_TEXT)));

    private Descriptors() {
    }

    public static List<SpecDescriptor> spec(JsonNode schema) {
        List<SpecDescriptor> result = new ArrayList<>();
        for (Entry e : SPEC) {
            JsonNode field = field(schema, "spec", e.path);
            result.add(new SpecDescriptorBuilder()
                    .withPath(e.path).withDisplayName(e.displayName).withDescription(description(field, "spec." + e.path))
                    .withXDescriptors(xDescriptors(e, field)).build());
        }
        return result;
    }

    public static List<StatusDescriptor> status(JsonNode schema) {
        List<StatusDescriptor> result = new ArrayList<>();
        for (Entry e : STATUS) {
            JsonNode field = field(schema, "status", e.path);
            result.add(new StatusDescriptorBuilder()
                    .withPath(e.path).withDisplayName(e.displayName).withDescription(description(field, "status." + e.path))
                    .withXDescriptors(xDescriptors(e, field)).build());
        }
        return result;
    }

    /** The schema of {@code <root>.<dotted path>}, or an exception naming the path the CRD lacks. */
    static JsonNode field(JsonNode schema, String root, String path) {
        JsonNode node = schema.path("properties").path(root);
        for (String segment : path.split("\\.")) {
            node = node.path("properties").path(segment);
            if (node.isMissingNode()) {
                throw new IllegalStateException("CSV descriptor " + root + "." + path + " names a field the CRD does not have");
            }
        }
        return node;
    }

    private static String description(JsonNode field, String where) {
        String text = field.path("description").asText("");
        if (text.isBlank()) {
            throw new IllegalStateException(where + " has no description in the CRD; give the Java field a @JsonPropertyDescription");
        }
        return text;
    }

    private static List<String> xDescriptors(Entry e, JsonNode field) {
        List<String> result = new ArrayList<>();
        for (String x : e.xDescriptors) {
            if (x.equals(SELECT_FROM_ENUM)) {
                if (!field.path("enum").isArray() || field.path("enum").isEmpty()) {
                    throw new IllegalStateException(e.path + " has no enum in the CRD to offer as a select");
                }
                field.path("enum").forEach(v -> result.add(UI + "select:" + v.asText()));
            } else {
                result.add(x);
            }
        }
        return result;
    }
}
