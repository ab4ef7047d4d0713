package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.operator.resources.DesiredState;
import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.operator.resources.ManagedObject;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.GroupVersionKindBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.APIResourceReference;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.APIResourceReferenceBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersionBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.CRDDescriptionBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.InstallMode;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.InstallModeBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentPermissionsBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentSpecBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ClusterServiceVersion, built as QOSDK's bundle generator would (that generator is not published for QOSDK
 * 7.7.x), plus what it leaves out: relatedImages, descriptors, namespaced permissions. Every part that could drift
 * comes from the build or the code: the CRD and its descriptions, the cluster rules, the operator Deployment, the
 * sample CR, the kinds the operator manages.
 */
public final class ClusterServiceVersions {

    public static final String DISPLAY_NAME = "NVIDIA DRA Driver Operator";
    public static final String CAPABILITIES = "Seamless Upgrades";
    public static final String CATEGORIES = "AI/Machine Learning";
    public static final String MIN_KUBE_VERSION = "1.32.0";
    public static final String MATURITY = "alpha";
    static final String SHORT_DESCRIPTION = "Installs and runs the NVIDIA Dynamic Resource Allocation driver for GPUs: "
            + "ResourceSlices, DeviceClasses gpu.nvidia.com and mig.nvidia.com, and GPUs in pods through CDI.";

    private ClusterServiceVersions() {
    }

    public static String name(String version) {
        return Install.PACKAGE + ".v" + version;
    }

