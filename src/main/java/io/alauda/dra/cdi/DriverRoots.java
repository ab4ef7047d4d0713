package io.alauda.dra.cdi;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the driver's files are, seen from this process and from the host.
 *
 * @param driverRoot     the driver installation as this process sees it, e.g. {@code /driver-root} in the plugin
 *                       container (the host's {@code /}, {@code /run/nvidia/driver} or {@code /usr/local/nvidia})
 * @param hostDriverRoot the same directory as the host (and so the container runtime) sees it
 * @param devRoot        the directory whose {@code dev/} holds the NVIDIA device nodes, as this process sees it
 * @param procRoot       {@code /proc} as this process sees it
 * @param sysRoot        {@code /sys} as this process sees it, for a GPU's DRM nodes
 */
public record DriverRoots(Path driverRoot, Path hostDriverRoot, Path devRoot, Path procRoot, Path sysRoot) {

    public DriverRoots {
        driverRoot = absolute("driver root", driverRoot);
        hostDriverRoot = absolute("host driver root", hostDriverRoot);
        devRoot = absolute("dev root", devRoot);
        procRoot = absolute("proc root", procRoot);
        sysRoot = absolute("sys root", sysRoot);
    }

    /** With the host's {@code /sys}, which every container sees. */
    public DriverRoots(Path driverRoot, Path hostDriverRoot, Path devRoot, Path procRoot) {
        this(driverRoot, hostDriverRoot, devRoot, procRoot, Path.of("/sys"));
    }

    /**
     * The usual plugin layout: a driver container ships its own {@code /dev} inside its root, a host installation
     * uses the host's {@code /dev}, which a privileged container sees at {@code /dev}. The driver root's {@code dev/}
     * counts only when it holds {@code nvidiactl}: GKE-style roots such as {@code /usr/local/nvidia} carry empty
     * {@code dev/}, {@code proc/} and {@code sys/} mount points (seen on the H100 test machine), where upstream's
     * "has a dev directory" rule would look for device nodes in the wrong place.
     */
    public static DriverRoots forDriverRoot(Path driverRoot, Path hostDriverRoot) {
        Path root = absolute("driver root", driverRoot);
        Path devRoot = Files.exists(root.resolve("dev/nvidiactl"), java.nio.file.LinkOption.NOFOLLOW_LINKS) ? root : Path.of("/");
        return new DriverRoots(root, hostDriverRoot, devRoot, Path.of("/proc"));
    }

    /** The host's name for a path this process sees; paths outside the driver root are the same on both sides. */
    public String toHost(Path local) {
        Path normalized = local.normalize();
        if (!normalized.startsWith(driverRoot)) {
            return normalized.toString();
        }
        return hostDriverRoot.resolve(driverRoot.relativize(normalized)).toString();
    }

    private static Path absolute(String what, Path path) {
        if (path == null || !path.isAbsolute()) {
            throw new IllegalArgumentException(what + " must be an absolute path, got " + path);
        }
        return path.normalize();
    }
}
