package io.alauda.dra.device;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.alauda.dra.device.AttributeValue.integer;
import static io.alauda.dra.device.AttributeValue.string;
import static io.alauda.dra.device.AttributeValue.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The exact attribute and capacity set per device type, with expected values written out by hand. */
class DeviceModelTest {

    private static final String H100_UUID = "GPU-6f0a6d5e-4b1c-2d3e-8f90-a1b2c3d4e5f6";
    private static final String A100_UUID = "GPU-11111111-2222-3333-4444-555555555555";
    private static final String MIG_UUID = "MIG-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    private static GpuInfo h100() {
        return new GpuInfo(0, 0, H100_UUID, "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper", "9.0", "0000:18:00.0",
                85520809984L, "pci0000:15", 0, false, List.of());
    }

    @Test
    void fullGpuHasTheUpstreamAttributesAndMemoryCapacity() {
        NodeInventory inventory = new NodeInventory("580.95.05", 13000, List.of(h100()));

        List<AllocatableDevice> devices = DeviceModel.devices(inventory);

        assertEquals(1, devices.size());
        AllocatableDevice gpu = devices.get(0);
        assertEquals("gpu-0", gpu.name());
        assertEquals(DeviceType.GPU, gpu.type());
        Map<String, AttributeValue> expected = new TreeMap<>();
        expected.put("type", string("gpu"));
        expected.put("uuid", string(H100_UUID));
        expected.put("productName", string("NVIDIA H100 80GB HBM3"));
        expected.put("brand", string("Nvidia"));
        expected.put("architecture", string("Hopper"));
        expected.put("cudaComputeCapability", version("9.0.0"));
        expected.put("driverVersion", version("580.95.5"));
        expected.put("cudaDriverVersion", version("13.0.0"));
        expected.put("resource.kubernetes.io/pciBusID", string("0000:18:00.0"));
        expected.put("pcieBusID", string("0000:18:00.0"));
        expected.put("resource.kubernetes.io/pcieRoot", string("pci0000:15"));
        expected.put("resource.kubernetes.io/numaNode", integer(0));
        assertEquals(expected, gpu.attributes());
        assertEquals(Map.of("memory", 85520809984L), gpu.capacities());
        assertNull(gpu.mig());
    }

    @Test
    void migDeviceHasParentAttributesProfileCapacitiesAndMemorySlices() {
        MigProfile profile = new MigProfile("3g.20gb", 9, 42, 3, 2, 0, 0, 0, 20937965568L);
        MigInfo mig = new MigInfo(MIG_UUID, 2, A100_UUID, 2, 0, profile, 4, 4);
        GpuInfo a100 = new GpuInfo(2, 0, A100_UUID, "NVIDIA A100-SXM4-40GB", "Nvidia", "Ampere", "8.0", "0000:07:00.0",
                42949672960L, "pci0000:00", 1, true, List.of(mig));

        List<AllocatableDevice> devices = DeviceModel.devices(new NodeInventory("580.159.04", 12020, List.of(a100)));

        assertEquals(1, devices.size(), "a GPU in MIG mode is published only through its MIG devices");
        AllocatableDevice device = devices.get(0);
        assertEquals("gpu-2-mig-3g20gb-9-4", device.name());
        assertEquals(DeviceType.MIG, device.type());
        assertSame(mig, device.mig());
        Map<String, AttributeValue> expected = new TreeMap<>();
        expected.put("type", string("mig"));
        expected.put("uuid", string(MIG_UUID));
        expected.put("parentUUID", string(A100_UUID));
        expected.put("profile", string("3g.20gb"));
        expected.put("productName", string("NVIDIA A100-SXM4-40GB"));
        expected.put("brand", string("Nvidia"));
        expected.put("architecture", string("Ampere"));
        expected.put("cudaComputeCapability", version("8.0.0"));
        expected.put("driverVersion", version("580.159.4"));
        expected.put("cudaDriverVersion", version("12.2.0"));
        expected.put("resource.kubernetes.io/pciBusID", string("0000:07:00.0"));
        expected.put("pcieBusID", string("0000:07:00.0"));
        expected.put("resource.kubernetes.io/pcieRoot", string("pci0000:00"));
        expected.put("resource.kubernetes.io/numaNode", integer(1));
        assertEquals(expected, device.attributes());
        Map<String, Long> capacities = new TreeMap<>();
        capacities.put("multiprocessors", 42L);
        capacities.put("copyEngines", 3L);
        capacities.put("decoders", 2L);
        capacities.put("encoders", 0L);
        capacities.put("jpegEngines", 0L);
        capacities.put("ofaEngines", 0L);
        capacities.put("memory", 20937965568L);
        capacities.put("memorySlice4", 1L);
        capacities.put("memorySlice5", 1L);
        capacities.put("memorySlice6", 1L);
        capacities.put("memorySlice7", 1L);
        assertEquals(capacities, device.capacities());
    }

    @Test
    void factsDiscoveryCouldNotLearnAreLeftOut() {
        GpuInfo p100 = new GpuInfo(0, 0, "GPU-p100", "Tesla P100-PCIE-16GB", null, "Pascal", "6.0", "0000:3b:00.0",
                null, null, -1, false, List.of());

        AllocatableDevice device = DeviceModel.devices(new NodeInventory("535.183.01", 0, List.of(p100))).get(0);

        Map<String, AttributeValue> expected = new TreeMap<>();
        expected.put("type", string("gpu"));
        expected.put("uuid", string("GPU-p100"));
        expected.put("productName", string("Tesla P100-PCIE-16GB"));
        expected.put("architecture", string("Pascal"));
        expected.put("cudaComputeCapability", version("6.0.0"));
        expected.put("driverVersion", version("535.183.1"));
        expected.put("resource.kubernetes.io/pciBusID", string("0000:3b:00.0"));
        expected.put("pcieBusID", string("0000:3b:00.0"));
        assertEquals(expected, device.attributes(), "no brand, CUDA driver version, PCIe root or NUMA node (-1)");
        assertEquals(Map.of(), device.capacities(), "no memory capacity when NVML did not report it");
    }

    @Test
    void devicesAreSortedByName() {
        GpuInfo second = new GpuInfo(1, 1, "GPU-b", "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper", "9.0", "0000:2a:00.0",
                85520809984L, null, null, false, List.of());
        List<AllocatableDevice> devices = DeviceModel.devices(new NodeInventory("580.95.05", 13000, List.of(second, h100())));
        assertEquals(List.of("gpu-0", "gpu-1"), devices.stream().map(AllocatableDevice::name).toList());
    }

    @Test
    void migDeviceWithoutMigDetailsIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new AllocatableDevice("gpu-0", DeviceType.MIG, new TreeMap<>(), new TreeMap<>(), h100(), null));
    }
}
