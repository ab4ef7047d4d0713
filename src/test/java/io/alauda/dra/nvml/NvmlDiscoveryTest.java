package io.alauda.dra.nvml;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.MigInfo;
import io.alauda.dra.device.MigProfile;
import io.alauda.dra.device.NodeInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NvmlDiscoveryTest {

    private static final long MIB = 1024L * 1024;

    private final List<String> warnings = new ArrayList<>();

    private NodeInventory discover(FakeNvml nvml, SysfsSource sysfs) {
        return new NvmlDiscovery(nvml, new PciTopology(sysfs), warnings::add).discover();
    }

    private NodeInventory discover(FakeNvml nvml) {
        return discover(nvml, new MapSysfs());
    }

    @Test
    void eightH100sBecomeEightGpusNamedByMinor() {
        FakeNvml nvml = FakeNvml.h100x8();
        MapSysfs sysfs = new MapSysfs().device("0000:9a:00.0", "devices/pci0000:97/0000:97:01.0/0000:98:00.0/0000:99:00.0/0000:9a:00.0", "1\n");

        NodeInventory inventory = discover(nvml, sysfs);

        assertEquals("580.95.05", inventory.driverVersion());
        assertEquals(13000, inventory.cudaDriverVersion());
        assertEquals(8, inventory.gpus().size());
        GpuInfo expected = new GpuInfo(4, 4, FakeNvml.h100Uuid(4), "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper", "9.0",
                "0000:9a:00.0", 85520809984L, "pci0000:97", 1, false, List.of());
        assertEquals(expected, inventory.gpus().get(4));
        assertEquals(List.of("gpu-0", "gpu-1", "gpu-2", "gpu-3", "gpu-4", "gpu-5", "gpu-6", "gpu-7"),
                DeviceModel.devices(inventory).stream().map(AllocatableDevice::name).toList());
        assertFalse(nvml.initialised(), "NVML is shut down after discovery");
        assertEquals(List.of(), warnings);
    }

    @Test
    void existingMigDevicesAreFoundWithProfileCountsAndPlacement() {
        NodeInventory inventory = discover(FakeNvml.a100Mig());

        GpuInfo a100 = inventory.gpus().get(0);
        assertTrue(a100.migEnabled());
        List<MigInfo> expected = List.of(
                new MigInfo("MIG-3g000000-0000-0000-0000-000000000000", 3, FakeNvml.A100_UUID, 2, 0,
                        new MigProfile("3g.20gb", 9, 42, 3, 2, 0, 0, 0, 19968 * MIB), 4, 4),
                new MigInfo("MIG-2g000000-0000-0000-0000-000000000000", 3, FakeNvml.A100_UUID, 3, 0,
                        new MigProfile("2g.10gb", 14, 28, 2, 1, 0, 0, 0, 9856 * MIB), 0, 2),
                new MigInfo("MIG-1g000000-0000-0000-0000-000000000000", 3, FakeNvml.A100_UUID, 9, 0,
                        new MigProfile("1g.5gb", 19, 14, 1, 0, 0, 0, 0, 4864 * MIB), 2, 1));
        assertEquals(expected, a100.migDevices());
        assertEquals(List.of("gpu-3-mig-1g5gb-19-2", "gpu-3-mig-2g10gb-14-0", "gpu-3-mig-3g20gb-9-4"),
                DeviceModel.devices(inventory).stream().map(AllocatableDevice::name).toList());
        assertEquals(List.of(), warnings);
    }

    @Test
    void mediaExtensionAndRevisedProfilesAreNamedAsGoNvlibNamesThem() {
        FakeNvml nvml = new FakeNvml(List.of(FakeNvml.a100(0, 1, List.of(
                new FakeNvml.Mig(0, "MIG-me", 5, 0, 20, 0, 1, 1, 1),
                new FakeNvml.Mig(1, "MIG-10gb", 6, 0, 15, 2, 2, 1, 1)))));

        NodeInventory inventory = discover(nvml);

        List<MigInfo> migs = inventory.gpus().get(0).migDevices();
        assertEquals("1g.5gb+me", migs.get(0).profile().name());
        assertEquals(20, migs.get(0).profile().giProfileId());
        assertEquals("1g.10gb", migs.get(1).profile().name());
        assertEquals(List.of("gpu-0-mig-1g10gb-15-2", "gpu-0-mig-1g5gb-me-20-0"),
                DeviceModel.devices(inventory).stream().map(AllocatableDevice::name).toList());
    }

    @Test
    void computeInstanceSmallerThanItsGpuInstanceIsLeftOutWithAWarning() {
        FakeNvml nvml = new FakeNvml(List.of(FakeNvml.a100(0, 1, List.of(
                new FakeNvml.Mig(0, "MIG-part", 2, 0, 9, 4, 4, 3, 1),
                new FakeNvml.Mig(1, "MIG-whole", 3, 0, 14, 0, 2, 2, 2)))));

        List<MigInfo> migs = discover(nvml).gpus().get(0).migDevices();

        assertEquals(List.of("MIG-whole"), migs.stream().map(MigInfo::uuid).toList());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("MIG-part") && warnings.get(0).contains("1 of the 3 slices"), warnings.get(0));
    }

    @Test
    void twoMigDevicesThatWouldShareANameKeepOnlyTheFirst() {
        FakeNvml nvml = new FakeNvml(List.of(FakeNvml.a100(0, 1, List.of(
                new FakeNvml.Mig(0, "MIG-first", 2, 0, 9, 4, 4, 3, 3),
                new FakeNvml.Mig(1, "MIG-second", 2, 1, 9, 4, 4, 3, 3)))))
                .failing(NvmlCall.mig(NvmlCall.ATTRIBUTES, 0, 0), NvmlReturn.ERROR_NOT_SUPPORTED)
                .failing(NvmlCall.mig(NvmlCall.ATTRIBUTES, 0, 1), NvmlReturn.ERROR_NOT_SUPPORTED);

        List<MigInfo> migs = discover(nvml).gpus().get(0).migDevices();

        assertEquals(List.of("MIG-first"), migs.stream().map(MigInfo::uuid).toList());
        assertTrue(warnings.get(0).contains("MIG-second") && warnings.get(0).contains("same name"), warnings.get(0));
    }

    @Test
    void migDeviceWithAProfileNvmlDoesNotListIsLeftOutWithAWarning() {
        FakeNvml nvml = new FakeNvml(List.of(FakeNvml.a100(0, 1, List.of(new FakeNvml.Mig(0, "MIG-odd", 2, 0, 42, 0, 1, 1, 1)))));

        NodeInventory inventory = discover(nvml);

        assertEquals(List.of(), inventory.gpus().get(0).migDevices());
        assertTrue(warnings.get(0).contains("MIG-odd") && warnings.get(0).contains("profile ID 42"), warnings.get(0));
        assertTrue(warnings.get(1).contains("no usable MIG device"), warnings.get(1));
    }

    @Test
    void migModeWithoutMigDevicesPublishesNothingAndSaysSo() {
        NodeInventory inventory = discover(new FakeNvml(List.of(FakeNvml.a100(0, 1, List.of()))));

        assertEquals(List.of(), DeviceModel.devices(inventory));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("gpu-0 (" + FakeNvml.A100_UUID + "): MIG mode is enabled"), warnings.get(0));
    }

    @Test
    void gpuWithMigDisabledHasNoMigDevicesAndIsPublishedWhole() {
        NodeInventory inventory = discover(new FakeNvml(List.of(FakeNvml.a100(0, 0, List.of()))));

        assertFalse(inventory.gpus().get(0).migEnabled());
        assertEquals(List.of("gpu-0"), DeviceModel.devices(inventory).stream().map(AllocatableDevice::name).toList());
    }

    @Test
    void pendingMigModeChangeIsReported() {
        FakeNvml.Gpu a100 = FakeNvml.a100(0, 0, List.of());
        FakeNvml.Gpu pending = new FakeNvml.Gpu(a100.minor(), a100.uuid(), a100.name(), a100.brand(), a100.architecture(),
                a100.computeCapability(), a100.busId(), a100.memoryTotal(), new MigMode(0, 1), 7, a100.profiles(), List.of());

        discover(new FakeNvml(List.of(pending)));

        assertTrue(warnings.get(0).contains("MIG mode change is pending"), warnings.get(0));
    }

    @Test
    void p100WithoutMigAndWithoutMemoryInfo() {
        NodeInventory inventory = discover(FakeNvml.p100());

        GpuInfo expected = new GpuInfo(0, 0, FakeNvml.P100_UUID, "Tesla P100-PCIE-16GB", "Tesla", "Pascal", "6.0",
                "0000:3b:00.0", null, null, null, false, List.of());
        assertEquals(expected, inventory.gpus().get(0));
        assertEquals(Map.of(), DeviceModel.devices(inventory).get(0).capacities());
        assertEquals(List.of(), warnings);
    }

    @ParameterizedTest
    @ValueSource(ints = {NvmlReturn.ERROR_NOT_SUPPORTED, NvmlReturn.ERROR_FUNCTION_NOT_FOUND})
    void optionalFactsNvmlCannotGiveAreLeftOut(int code) {
        FakeNvml nvml = FakeNvml.p100()
                .failing(NvmlCall.gpu(NvmlCall.BRAND, 0), code)
                .failing(NvmlCall.gpu(NvmlCall.ARCHITECTURE, 0), code)
                .failing(NvmlCall.gpu(NvmlCall.COMPUTE_CAPABILITY, 0), code)
                .failing(NvmlCall.system(NvmlCall.CUDA_DRIVER_VERSION), code);

        NodeInventory inventory = discover(nvml);

        GpuInfo p100 = inventory.gpus().get(0);
        assertNull(p100.brand());
        assertNull(p100.architecture());
        assertNull(p100.cudaComputeCapability());
        assertEquals(0, inventory.cudaDriverVersion());
        AllocatableDevice device = DeviceModel.devices(inventory).get(0);
        assertEquals(List.of("driverVersion", "pcieBusID", "productName", "resource.kubernetes.io/pciBusID", "type", "uuid"),
                List.copyOf(device.attributes().keySet()));
    }

    @Test
    void brandCodeWithoutANameIsLeftOutWithAWarning() {
        int archUnknown = 0xffffffff;
        FakeNvml nvml = new FakeNvml(List.of(new FakeNvml.Gpu(0, "GPU-x", "NVIDIA Future", 99, archUnknown,
                new ComputeCapability(12, 1), "00000000:01:00.0", 1L << 34, new MigMode(0, 0), 0, Map.of(), List.of())));

        GpuInfo gpu = discover(nvml).gpus().get(0);

        assertNull(gpu.brand());
        assertEquals("Unknown", gpu.architecture(), "NVML_DEVICE_ARCH_UNKNOWN is published as go-nvlib names it");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("brand code 99"), warnings.get(0));
    }

    @Test
    void requiredFactMissingFailsNamingTheGpuAndCallAndStillShutsDown() {
        FakeNvml nvml = FakeNvml.h100x8().failing(NvmlCall.gpu(NvmlCall.UUID, 2), NvmlReturn.ERROR_NOT_SUPPORTED);

        DiscoveryException e = assertThrows(DiscoveryException.class, () -> discover(nvml));

        assertTrue(e.getMessage().startsWith("GPU at NVML index 2: nvmlDeviceGetUUID: NVML_ERROR_NOT_SUPPORTED"), e.getMessage());
        assertTrue(e.getMessage().contains("its UUID is required"), e.getMessage());
        assertFalse(nvml.initialised());
    }

    @Test
    void errorOtherThanNotSupportedOnAnOptionalFactFailsWithAHint() {
        FakeNvml nvml = FakeNvml.h100x8().failing(NvmlCall.gpu(NvmlCall.BRAND, 0), NvmlReturn.ERROR_GPU_IS_LOST);

        DiscoveryException e = assertThrows(DiscoveryException.class, () -> discover(nvml));

        assertTrue(e.getMessage().startsWith("gpu-0 (" + FakeNvml.h100Uuid(0) + "): nvmlDeviceGetBrand: NVML_ERROR_GPU_IS_LOST"),
                e.getMessage());
        assertTrue(e.getMessage().contains("fallen off the bus"), e.getMessage());
    }

    @Test
    void initFailureExplainsTheLikelyCause() {
        FakeNvml nvml = FakeNvml.h100x8().failing(NvmlCall.system(NvmlCall.INIT), NvmlReturn.ERROR_DRIVER_NOT_LOADED);

        DiscoveryException e = assertThrows(DiscoveryException.class, () -> discover(nvml));

        assertTrue(e.getMessage().startsWith("NVML did not initialise: nvmlInit_v2: NVML_ERROR_DRIVER_NOT_LOADED"), e.getMessage());
        assertTrue(e.getMessage().contains("kernel module is not loaded"), e.getMessage());
        assertFalse(nvml.calls().contains(NvmlCall.system(NvmlCall.SHUTDOWN)), "no shutdown without a successful init");
    }

    @Test
    void emptyMigSlotsAreSkippedButOtherHandleErrorsFail() {
        FakeNvml nvml = FakeNvml.a100Mig().failing(NvmlCall.mig(NvmlCall.MIG_HANDLE_BY_INDEX, 0, 4), NvmlReturn.ERROR_NO_PERMISSION);

        DiscoveryException e = assertThrows(DiscoveryException.class, () -> discover(nvml));

        assertTrue(e.getMessage().contains("MIG device 4: nvmlDeviceGetMigDeviceHandleByIndex: NVML_ERROR_NO_PERMISSION"),
                e.getMessage());
        assertTrue(nvml.calls().contains(NvmlCall.mig(NvmlCall.MIG_HANDLE_BY_INDEX, 0, 2)), "slot 2 is empty and was passed over");
    }
}