    public static ClusterServiceVersion build(DeliveryConfig config, BuildOutput build) {
        Deployment deployment = OperatorDeployment.desired(config);
        OperatorPermissions permissions = new OperatorPermissions(build, config.version());
        ClusterServiceVersionBuilder csv = new ClusterServiceVersionBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withName(name(config.version()))
                        .withLabels(new TreeMap<>(Map.of(
                                "operatorframework.io/arch.amd64", "supported",
                                "operatorframework.io/os.linux", "supported")))
                        .withAnnotations(annotations(config))
                        .build())
                .withNewSpec()
                .withDisplayName(DISPLAY_NAME)
                .withDescription(read(config.root().resolve(Install.CSV_DESCRIPTION)))
                .withVersion(config.version())
                .withMinKubeVersion(MIN_KUBE_VERSION)
                .withMaturity(MATURITY)
                .withKeywords("gpu", "nvidia", "dra", "dynamic resource allocation", "cdi", "resourceclaim", "ai", "machine learning")
                .withNewProvider().withName("Alauda").withUrl("https://www.alauda.io").endProvider()
                .addNewMaintainer().withName("Alauda NVIDIA DRA driver maintainers").withEmail("nvidia-dra-driver@alauda.io").endMaintainer()
                .addNewLink().withName("Source code").withUrl("https://github.com/alauda/nvidia-dra-driver").endLink()
                .addNewLink().withName("Kubernetes Dynamic Resource Allocation")
                .withUrl("https://kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/").endLink()
                .addNewLink().withName("Upstream NVIDIA DRA driver for GPUs")
                .withUrl("https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu").endLink()
                .addNewIcon()
                .withBase64data(Base64.getEncoder().encodeToString(bytes(config.root().resolve(Install.ICON))))
                .withMediatype("image/svg+xml")
                .endIcon()
                .withInstallModes(installModes())
                .withNewCustomresourcedefinitions()
                .addToOwned(new CRDDescriptionBuilder()
                        .withName(BuildOutput.CRD_NAME)
                        .withVersion(build.storedVersion())
                        .withKind(build.kind())
                        .withDisplayName("NVIDIA DRA Driver")
                        .withDescription("One NvidiaDraDriver installs the NVIDIA DRA driver for GPUs on the cluster: the kubelet "
                                + "plugin on the selected GPU nodes, the controller, DeviceClasses, RBAC and an admission policy. "
                                + "Cluster-scoped; only the oldest one is active.")
                        .withResources(managedResources())
                        .withSpecDescriptors(Descriptors.spec(build.schema()))
                        .withStatusDescriptors(Descriptors.status(build.schema()))
                        .build())
                .endCustomresourcedefinitions()
                .withNativeAPIs(nativeApis())
                .withNewInstall()
                .withStrategy("deployment")
                .withNewSpec()
                .withClusterPermissions(new StrategyDeploymentPermissionsBuilder()
                        .withServiceAccountName(Install.SERVICE_ACCOUNT).withRules(permissions.clusterRules()).build())
                .withPermissions(new StrategyDeploymentPermissionsBuilder()
                        .withServiceAccountName(Install.SERVICE_ACCOUNT).withRules(permissions.namespaceRules()).build())
                .withDeployments(new StrategyDeploymentSpecBuilder()
                        .withName(deployment.getMetadata().getName())
                        .withLabel(deployment.getMetadata().getLabels())
                        .withSpec(deployment.getSpec())
                        .build())
                .endSpec()
                .endInstall()
                .addNewRelatedImage().withName(Install.RELATED_IMAGE_NAME).withImage(config.image()).endRelatedImage()
                .endSpec();
        if (!config.previousVersion().isEmpty()) {
            csv.editSpec().withReplaces(name(config.previousVersion())).endSpec();
        }
        return csv.build();
    }

    /**
     * Only AllNamespaces: the operator watches a cluster-scoped CR and installs cluster-scoped objects (DeviceClasses,
     * ClusterRoles, an admission policy) plus a namespace of the CR's choosing, so an OperatorGroup that targets some
     * namespaces could not confine it; OLM must install it once per cluster.
     */
    static List<InstallMode> installModes() {
        return List.of(
                new InstallModeBuilder().withType("OwnNamespace").withSupported(false).build(),
                new InstallModeBuilder().withType("SingleNamespace").withSupported(false).build(),
                new InstallModeBuilder().withType("MultiNamespace").withSupported(false).build(),
                new InstallModeBuilder().withType("AllNamespaces").withSupported(true).build());
    }

    private static Map<String, String> annotations(DeliveryConfig config) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("alm-examples", almExamples(config.root()));
        annotations.put("capabilities", CAPABILITIES);
        annotations.put("categories", CATEGORIES);
        annotations.put("containerImage", config.image());
        annotations.put("description", SHORT_DESCRIPTION);
        // Any earlier 0.x install upgrades straight to this version (docs/upgrade.md).
        annotations.put("olm.skipRange", "<" + config.version());
        annotations.put("operatorframework.io/suggested-namespace", Install.NAMESPACE);
        annotations.put("repository", "https://github.com/alauda/nvidia-dra-driver");
        annotations.put("support", "Alauda");
        return annotations;
    }

    /** The default sample CR (what docs/install.md applies), as OLM's JSON array of examples. */
    static String almExamples(Path root) {
        JsonNode sample = Yaml.parse(read(root.resolve(Install.SAMPLE)));
        ArrayNode examples = JsonNodeFactory.instance.arrayNode().add(sample);
        return Yaml.prettyJson(examples);
    }

    /** Every kind the operator creates for an NvidiaDraDriver, from the operator's own catalog. */
    static List<APIResourceReference> managedResources() {
        InstallContext ctx = new InstallContext(new NvidiaDraDriver(), "unused", "v1", true);
        Set<String> seen = new LinkedHashSet<>();
        List<APIResourceReference> result = new ArrayList<>();
        for (ManagedObject object : DesiredState.catalog()) {
            Class<? extends HasMetadata> type = object.typeFor(ctx);
            String kind = HasMetadata.getKind(type);
            String version = HasMetadata.getVersion(type);
            if (seen.add(kind + "/" + object.name())) {
                result.add(new APIResourceReferenceBuilder().withKind(kind).withName(object.name()).withVersion(version).build());
            }
        }
        // The driver namespace (spec.namespace, kube-system by default), created when missing.
        result.add(new APIResourceReferenceBuilder().withKind("Namespace").withName(io.alauda.dra.api.v1alpha1.Defaults.NAMESPACE).withVersion("v1").build());
        return result;
    }

    /**
     * The built-in APIs the operator needs, which OLM checks before installing. DeviceClass is left out on purpose:
     * its resource.k8s.io version differs between Kubernetes 1.32 and 1.34, and the operator finds the served one
     * itself (and says in status when there is none). ServiceMonitor is optional (created only when its CRD exists).
     */
    static List<GroupVersionKind> nativeApis() {
        InstallContext ctx = new InstallContext(new NvidiaDraDriver(), "unused", "v1", true);
        Map<String, GroupVersionKind> result = new TreeMap<>();
        for (ManagedObject object : DesiredState.catalog()) {
            Class<? extends HasMetadata> type = object.typeFor(ctx);
            String group = HasMetadata.getGroup(type);
            if (group.equals("resource.k8s.io") || group.equals("monitoring.coreos.com")) {
                continue;
            }
            String kind = HasMetadata.getKind(type);
            result.put(group + "/" + kind, new GroupVersionKindBuilder().withGroup(group).withVersion(HasMetadata.getVersion(type)).withKind(kind).build());
        }
        return List.copyOf(result.values());
    }

    static String read(Path file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
