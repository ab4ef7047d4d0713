package io.alauda.dra.nvml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds {@code libnvidia-ml.so.1} under a driver root: {@code /} for a host-installed driver,
 * {@code /run/nvidia/driver} for the GPU operator's driver container, {@code /home/kubernetes/bin/nvidia} on GKE
 * ({@code lib64/} inside), {@code /usr/local/nvidia}. The library is loaded by absolute path, so the process's own
 * library path never picks a different driver than the one the node runs.
 */
public final class NvmlLibraryLocator {

    public static final String LIBRARY = "libnvidia-ml.so.1";

    /** Searched in this order; the first regular file (symbolic links followed) wins. */
    public static final List<String> SEARCH_DIRECTORIES = List.of(
            "lib64",
            "usr/lib64",
            "usr/lib/x86_64-linux-gnu",
            "usr/lib/aarch64-linux-gnu",
            "lib/x86_64-linux-gnu",
            "lib/aarch64-linux-gnu",
            "usr/lib",
            "lib",
            "");

    private NvmlLibraryLocator() {
    }

    /** Every path that would be tried for a driver root, in order. */
    public static List<Path> candidates(Path driverRoot) {
        Path root = driverRoot.toAbsolutePath().normalize();
        List<Path> candidates = new ArrayList<>();
        for (String directory : SEARCH_DIRECTORIES) {
            candidates.add(root.resolve(directory).resolve(LIBRARY));
        }
        return candidates;
    }

    /**
     * @return the absolute path of the library
     * @throws DiscoveryException listing every path tried and how to fix the driver root
     */
    public static Path locate(Path driverRoot) {
        List<Path> candidates = candidates(driverRoot);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        Path root = driverRoot.toAbsolutePath().normalize();
        StringBuilder message = new StringBuilder(LIBRARY).append(" was not found under driver root ").append(root);
        if (!Files.isDirectory(root)) {
            message.append(" (that directory does not exist)");
        }
        message.append(". Looked for:");
        for (Path candidate : candidates) {
            message.append("\n  ").append(candidate);
        }
        message.append("\nFix: set spec.driverRoot of the NvidiaDraDriver (for discover: --driver-root or NVIDIA_DRIVER_ROOT)"
                + " to the directory the NVIDIA driver is installed under, e.g. / for a driver installed on the host,"
                + " /run/nvidia/driver for the GPU operator's driver container, /home/kubernetes/bin/nvidia on GKE.");
        throw new DiscoveryException(message.toString());
    }
}
