package io.alauda.dra.discover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node's driver files in a temporary directory, for {@code --cdi} without a GPU or root. The driver root has its
 * own {@code dev/} whose NVIDIA nodes are symlinks to {@code /dev/null}: a real character device, so the production
 * {@code stat} ({@link io.alauda.dra.cdi.UnixDeviceNodeSource}) works unchanged, even in a separate JVM.
 */
final class FakeNode {

    private FakeNode() {
    }

    /** A driver root with the control nodes, {@code /dev/nvidia<minor>} per GPU, libraries, a utility and firmware. */
    static Path driverRoot(Path root, String driverVersion, int... gpuMinors) throws IOException {
        Path dev = Files.createDirectories(root.resolve("dev"));
        Files.createSymbolicLink(dev.resolve("nvidiactl"), Path.of("/dev/null"));
        Files.createSymbolicLink(dev.resolve("nvidia-uvm"), Path.of("/dev/null"));
        for (int minor : gpuMinors) {
            Files.createSymbolicLink(dev.resolve("nvidia" + minor), Path.of("/dev/null"));
        }
        file(root.resolve("lib64/libcuda.so." + driverVersion));
        file(root.resolve("lib64/libnvidia-ml.so." + driverVersion));
        Files.createSymbolicLink(root.resolve("lib64/libcuda.so.1"), Path.of("libcuda.so." + driverVersion));
        file(root.resolve("bin/nvidia-smi"));
        file(root.resolve("firmware/nvidia/" + driverVersion + "/gsp_ga10x.bin"));
        return root;
    }

    /**
     * A {@code /proc} with what the driver publishes for MIG: the {@code nvidia-caps} major in {@code devices} and an
     * {@code access} file per GPU instance and its compute instance 0 (minors counted up from 100).
     */
    static Path proc(Path proc, int gpuMinor, int... gpuInstanceIds) throws IOException {
        Files.createDirectories(proc);
        Files.writeString(proc.resolve("devices"),
                "Character devices:\n  1 mem\n195 nvidia-frontend\n237 nvidia-caps\n\nBlock devices:\n  8 sd\n");
        int capMinor = 100;
        for (int gi : gpuInstanceIds) {
            Path giDir = Files.createDirectories(
                    proc.resolve("driver/nvidia/capabilities/gpu" + gpuMinor + "/mig/gi" + gi + "/ci0"));
            Files.writeString(giDir.resolveSibling("access"), "DeviceFileMinor: " + capMinor++ + "\nDeviceFileMode: 292\n");
            Files.writeString(giDir.resolve("access"), "DeviceFileMinor: " + capMinor++ + "\nDeviceFileMode: 292\n");
        }
        return proc;
    }

    static Path file(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        return Files.writeString(path, path.getFileName().toString());
    }
}
