package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.ClaimSpecBuilder;
import io.alauda.dra.cdi.ClaimSpecStore;
import io.alauda.dra.cdi.DeviceNodeInfo;
import io.alauda.dra.cdi.DeviceNodeSource;
import io.alauda.dra.cdi.DriverFileDiscovery;
import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.MigInfo;
import io.alauda.dra.device.MigProfile;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.plugin.checkpoint.BootIdSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GPU node in a temporary directory: a driver root with the files a claim spec needs, device nodes answered from a
 * map (real ones need root), MIG capability files under a fake /proc, a CDI directory and a plugin directory.
 * Devices: full H100s {@code gpu-0} and {@code gpu-1}, and GPU minor 2 in MIG mode with two 1g.10gb devices
 * {@code gpu-2-mig-1g10gb-19-0} (GI 3, CI 0) and {@code gpu-2-mig-1g10gb-19-1} (GI 5, CI 0).
 */
public final class TestNode {

    public static final String NODE_NAME = "node-a";
    public static final String DRIVER_VERSION = "580.159.04";
    public static final String GPU_0 = "gpu-0";
    public static final String GPU_1 = "gpu-1";
    public static final String MIG_A = "gpu-2-mig-1g10gb-19-0";
    public static final String MIG_B = "gpu-2-mig-1g10gb-19-1";
    /** Minors of the nvidia-caps nodes of MIG_A's GPU instance and compute instance, as the access files say. */
    public static final int MIG_A_GI_CAP_MINOR = 30;
    public static final int MIG_A_CI_CAP_MINOR = 31;
    public static final int NVIDIA_CAPS_MAJOR = 237;

    public final Path driverRoot;
    public final Path procRoot;
    public final Path cdiRoot;
    public final Path pluginDir;
    public final List<AllocatableDevice> devices;

    public TestNode(Path tmp) {
        driverRoot = tmp.resolve("driver");
        procRoot = tmp.resolve("proc");
        cdiRoot = tmp.resolve("cdi");
        pluginDir = tmp.resolve("plugins/gpu.nvidia.com");
        write(driverRoot.resolve("lib64/libcuda.so." + DRIVER_VERSION), "libcuda");
        write(driverRoot.resolve("lib64/libnvidia-ml.so." + DRIVER_VERSION), "libnvidia-ml");
        write(driverRoot.resolve("bin/nvidia-smi"), "nvidia-smi");
        Path mig = procRoot.resolve("driver/nvidia/capabilities/gpu2/mig");
        write(mig.resolve("gi3/access"), "DeviceFileMinor: " + MIG_A_GI_CAP_MINOR + "\nDeviceFileMode: 292\n");
        write(mig.resolve("gi3/ci0/access"), "DeviceFileMinor: " + MIG_A_CI_CAP_MINOR + "\nDeviceFileMode: 292\n");
        write(mig.resolve("gi5/access"), "DeviceFileMinor: 48\nDeviceFileMode: 292\n");
        write(mig.resolve("gi5/ci0/access"), "DeviceFileMinor: 49\nDeviceFileMode: 292\n");
        write(procRoot.resolve("devices"), "Character devices:\n195 nvidia\n" + NVIDIA_CAPS_MAJOR
                + " nvidia-caps\n510 nvidia-uvm\n\nBlock devices:\n  8 sd\n");
        devices = DeviceModel.devices(inventory());
    }

    public static NodeInventory inventory() {
        MigProfile oneG = new MigProfile("1g.10gb", 19, 16, 1, 1, 0, 1, 0, 10L * 1024 * 1024 * 1024);
        String parent = "GPU-9a8b7c6d-0000-0000-0000-000000000002";
        MigInfo migA = new MigInfo("MIG-2d3e4f50-0000-0000-0000-00000000000a", 2, parent, 3, 0, oneG, 0, 1);
        MigInfo migB = new MigInfo("MIG-2d3e4f50-0000-0000-0000-00000000000b", 2, parent, 5, 0, oneG, 1, 1);
        return new NodeInventory(DRIVER_VERSION, 13000, List.of(h100(0), h100(1),
                new GpuInfo(2, 2, parent, "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper", "9.0", "0000:2a:00.0",
                        85520809984L, null, null, true, List.of(migA, migB))));
    }

    private static GpuInfo h100(int minor) {
        return new GpuInfo(minor, minor, "GPU-4f1c7d3e-0000-0000-0000-00000000000" + minor, "NVIDIA H100 80GB HBM3",
                "Nvidia", "Hopper", "9.0", "0000:1" + minor + ":00.0", 85520809984L, null, null, false, List.of());
    }

    /** Device nodes as the kernel would show them: char devices, mode 0666, group root. */
    public static final class FakeDeviceNodes implements DeviceNodeSource {
        private final Map<Path, DeviceNodeInfo> nodes = Map.of(
                Path.of("/dev/nvidiactl"), new DeviceNodeInfo("c", 195, 255, 0666, 0),
                Path.of("/dev/nvidia-uvm"), new DeviceNodeInfo("c", 510, 0, 0666, 0),
                Path.of("/dev/nvidia0"), new DeviceNodeInfo("c", 195, 0, 0666, 0),
                Path.of("/dev/nvidia1"), new DeviceNodeInfo("c", 195, 1, 0666, 0),
                Path.of("/dev/nvidia2"), new DeviceNodeInfo("c", 195, 2, 0666, 0));

        @Override
        public Optional<DeviceNodeInfo> stat(Path path) {
            return Optional.ofNullable(nodes.get(path));
        }
    }

    public ClaimSpecBuilder specBuilder() {
        DriverRoots roots = new DriverRoots(driverRoot, Path.of("/usr/local/nvidia"), Path.of("/"), procRoot);
        return new ClaimSpecBuilder(new DriverFileDiscovery(roots, new FakeDeviceNodes()), DRIVER_VERSION, null);
    }

    public ClaimSpecStore specStore() {
        return new ClaimSpecStore(cdiRoot);
    }

    public Path checkpointFile() {
        return pluginDir.resolve("checkpoint.json");
    }

    public Path specFile(String claimUid) {
        return cdiRoot.resolve("k8s.gpu.nvidia.com-claim_" + claimUid + ".json");
    }

    public PreparerSettings settings(String bootId) {
        return new PreparerSettings(NODE_NAME, devices, specBuilder(), specStore(), checkpointFile(),
                BootIdSource.fixed(bootId));
    }

    /** Every file under the CDI and plugin directories, relative names, sorted: for "no stray file" checks. */
    public List<String> files() {
        try {
            List<String> names = new java.util.ArrayList<>();
            for (Path dir : List.of(cdiRoot, pluginDir)) {
                if (Files.isDirectory(dir)) {
                    try (var entries = Files.list(dir)) {
                        entries.map(p -> dir.getFileName() + "/" + p.getFileName()).forEach(names::add);
                    }
                }
            }
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
