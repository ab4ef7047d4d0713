package io.alauda.dra.nvml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Brand, architecture, return code, PCI bus ID and MIG profile names, each checked against hand-worked values. */
class NvmlNamingTest {

    @ParameterizedTest
    @CsvSource({"14, Nvidia", "2, Tesla", "5, GeForce", "1, Quadro", "13, NvidiaRTX", "0, Unknown", "16, TitanRTX"})
    void brandNamesAreGoNvlibs(int code, String name) {
        assertEquals(Optional.of(name), NvmlNames.brand(code));
    }

    @ParameterizedTest
    @CsvSource({"2, Kepler", "4, Pascal", "6, Turing", "7, Ampere", "8, Ada Lovelace", "9, Hopper", "10, Blackwell",
        "11, Orin", "-1, Unknown"})
    void architectureNamesAreGoNvlibs(int code, String name) {
        assertEquals(Optional.of(name), NvmlNames.architecture(code));
    }

    @Test
    void codesWithoutANameHaveNone() {
        assertEquals(Optional.empty(), NvmlNames.brand(99));
        assertEquals(Optional.empty(), NvmlNames.architecture(12));
    }

    @Test
    void returnCodesHaveTheirNvmlHeaderNames() {
        assertEquals("NVML_ERROR_NOT_SUPPORTED", NvmlReturn.name(3));
        assertEquals("NVML_ERROR_LIB_RM_VERSION_MISMATCH", NvmlReturn.name(18));
        assertEquals("NVML_ERROR_UNKNOWN", NvmlReturn.name(999));
        assertEquals("NVML_RETURN_4242", NvmlReturn.name(4242));
        assertEquals(6, NvmlReturn.code("NVML_ERROR_NOT_FOUND"));
        assertEquals(4242, NvmlReturn.code("NVML_RETURN_4242"));
        assertNull(NvmlReturn.code("NOT_FOUND"));
    }

    @Test
    void exceptionMessageNamesFunctionCodeAndNvmlText() {
        NvmlException e = new NvmlException("nvmlDeviceGetBrand", 3, "Not Supported");
        assertEquals("nvmlDeviceGetBrand: NVML_ERROR_NOT_SUPPORTED (Not Supported)", e.getMessage());
        assertTrue(e.isNotSupported());
        assertTrue(new NvmlException("f", NvmlReturn.ERROR_FUNCTION_NOT_FOUND, null).isNotSupported());
        assertFalse(new NvmlException("f", NvmlReturn.ERROR_NOT_FOUND, null).isNotSupported());
    }

    @ParameterizedTest
    @CsvSource({
        "00000000:65:00.0, 0000:65:00.0",
        "00000000:9A:00.0, 0000:9a:00.0",
        "00000001:01:00.1, 0001:01:00.1",
        "0000:3b:00.0, 0000:3b:00.0",
        "' 00000000:AF:00.0 ', 0000:af:00.0",
    })
    void busIdsBecomeFourDigitDomainLowerCase(String nvml, String bdf) {
        assertEquals(bdf, PciBusIds.normalize(nvml));
    }

    @Test
    void busIdsThatAreNotBdfAreRejectedNamingTheValue() {
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> PciBusIds.normalize("00010000:01:00.0"));
        assertTrue(wide.getMessage().contains("'00010000:01:00.0'"), wide.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PciBusIds.normalize("0000:65:00"));
        assertThrows(IllegalArgumentException.class, () -> PciBusIds.normalize(null));
        assertFalse(PciBusIds.isBdf("../../../etc"));
    }

    /**
     * Sizes in GB as go-nvlib computes them: the profile's share of the GPU rounded up to eighths, times the GPU's
     * memory in whole GiB. A100 40GB (40960 MiB): 4864 MiB is 0.119, so 1/8 of 40 = 5; 9856 MiB is 0.241, so 2/8 of 40 =
     * 10; 19968 MiB is 0.4875, so 4/8 of 40 = 20; 40192 MiB is 0.981, so 40. H100 80GB (81559 MiB, 80 GiB rounded up):
     * 9984 MiB is 0.122, so 10; 40448 MiB is 0.496, so 40; 81152 MiB is 0.995, so 80.
     */
    @ParameterizedTest
    @CsvSource({
        "0, 4864, 42949672960, 1g.5gb",
        "1, 9856, 42949672960, 2g.10gb",
        "2, 19968, 42949672960, 3g.20gb",
        "3, 19968, 42949672960, 4g.20gb",
        "4, 40192, 42949672960, 7g.40gb",
        "7, 4864, 42949672960, 1g.5gb+me",
        "9, 9856, 42949672960, 1g.10gb",
        "0, 9984, 85520809984, 1g.10gb",
        "2, 40448, 85520809984, 3g.40gb",
        "4, 81152, 85520809984, 7g.80gb",
        "13, 9984, 85520809984, 1g.10gb-me",
        "15, 9984, 85520809984, 1g.10gb+me.all",
        "10, 9984, 85520809984, 1g.10gb+gfx",
        "12, 40448, 85520809984, 4g.40gb+gfx",
        "6, 60000, 85520809984, 6g.60gb",       // 0.736, so 6/8 of 80
    })
    void profileNamesFollowGoNvlib(int profileEnum, long memorySizeMB, long gpuMemory, String name) {
        assertEquals(Optional.of(name), MigProfileNames.name(profileEnum, memorySizeMB, gpuMemory));
    }

    @Test
    void profileEnumsBeyondTheTableHaveNoName() {
        assertEquals(Optional.empty(), MigProfileNames.name(17, 4864, 42949672960L));
        assertEquals(Optional.empty(), MigProfileNames.name(-1, 4864, 42949672960L));
        assertEquals(Optional.empty(), MigProfileNames.name(0, 4864, 0));
    }
}
