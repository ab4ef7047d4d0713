package io.alauda.dra.realcluster;

import io.alauda.dra.testing.StubCdiHook;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One simulated GPU node's kubelet plugin: the packaged jar started with the environment of the DaemonSet pod the
 * real scheduler bound to that node (the operator's own env, downward-API fields resolved from the pod), a token
 * bound to that pod (so the API server sees the node name, as with kubelet's projected token), an NVML replay in
 * place of the GPU, and the host paths moved under a directory of this node.
 */
public final class PluginNode implements AutoCloseable {

    private final String node;
    private final String podName;
    private final Path root;
    private final ChildProcess process;

    private PluginNode(String node, String podName, Path root, ChildProcess process) {
        this.node = node;
        this.podName = podName;
        this.root = root;
        this.process = process;
    }

    public static PluginNode start(ControlPlane plane, Pod pod, Path nvmlRecording) throws IOException {
        return start(plane, pod, nvmlRecording, Map.of());
    }

    /** @param moreEnv further settings of the plugin role, e.g. {@code DRA_PLUGIN_CONTAINERD_CONFIG_DIR} */
    public static PluginNode start(ControlPlane plane, Pod pod, Path nvmlRecording, Map<String, String> moreEnv) throws IOException {
        String node = pod.getSpec().getNodeName();
        // /tmp keeps socket paths under the 108-byte limit of a Unix socket address.
        Path root = Files.createTempDirectory("dra-node-" + node + "-");
        Path driverRoot = StubDriverRoot.create(root.resolve("driver-root"), nvmlRecording);
        Map<String, String> env = new HashMap<>(KubeletEnv.of(pod));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(ControlPlane.freePort())); // every node's plugin shares this machine
        env.put("NVIDIA_DRIVER_ROOT", driverRoot.toString());
        env.put("DRIVER_ROOT_CTR_PATH", driverRoot.toString());
        env.put("CDI_ROOT", root.resolve("cdi").toString());
        env.put("KUBELET_PLUGINS_DIRECTORY_PATH", root.resolve("plugins").toString());
        env.put("KUBELET_REGISTRAR_DIRECTORY_PATH", root.resolve("registry").toString());
        env.put("HEALTHCHECK_PORT", Integer.toString(ControlPlane.freePort()));
        env.put("NVML_RECORDING", nvmlRecording.toAbsolutePath().toString());
        env.put("IMAGE_CDI_HOOK", StubCdiHook.create(root.resolve("image")).toString());
        env.putAll(moreEnv);
        Path kubeconfig = plane.serviceAccountKubeconfig(pod.getMetadata().getNamespace(), pod.getSpec().getServiceAccountName(),
                pod.getMetadata().getName());
        ChildProcess process = RoleProcess.start("kubelet-plugin-" + node, "kubelet-plugin", kubeconfig, env, plane.dir().resolve("logs"));
        return new PluginNode(node, pod.getMetadata().getName(), root, process);
    }

    /** The plugin pod the DaemonSet controller made for {@code node} and the scheduler bound there, if any yet. */
    public static Optional<Pod> podOn(KubernetesClient admin, String namespace, String daemonSet, String node) {
        return admin.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> node.equals(p.getSpec().getNodeName()))
                .filter(p -> p.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getKind().equals("DaemonSet")
                        && o.getName().equals(daemonSet)))
                .findFirst();
    }

    public String node() {
        return node;
    }

    /** The DaemonSet pod whose place this process takes. */
    public String podName() {
        return podName;
    }

    public ChildProcess process() {
        return process;
    }

    public Path root() {
        return root;
    }

    public Path cdiRoot() {
        return root.resolve("cdi");
    }

    public Path draSocket() {
        return root.resolve("plugins/gpu.nvidia.com/dra.sock");
    }

    public Path registrationSocket() {
        return root.resolve("registry/gpu.nvidia.com-reg.sock");
    }

    @Override
    public void close() {
        process.stop(10);
    }
}
