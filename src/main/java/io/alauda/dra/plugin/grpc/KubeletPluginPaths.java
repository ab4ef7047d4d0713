package io.alauda.dra.plugin.grpc;

import java.nio.file.Path;

/**
 * Where the plugin's files live on the node. Kubelet dials the DRA socket by the path we advertise, so these paths
 * must be the same inside the container and on the host (hostPath mounts at identical paths).
 *
 * @param pluginsDir   kubelet's plugins directory, {@code /var/lib/kubelet/plugins} by default
 * @param registrarDir kubelet's plugin-registration directory it watches, {@code /var/lib/kubelet/plugins_registry}
 */
public record KubeletPluginPaths(Path pluginsDir, Path registrarDir) {

    public static final String DRIVER_NAME = "gpu.nvidia.com";
    public static final Path DEFAULT_PLUGINS_DIR = Path.of("/var/lib/kubelet/plugins");
    public static final Path DEFAULT_REGISTRAR_DIR = Path.of("/var/lib/kubelet/plugins_registry");

    public KubeletPluginPaths {
        pluginsDir = absolute(pluginsDir, "pluginsDir");
        registrarDir = absolute(registrarDir, "registrarDir");
    }

    public static KubeletPluginPaths defaults() {
        return new KubeletPluginPaths(DEFAULT_PLUGINS_DIR, DEFAULT_REGISTRAR_DIR);
    }

    /** {@code <pluginsDir>/gpu.nvidia.com}: the DRA socket and the checkpoint. */
    public Path pluginDataDir() {
        return pluginsDir.resolve(DRIVER_NAME);
    }

    public Path draSocket() {
        return pluginDataDir().resolve("dra.sock");
    }

    /** {@code <registrarDir>/gpu.nvidia.com-reg.sock}: creating it registers the plugin, removing it deregisters. */
    public Path registrationSocket() {
        return registrarDir.resolve(DRIVER_NAME + "-reg.sock");
    }

    public Path checkpointFile() {
        return pluginDataDir().resolve("checkpoint.json");
    }

    private static Path absolute(Path dir, String field) {
        if (dir == null) {
            throw new IllegalArgumentException(field + " is not set; give kubelet's directory as an absolute path");
        }
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException(field + " '" + dir + "' is relative; kubelet dials the advertised socket"
                    + " path as is, so give an absolute path (e.g. " + DEFAULT_PLUGINS_DIR + ")");
        }
        return dir.normalize();
    }
}
