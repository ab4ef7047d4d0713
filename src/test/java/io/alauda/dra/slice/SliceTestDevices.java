package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.AttributeValue;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.DeviceType;
import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.MigInfo;
import io.alauda.dra.device.MigProfile;
import io.alauda.dra.device.NodeInventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** Inventories and devices for the slice tests; the golden files describe {@link #h100AndMig()}. */
final class SliceTestDevices {

    static final String NODE = "node-a";
    static final String NODE_UID = "3f1d2c4b-5a69-4e7f-8a9b-0c1d2e3f4a5b";
    static final long H100_MEMORY = 85_520_809_984L;

    private SliceTestDevices() {
    }

    /** An H100 with MIG off and a second H100 with MIG on holding one 1g.10gb device. */
    static NodeInventory h100AndMig() {
        GpuInfo whole = new GpuInfo(0, 0, "GPU-4f6a3b2c-1d2e-4f5a-8b9c-0d1e2f3a4b5c", "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper",
                "9.0", "0000:1b:00.0", H100_MEMORY, "pci0000:15", 0, false, List.of());
        MigProfile profile = new MigProfile("1g.10gb", 19, 16, 1, 1, 0, 1, 0, 9856L * 1024 * 1024);
        MigInfo mig = new MigInfo("MIG-7d2c9e41-5b3a-5f6e-9a8b-1c2d3e4f5a6b", 1, "GPU-8e1f2a3b-4c5d-4e6f-9a0b-1c2d3e4f5a6b",
                13, 0, profile, 0, 1);
        GpuInfo parted = new GpuInfo(1, 1, "GPU-8e1f2a3b-4c5d-4e6f-9a0b-1c2d3e4f5a6b", "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper",
                "9.0", "0000:2a:00.0", H100_MEMORY, "pci0000:24", 1, true, List.of(mig));
        return new NodeInventory("570.124.06", 12080, List.of(whole, parted));
    }

    static List<AllocatableDevice> goldenDevices() {
        return DeviceModel.devices(h100AndMig());
    }

    /** {@code count} whole H100s, minors 0 to count-1. */
    static List<AllocatableDevice> gpus(int count) {
        List<GpuInfo> gpus = new ArrayList<>();
        for (int minor = 0; minor < count; minor++) {
            gpus.add(new GpuInfo(minor, minor, String.format(Locale.ROOT, "GPU-00000000-0000-0000-0000-%012d", minor),
                    "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper", "9.0",
                    String.format(Locale.ROOT, "0000:%02x:00.0", minor % 256), H100_MEMORY, null, null, false, List.of()));
        }
        return DeviceModel.devices(new NodeInventory("570.124.06", 12080, gpus));
    }

    /** A GPU device carrying exactly these many string attributes and capacities of 1. */
    static AllocatableDevice withCounts(String name, int attributes, int capacities) {
        TreeMap<String, AttributeValue> attributeMap = new TreeMap<>();
        for (int i = 0; i < attributes; i++) {
            attributeMap.put("attr" + i, AttributeValue.string("v"));
        }
        TreeMap<String, Long> capacityMap = new TreeMap<>();
        for (int i = 0; i < capacities; i++) {
            capacityMap.put("cap" + i, 1L);
        }
        return device(name, attributeMap, capacityMap);
    }

    static AllocatableDevice device(String name, TreeMap<String, AttributeValue> attributes, TreeMap<String, Long> capacities) {
        GpuInfo gpu = new GpuInfo(0, 0, "GPU-0", "NVIDIA H100 80GB HBM3", null, null, null, "0000:01:00.0", null, null, null,
                false, List.of());
        return new AllocatableDevice(name, DeviceType.GPU, attributes, capacities, gpu, null);
    }
}
