package io.alauda.dra.operator.resources;

import io.alauda.dra.api.v1alpha1.FeatureGates;
import io.alauda.dra.api.v1alpha1.KubeletPluginSpec;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriverSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategyBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.alauda.dra.operator.resources.PodParts.env;
import static io.alauda.dra.operator.resources.PodParts.fieldRef;

/** The kubelet-plugin DaemonSet: one plugin per selected GPU node, none on nodes another GPU stack owns. */
public final class KubeletPluginDaemonSet {

    static final String CONTAINER = "kubelet-plugin";
    static final String HEALTH_SERVICE = "liveness";

    private KubeletPluginDaemonSet() {
    }

    public static DaemonSet desired(InstallContext ctx) {
        NvidiaDraDriverSpec spec = ctx.spec();
        Map<String, String> selector = Labels.selector(Labels.COMPONENT_KUBELET_PLUGIN);
        Map<String, String> podLabels = new LinkedHashMap<>(Labels.of(ctx.owner(), Labels.COMPONENT_KUBELET_PLUGIN));
        return new DaemonSetBuilder()
                .withMetadata(ctx.meta(Names.KUBELET_PLUGIN, ctx.namespace(), Labels.COMPONENT_KUBELET_PLUGIN))
                .withNewSpec()
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withUpdateStrategy(updateStrategy(spec.kubeletPlugin.updateStrategy))
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec()
                .withServiceAccountName(Names.kubeletPluginServiceAccount())
                .withPriorityClassName(emptyToNull(spec.priorityClassName))
                .withNodeSelector(new TreeMap<>(spec.nodeSelector))
                .withAffinity(excludeConflictingNodes(spec.conflictingNodeLabels))
                .withTolerations(spec.tolerations)
                .withImagePullSecrets(PodParts.pullSecrets(ctx))
                .withContainers(container(ctx))
                .withVolumes(volumes(spec))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(InstallContext ctx) {
        NvidiaDraDriverSpec spec = ctx.spec();
        int healthPort = spec.kubeletPlugin.healthcheckPort;
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(ctx.image())
                .withImagePullPolicy(spec.image.pullPolicy.name())
                .withArgs("kubelet-plugin")
                .withEnv(environment(ctx))
                .addNewPort().withName("metrics").withContainerPort(spec.metrics.port).withProtocol("TCP").endPort()
                .addNewPort().withName("healthz").withContainerPort(healthPort).withProtocol("TCP").endPort()
                .withStartupProbe(grpcProbe(healthPort, 2, 150))
                .withLivenessProbe(grpcProbe(healthPort, 30, 3))
                .withResources(resources(spec))
                .withNewSecurityContext()
                // Privileged: NVML opens /dev/nvidia*, /dev/nvidiactl and /dev/nvidia-caps/*, which the container's
                // device cgroup only allows when privileged; there is no narrower pod-level switch for device access.
                .withPrivileged(true)
                // Root: kubelet's plugin and registration directories and the CDI directory are root-owned on the host,
                // and the plugin creates its sockets, checkpoint and CDI specs there.
                .withRunAsUser(0L)
                // Nothing is written to the image: state lives in hostPath directories and scratch in an emptyDir.
                .withReadOnlyRootFilesystem(true)
                .endSecurityContext()
                .withVolumeMounts(mounts(spec, FeatureGates.on(spec.featureGates, FeatureGates.MPS_SUPPORT)))
                .build();
    }

    private static ResourceRequirements resources(NvidiaDraDriverSpec spec) {
        return PodParts.resources(spec.kubeletPlugin.resources, "50m", "192Mi");
    }

    private static List<EnvVar> environment(InstallContext ctx) {
        NvidiaDraDriverSpec spec = ctx.spec();
        List<EnvVar> env = new ArrayList<>();
        env.add(env(PluginEnv.ROLE, "kubelet-plugin"));
        env.add(fieldRef(PluginEnv.NODE_NAME, "spec.nodeName"));
        env.addAll(PodParts.podIdentity());
        env.add(env(PluginEnv.NVIDIA_DRIVER_ROOT, spec.driverRoot));
        env.add(env(PluginEnv.CONTAINER_DRIVER_ROOT, PluginEnv.CONTAINER_DRIVER_ROOT_PATH));
        env.add(env(PluginEnv.CDI_ROOT, spec.cdiRoot));
        env.add(env(PluginEnv.CONTAINERD_CONFIG_DIR, PluginEnv.CONTAINERD_CONFIG_PATH));
        env.add(env(PluginEnv.KUBELET_PLUGINS_DIR, spec.kubeletPluginsDir));
        env.add(env(PluginEnv.KUBELET_REGISTRAR_DIR, spec.kubeletRegistrarDir));
        env.add(env(PluginEnv.HEALTHCHECK_PORT, Integer.toString(spec.kubeletPlugin.healthcheckPort)));
        env.add(env(PluginEnv.IMAGE_NAME, ctx.image()));
        if (spec.cdiHookPath != null && !spec.cdiHookPath.isEmpty()) {
            env.add(env(PluginEnv.CDI_HOOK_PATH, spec.cdiHookPath));
        }
        String featureGates = FeatureGates.render(spec.featureGates);
        if (!featureGates.isEmpty()) {
            // an empty value is dropped by the API server, so writing one would read back as a change for ever
            env.add(env(PluginEnv.FEATURE_GATES, featureGates));
        }
        env.add(env(PluginEnv.RESOURCE_API_VERSION, spec.resourceApiVersion.value()));
        // Keeps the legacy NVIDIA runtime hook from injecting every GPU into the plugin's own container.
        env.add(env(PluginEnv.NVIDIA_VISIBLE_DEVICES, "void"));
        env.add(env(PluginEnv.HTTP_PORT, Integer.toString(spec.metrics.port)));
        env.add(env(PluginEnv.LOG_LEVEL, PodParts.logLevel(ctx)));
        PodParts.jdkJavaOptions(resources(spec), spec.kubeletPlugin.env, FOOTPRINT_JVM_OPTIONS).ifPresent(env::add);
        env.addAll(spec.kubeletPlugin.env);
        return env;
    }

    private static Probe grpcProbe(int port, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewGrpc().withPort(port).withService(HEALTH_SERVICE).endGrpc()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(10)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /**
     * A node agent that idles between claims: only the client compiler (no C2 threads or their memory, a smaller code
     * cache) and a heap that gives back what it does not use. About 35 MiB less resident memory with no slower
     * prepare on the test machine (docs/benchmarks.md, "Plugin footprint"). The heap starts at the 24 MiB it holds
     * once claims have been prepared: grown from the JVM's few MiB under those free ratios, the start took some 50
     * collections, a quarter of a second of them full ones (docs/benchmarks.md, "Initial heap").
     */
    static final List<String> FOOTPRINT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=24m",
            "-XX:MaxHeapFreeRatio=20", "-XX:MinHeapFreeRatio=5", "-Xms24m");

    static final String HOST_CONTAINERD_CONFIG = "/etc/containerd";

    private static List<VolumeMount> mounts(NvidiaDraDriverSpec spec, boolean mps) {
        return List.of(
                // Kubelet dials the sockets by the path the plugin registers, so the paths are the same inside and out.
                mount("plugins-registry", spec.kubeletRegistrarDir, null, false),
                // With MPS the plugin mounts a tmpfs per daemon under it, which the daemon and the workloads must see.
                mount("plugins", spec.kubeletPluginsDir, mps ? "Bidirectional" : null, false),
                mount("cdi", spec.cdiRoot, null, false),
                // A driver container may mount the driver after the plugin started: HostToContainer makes it visible.
                mount("driver-root", PluginEnv.CONTAINER_DRIVER_ROOT_PATH, "HostToContainer", true),
                // Read for the node check that containerd has CDI enabled; never written, never logged.
                mount("containerd-config", PluginEnv.CONTAINERD_CONFIG_PATH, null, true),
                PodParts.tmpMount());
    }

    private static VolumeMount mount(String name, String path, String propagation, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withMountPropagation(propagation)
                .withReadOnly(readOnly ? Boolean.TRUE : null).build();
    }

    private static List<Volume> volumes(NvidiaDraDriverSpec spec) {
        return List.of(
                hostPath("plugins-registry", spec.kubeletRegistrarDir),
                hostPath("plugins", spec.kubeletPluginsDir),
                hostPath("cdi", spec.cdiRoot),
                hostPath("driver-root", spec.driverRoot),
                // No type: nothing is created on a node whose runtime keeps no /etc/containerd.
                new VolumeBuilder().withName("containerd-config").withNewHostPath().withPath(HOST_CONTAINERD_CONFIG)
                        .withType("").endHostPath().build(),
                PodParts.tmpVolume());
    }

    private static Volume hostPath(String name, String path) {
        return new VolumeBuilder().withName(name).withNewHostPath().withPath(path).withType("DirectoryOrCreate").endHostPath().build();
    }

    /** Required node affinity: every conflicting label is a NotIn term, so such nodes never get a plugin pod. */
    static Affinity excludeConflictingNodes(Map<String, String> conflicting) {
        if (conflicting == null || conflicting.isEmpty()) {
            return null;
        }
        List<NodeSelectorRequirement> expressions = new TreeMap<>(conflicting).entrySet().stream()
                .map(e -> new NodeSelectorRequirementBuilder().withKey(e.getKey()).withOperator("NotIn").withValues(e.getValue()).build())
                .toList();
        return new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().withMatchExpressions(expressions).endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
    }

    private static DaemonSetUpdateStrategy updateStrategy(KubeletPluginSpec.UpdateStrategy strategy) {
        if (strategy.type == KubeletPluginSpec.UpdateStrategy.Type.OnDelete) {
            return new DaemonSetUpdateStrategyBuilder().withType("OnDelete").build();
        }
        String maxUnavailable = strategy.maxUnavailable == null ? io.alauda.dra.api.v1alpha1.Defaults.MAX_UNAVAILABLE : strategy.maxUnavailable;
        // maxSurge 0: a node never runs an old and a new plugin at once; both would serve the same sockets.
        return new DaemonSetUpdateStrategyBuilder().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(intOrString(maxUnavailable)).withMaxSurge(new IntOrString(0)).endRollingUpdate().build();
    }

    static IntOrString intOrString(String value) {
        return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
