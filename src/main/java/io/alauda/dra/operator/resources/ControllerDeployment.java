package io.alauda.dra.operator.resources;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriverSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.util.ArrayList;
import java.util.List;

import static io.alauda.dra.operator.resources.PodParts.env;

/** The controller Deployment: cluster-wide allocation metrics and cleanup; needs no privilege at all. */
public final class ControllerDeployment {

    static final String CONTAINER = "controller";

    private ControllerDeployment() {
    }

    public static Deployment desired(InstallContext ctx) {
        NvidiaDraDriverSpec spec = ctx.spec();
        return new DeploymentBuilder()
                .withMetadata(ctx.meta(Names.CONTROLLER, ctx.namespace(), Labels.COMPONENT_CONTROLLER))
                .withNewSpec()
                .withReplicas(spec.controller.replicas)
                .withNewSelector().withMatchLabels(Labels.selector(Labels.COMPONENT_CONTROLLER)).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.of(ctx.owner(), Labels.COMPONENT_CONTROLLER)).endMetadata()
                .withNewSpec()
                .withServiceAccountName(Names.controllerServiceAccount())
                .withImagePullSecrets(PodParts.pullSecrets(ctx))
                .withTolerations(
                        new TolerationBuilder().withKey("CriticalAddonsOnly").withOperator("Exists").build(),
                        new TolerationBuilder().withKey("node-role.kubernetes.io/control-plane").withOperator("Exists")
                                .withEffect("NoSchedule").build())
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(ctx))
                .withVolumes(PodParts.tmpVolume())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(InstallContext ctx) {
        NvidiaDraDriverSpec spec = ctx.spec();
        int port = spec.metrics.port;
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(ctx.image())
                .withImagePullPolicy(spec.image.pullPolicy.name())
                .withArgs("controller")
                .withEnv(environment(ctx))
                .addNewPort().withName("metrics").withContainerPort(port).withProtocol("TCP").endPort()
                .withReadinessProbe(httpProbe("/q/health/ready", port))
                .withLivenessProbe(httpProbe("/q/health/live", port))
                .withResources(resources(spec))
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .withVolumeMounts(PodParts.tmpMount())
                .build();
    }

    private static ResourceRequirements resources(NvidiaDraDriverSpec spec) {
        return PodParts.resources(spec.controller.resources, "50m", "256Mi");
    }

    private static List<EnvVar> environment(InstallContext ctx) {
        NvidiaDraDriverSpec spec = ctx.spec();
        List<EnvVar> env = new ArrayList<>();
        env.add(env(PluginEnv.ROLE, "controller"));
        env.addAll(PodParts.podIdentity());
        env.add(env(PluginEnv.RESOURCE_API_VERSION, spec.resourceApiVersion.value()));
        env.add(env(PluginEnv.LEADER_ELECTION, Boolean.toString(spec.controller.replicas > 1)));
        env.add(env(PluginEnv.PLUGIN_NODE_SELECTOR, labelList(spec.nodeSelector)));
        String conflicting = labelList(spec.conflictingNodeLabels);
        env.add(env(PluginEnv.PLUGIN_CONFLICTING_NODE_LABELS, conflicting.isEmpty() ? "none" : conflicting));
        env.add(env(PluginEnv.HTTP_PORT, Integer.toString(spec.metrics.port)));
        env.add(env(PluginEnv.LOG_LEVEL, PodParts.logLevel(ctx)));
        PodParts.jvmMemoryCap(resources(spec), List.of()).ifPresent(env::add);
        return env;
    }

    private static String labelList(java.util.Map<String, String> labels) {
        return labels == null ? "" : new java.util.TreeMap<>(labels).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(","));
    }

    private static Probe httpProbe(String path, int port) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(port)).endHttpGet()
                .withPeriodSeconds(10).withTimeoutSeconds(5).withFailureThreshold(3).build();
    }
}
