package io.alauda.dra.nvml;

import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.MigInfo;
import io.alauda.dra.device.MigProfile;
import io.alauda.dra.device.NodeInventory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JnaNvml against a C stand-in for libnvidia-ml.so.1 (src/test/resources/nvml/fake-libnvidia-ml.c) built here with
 * gcc: the stub's structs are laid out by the compiler from the nvml.h declarations, so a wrong offset in
 * NvmlStructLayout or a handle passed to the wrong call shows up as a wrong value or NVML_ERROR_INVALID_ARGUMENT.
 * Skipped where no C compiler is installed.
 */
class JnaNvmlTest {

    @TempDir
    static Path driverRoot;

    private static Path library;

    @BeforeAll
    static void buildStubLibrary() throws IOException, InterruptedException {
        library = NvmlStub.build(driverRoot);
    }

    @Test
    void discoversTheStubMachineThroughTheRealNativePath() {
        List<String> warnings = new ArrayList<>();
        NodeInventory inventory = new NvmlDiscovery(JnaNvml.load(library), new PciTopology(new MapSysfs()), warnings::add)
                .discover();

        assertEquals("580.95.05", inventory.driverVersion());
        assertEquals(13000, inventory.cudaDriverVersion(), "answered by the v1 call the stub has instead of _v2");
        GpuInfo t4 = new GpuInfo(0, 1, "GPU-7474t4t4-1111-4222-8333-444455556666", "Tesla T4", null, "Turing", "7.5",
                "0000:af:00.0", 16106127360L, null, null, false, List.of());
        String a100Uuid = "GPU-a0a0a0a0-1111-4222-8333-444455556666";
        MigInfo mig = new MigInfo("MIG-0c0ffee0-1111-5222-8333-444455556666", 1, a100Uuid, 5, 0,
                new MigProfile("2g.10gb", 14, 28, 2, 1, 0, 0, 0, 9856L * 1024 * 1024), 2, 2);
        GpuInfo a100 = new GpuInfo(1, 0, a100Uuid, "NVIDIA A100-SXM4-40GB", "Nvidia", "Ampere", "8.0", "0000:07:00.0",
                42949672960L, null, null, true, List.of(mig));
        assertEquals(List.of(t4, a100), inventory.gpus());
        assertEquals(List.of(), warnings);
    }

    @Test
    void structsDecodeFieldForField() {
        JnaNvml nvml = JnaNvml.load(library);
        nvml.init();
        try {
            assertEquals(new PciInfo("00000000:AF:00.0", 0, 0xaf, 0, 0x1eb810de), nvml.deviceGetPciInfo(1));
            assertEquals(new MemoryInfo(42949672960L, 42949672960L - 1048576L, 1048576L), nvml.deviceGetMemoryInfo(0));
            assertEquals(new GpuInstanceProfileInfo(14, 0, 2, 3, 28, 2, 1, 0, 0, 0, 9856), nvml.deviceGetGpuInstanceProfileInfo(0, 1));
            assertEquals(new GpuInstanceInfo(5, 14, 2, 2), nvml.gpuInstanceGetInfo(0, 5));
            assertEquals(new MigMode(1, 1), nvml.deviceGetMigMode(0));
            assertEquals(new ComputeCapability(7, 5), nvml.deviceGetCudaComputeCapability(1));
        } finally {
            nvml.shutdown();
        }
    }

    @Test
    void errorsCarryTheCodeAndNvmlsOwnText() {
        JnaNvml nvml = JnaNvml.load(library);
        nvml.init();
        try {
            NvmlException notSupported = assertThrows(NvmlException.class, () -> nvml.deviceGetBrand(1));
            assertEquals("nvmlDeviceGetBrand: NVML_ERROR_NOT_SUPPORTED (Not Supported)", notSupported.getMessage());
            NvmlException empty = assertThrows(NvmlException.class, () -> nvml.deviceGetMigDeviceHandleByIndex(0, 3));
            assertEquals(NvmlReturn.ERROR_NOT_FOUND, empty.code());
            NvmlException missing = assertThrows(NvmlException.class, () -> nvml.migDeviceGetAttributes(0, 0));
            assertEquals(NvmlReturn.ERROR_FUNCTION_NOT_FOUND, missing.code());
            assertTrue(missing.isNotSupported());
        } finally {
            nvml.shutdown();
        }
    }

    @Test
    void callsBeforeInitFailAsUninitialised() {
        JnaNvml nvml = JnaNvml.load(library);

        NvmlException e = assertThrows(NvmlException.class, nvml::deviceGetCount);

        assertEquals(NvmlReturn.ERROR_UNINITIALIZED, e.code());
    }
}
