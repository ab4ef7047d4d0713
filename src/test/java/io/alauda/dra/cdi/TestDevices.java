package io.alauda.dra.cdi;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.MigInfo;
import io.alauda.dra.device.MigProfile;
import io.alauda.dra.device.NodeInventory;

import java.util.List;

/** Devices as the device model publishes them, so names are the real ones. */
final class TestDevices {

    static final String DRIVER_VERSION = "580.159.04";

    private TestDevices() {
    }

    static AllocatableDevice h100(int minor) {
        GpuInfo gpu = new GpuInfo(minor, minor, "GPU-4f1c7d3e-0000-0000-0000-00000000000" + minor,
                "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper", "9.0", "0000:1" + minor + ":00.0",
                85520809984L, null, null, false, List.of());
        return single(new NodeInventory(DRIVER_VERSION, 13000, List.of(gpu)));
    }

    /** One 1g.10gb MIG device (GI profile 19, placement 0) in GPU instance {@code gi}, compute instance {@code ci}. */
    static AllocatableDevice mig(int parentMinor, int gi, int ci) {
        String parentUuid = "GPU-9a8b7c6d-0000-0000-0000-000000000001";
        MigProfile profile = new MigProfile("1g.10gb", 19, 16, 1, 1, 0, 1, 0, 10L * 1024 * 1024 * 1024);
        MigInfo mig = new MigInfo("MIG-2d3e4f50-0000-0000-0000-000000000001", parentMinor, parentUuid, gi, ci,
                profile, 0, 1);
        GpuInfo gpu = new GpuInfo(parentMinor, parentMinor, parentUuid, "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper",
                "9.0", "0000:2a:00.0", 85520809984L, null, null, true, List.of(mig));
        return single(new NodeInventory(DRIVER_VERSION, 13000, List.of(gpu)));
    }

    private static AllocatableDevice single(NodeInventory inventory) {
        List<AllocatableDevice> devices = DeviceModel.devices(inventory);
        if (devices.size() != 1) {
            throw new IllegalStateException("expected one device, got " + devices);
        }
        return devices.get(0);
    }
}
