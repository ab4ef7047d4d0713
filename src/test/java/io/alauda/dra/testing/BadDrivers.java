package io.alauda.dra.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.List;

/**
 * NvidiaDraDriver objects the operator cannot read as its Java types: what a CRD of another version (a downgrade, an
 * object stored under a newer CRD) lets through the API server. Each names the field the operator's condition must
 * name, and a word of the fix. They are written as raw JSON, because the Java types cannot even hold them.
 */
public final class BadDrivers {

    /**
     * @param plainReadFails whether the Java types, read as the operator's client reads them without the tolerant read,
     *     fail on it: those ended the operator's watch. The others read, but into something else than was written (an enum
     *     by its position, a fraction cut to a whole number, nulls the operator then trips over).
     */
    public record Entry(String id, String spec, String field, String fix, boolean plainReadFails) {
        Entry(String id, String spec, String field, String fix) {
            this(id, spec, field, fix, true);
        }

        @Override
        public String toString() {
            return id;
        }
    }

    public static final List<Entry> CATALOGUE = List.of(
            // unknown enum values, one per enum field
            new Entry("enum-log-level", "{\"logLevel\":\"VERBOSE\"}", "spec.logLevel", "INFO"),
            new Entry("enum-pull-policy", "{\"image\":{\"pullPolicy\":\"Sometimes\"}}", "spec.image.pullPolicy", "IfNotPresent"),
            new Entry("enum-update-strategy", "{\"kubeletPlugin\":{\"updateStrategy\":{\"type\":\"Recreate\"}}}",
                    "spec.kubeletPlugin.updateStrategy.type", "RollingUpdate"),
            new Entry("enum-resource-api", "{\"resourceApiVersion\":\"v2\"}", "spec.resourceApiVersion", "v1beta2"),
            new Entry("enum-as-number", "{\"logLevel\":3}", "spec.logLevel", "TRACE", false),
            // numbers that do not fit
            new Entry("int-overflow-replicas", "{\"controller\":{\"replicas\":99999999999}}", "spec.controller.replicas", "from 0 to 5"),
            new Entry("int-overflow-port", "{\"kubeletPlugin\":{\"healthcheckPort\":4294967296}}", "spec.kubeletPlugin.healthcheckPort",
                    "from 1 to 65535"),
            new Entry("fraction-for-int", "{\"metrics\":{\"port\":8080.5}}", "spec.metrics.port", "whole number", false),
            // wrong JSON types for object, map, list, string, integer and boolean fields
            new Entry("string-for-object", "{\"image\":\"nvcr.io/nvidia/k8s-dra-driver-gpu:v25.8.0\"}", "spec.image", "an object"),
            new Entry("list-for-map", "{\"nodeSelector\":[\"nvidia-device-enable=pgpu-dra\"]}", "spec.nodeSelector", "key: value"),
            new Entry("object-for-list", "{\"tolerations\":{\"key\":\"nvidia.com/gpu\"}}", "spec.tolerations", "a list"),
            new Entry("object-for-string", "{\"driverRoot\":{\"path\":\"/run/nvidia/driver\"}}", "spec.driverRoot", "a string"),
            new Entry("string-for-int", "{\"controller\":{\"replicas\":\"two\"}}", "spec.controller.replicas", "whole number"),
            new Entry("string-for-bool", "{\"deviceClasses\":{\"gpu\":{\"enabled\":\"yes\"}}}", "spec.deviceClasses.gpu.enabled",
                    "true or false"),
            new Entry("string-for-bool-in-map", "{\"featureGates\":{\"DynamicMIG\":\"on\"}}", "spec.featureGates.DynamicMIG",
                    "true or false"),
            new Entry("null-list-entry", "{\"image\":{\"pullSecrets\":[null]}}", "spec.image.pullSecrets[0]", "remove", false),
            // fields this version does not know, at several depths
            new Entry("unknown-field", "{\"gpuSharing\":{\"strategy\":\"MPS\"}}", "spec.gpuSharing", "remove it"),
            new Entry("unknown-nested-field", "{\"kubeletPlugin\":{\"priority\":5}}", "spec.kubeletPlugin.priority", "remove it"),
            new Entry("unknown-deep-field", "{\"metrics\":{\"serviceMonitor\":{\"scrapeTimeout\":\"10s\"}}}",
                    "spec.metrics.serviceMonitor.scrapeTimeout", "remove it"),
            // a spec that is not an object at all
            new Entry("spec-not-an-object", "\"gpu\"", "spec must be an object", "spec: {}"),
            new Entry("spec-null", "null", "spec is null", "spec: {}", false));

    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder().withGroup("dra.alauda.io")
            .withVersion("v1alpha1").withPlural("nvidiadradrivers").withKind("NvidiaDraDriver").withNamespaced(false).build();

    private BadDrivers() {
    }

    /** The NvidiaDraDriver {@code name} with the raw {@code spec} (any JSON), as kubectl would send it. */
    public static GenericKubernetesResource object(String name, String specJson) {
        return Serialization.unmarshal("{\"apiVersion\":\"dra.alauda.io/v1alpha1\",\"kind\":\"NvidiaDraDriver\","
                + "\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + specJson + "}", GenericKubernetesResource.class);
    }

    /** NvidiaDraDrivers as raw objects: reads that do not depend on the operator's Java types. */
    public static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> raw(
            KubernetesClient client) {
        return client.genericKubernetesResources(CONTEXT);
    }

    /** The condition of {@code type} in a raw object's status, or null. */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Object> condition(GenericKubernetesResource object, String type) {
        if (object == null || !(object.getAdditionalProperties().get("status") instanceof java.util.Map<?, ?> status)) {
            return null;
        }
        if (!(status.get("conditions") instanceof List<?> conditions)) {
            return null;
        }
        return conditions.stream().filter(c -> c instanceof java.util.Map<?, ?> m && type.equals(m.get("type")))
                .map(c -> (java.util.Map<String, Object>) c).findFirst().orElse(null);
    }
}
