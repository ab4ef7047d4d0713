package io.alauda.dra.plugin.sharing;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Deployment that runs one MPS control daemon, shaped like upstream's template: pinned to this node by
 * {@code nodeName}, host PID namespace, privileged, the plugin's own image, {@code nvidia-cuda-mps-control -d} run
 * chrooted into the driver root (or from it, where the root has no shell), the default limits set once it is up,
 * and a startup probe that reads the file the script writes when all that is done.
 */
public final class MpsDeploymentBuilder {

    public static final String NAME_PREFIX = "mps-control-daemon-";
    /** Marks the Deployments of this driver's daemons; the node name is matched on the pod template, not a label. */
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    public static final String COMPONENT = "mps-control-daemon";
    public static final String ID_LABEL = "gpu.nvidia.com/mps-control-daemon-id";
    static final String DRIVER_ROOT = "/driver-root";

    private final String namespace;
    private final String nodeName;
    private final String image;
    private final String hostDriverRoot;
    private final boolean driverRootHasShm;

    /**
     * @param hostDriverRoot   the driver root on the host, mounted into the daemon at {@code /driver-root}
     * @param driverRootHasShm whether the driver root has {@code dev/shm}: the chrooted daemon needs its shared memory
     *                         there; otherwise at {@code /dev/shm} (upstream decides the same way)
     */
    public MpsDeploymentBuilder(String namespace, String nodeName, String image, String hostDriverRoot,
                                boolean driverRootHasShm) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.image = Objects.requireNonNull(image, "image");
        this.hostDriverRoot = Objects.requireNonNull(hostDriverRoot, "hostDriverRoot");
        this.driverRootHasShm = driverRootHasShm;
    }

    public static String name(String id) {
        return NAME_PREFIX + MpsDaemonIds.requireValid(id);
    }

    public Deployment build(MpsDaemonSpec spec) {
        String name = name(spec.id());
        Map<String, String> labels = Map.of("app", name, COMPONENT_LABEL, COMPONENT, ID_LABEL, spec.id());
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withNodeName(nodeName)
                .withHostPID(true)
                .withAutomountServiceAccountToken(false)
                // Pinned by nodeName, so no scheduler; tolerate every taint so that the daemon stays while its
                // clients run on a node that got tainted meanwhile.
                .addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer()
                .withName(COMPONENT)
                .withImage(image)
                .withNewSecurityContext().withPrivileged(true).endSecurityContext()
                .withCommand("sh", "-c")
                .withArgs(script(spec))
                .withNewStartupProbe()
                .withNewExec().withCommand("cat", DRIVER_ROOT + "/var/log/nvidia-mps/startup.log").endExec()
                .withInitialDelaySeconds(1).withPeriodSeconds(1).withFailureThreshold(120)
                .endStartupProbe()
                .withEnv(new EnvVar("CUDA_VISIBLE_DEVICES", String.join(",", spec.deviceUuids()), null))
                .withVolumeMounts(
                        new VolumeMountBuilder().withName("driver-root").withMountPath(DRIVER_ROOT).build(),
                        new VolumeMountBuilder().withName("mps-shm").withMountPath(
                                driverRootHasShm ? DRIVER_ROOT + "/dev/shm" : "/dev/shm").build(),
                        new VolumeMountBuilder().withName("mps-pipe").withMountPath(DRIVER_ROOT + "/tmp/nvidia-mps")
                                .build(),
                        new VolumeMountBuilder().withName("mps-log").withMountPath(DRIVER_ROOT + "/var/log/nvidia-mps")
                                .build())
                .endContainer()
                .withVolumes(
                        hostPath("driver-root", hostDriverRoot),
                        hostPath("mps-shm", spec.dirs().shm().toString()),
                        hostPath("mps-pipe", spec.dirs().pipe().toString()),
                        hostPath("mps-log", spec.dirs().log().toString()))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * Upstream's script. Every value put into it is a UUID, a whole number or an {@code <n>M} limit, checked where
     * it is made, so nothing from a claim reaches the shell as text.
     */
    static String script(MpsDaemonSpec spec) {
        List<String> lines = new ArrayList<>();
        lines.add("set -e");
        lines.add("rm -f " + DRIVER_ROOT + "/var/log/nvidia-mps/startup.log");
        lines.add("if [ -x " + DRIVER_ROOT + "/bin/sh ] || [ -x " + DRIVER_ROOT + "/usr/bin/sh ]; then");
        lines.add("  RUN=\"chroot " + DRIVER_ROOT + " sh -c\"");
        lines.add("else");
        lines.add("  export PATH=\"" + DRIVER_ROOT + "/usr/bin:" + DRIVER_ROOT + "/bin:" + DRIVER_ROOT
                + "/usr/local/bin:$PATH\"");
        lines.add("  export LD_LIBRARY_PATH=\"" + DRIVER_ROOT + "/lib64:" + DRIVER_ROOT + "/lib:" + DRIVER_ROOT
                + "/usr/lib64:" + DRIVER_ROOT + "/usr/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\"");
        lines.add("  RUN=\"sh -c\"");
        lines.add("  export CUDA_MPS_PIPE_DIRECTORY=" + DRIVER_ROOT + "/tmp/nvidia-mps");
        lines.add("  export CUDA_MPS_LOG_DIRECTORY=" + DRIVER_ROOT + "/var/log/nvidia-mps");
        lines.add("fi");
        lines.add("$RUN \"nvidia-cuda-mps-control -d" + (spec.multiUser() ? " -M" : "") + "\"");
        if (spec.activeThreadPercentage() != null) {
            int percentage = spec.activeThreadPercentage();
            if (percentage < 0 || percentage > 100) {
                throw new IllegalArgumentException("active thread percentage " + percentage + " is not 0 to 100");
            }
            lines.add("$RUN \"echo set_default_active_thread_percentage " + percentage + " | nvidia-cuda-mps-control\"");
        }
        spec.pinnedMemoryLimits().forEach((uuid, limit) -> {
            if (!uuid.matches("(GPU|MIG)-[0-9A-Za-z-]{1,64}") || !limit.matches("[0-9]{1,19}M")) {
                throw new IllegalArgumentException("pinned memory limit " + uuid + "=" + limit + " is not a UUID and"
                        + " <n>M");
            }
            lines.add("$RUN \"echo set_default_device_pinned_mem_limit " + uuid + " " + limit
                    + " | nvidia-cuda-mps-control\"");
        });
        lines.add("echo \"startup complete\" > " + DRIVER_ROOT + "/var/log/nvidia-mps/startup.log");
        lines.add("tail -n +1 -f " + DRIVER_ROOT + "/var/log/nvidia-mps/control.log");
        return String.join("\n", lines) + "\n";
    }

    private static io.fabric8.kubernetes.api.model.Volume hostPath(String name, String path) {
        return new VolumeBuilder().withName(name).withNewHostPath().withPath(path).endHostPath().build();
    }

    public String namespace() {
        return namespace;
    }

    public String nodeName() {
        return nodeName;
    }
}
