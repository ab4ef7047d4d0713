package io.alauda.dra.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceNamesTest {

    @Test
    void gpuIsNamedByMinorNumber() {
        assertEquals("gpu-0", DeviceNames.gpu(0));
        assertEquals("gpu-13", DeviceNames.gpu(13));
    }

    @Test
    void migNameCarriesParentMinorProfileGiProfileIdAndPlacementStart() {
        assertEquals("gpu-1-mig-2g47gb-14-0", DeviceNames.mig(1, "2g.47gb", 14, 0));
        assertEquals("gpu-0-mig-1g5gb-19-6", DeviceNames.mig(0, "1g.5gb", 19, 6));
    }

    /** Upstream drops dots, then maps any other non-[a-z0-9-] character to '-' and trims '-' at the ends. */
    @ParameterizedTest
    @CsvSource({
        "1g.10gb, 1g10gb",
        "7g.80gb, 7g80gb",
        "1g.10gb+me, 1g10gb-me",
        "1g.10gb-me, 1g10gb-me",
        "1g.23gb+me.all, 1g23gb-meall",
        "1g.24gb+gfx, 1g24gb-gfx",
        "1c.2g.10gb, 1c2g10gb",
        "1G.5GB, 1g5gb",
    })
    void profileTokenIsADnsLabelPartAsUpstreamSpellsIt(String profile, String token) {
        assertEquals(token, DeviceNames.profileToken(profile));
    }

    @Test
    void profileWithoutLettersOrDigitsIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceNames.mig(0, "+.", 1, 0));
        assertTrue(e.getMessage().contains("'+.'"), e.getMessage());
    }

    @Test
    void parentMinorIsReadBackFromGpuAndMigNames() {
        assertEquals(Optional.of(12), DeviceNames.parentMinor("gpu-12"));
        assertEquals(Optional.of(1), DeviceNames.parentMinor("gpu-1-mig-2g47gb-14-0"));
        assertEquals(Optional.of(3), DeviceNames.parentMinor("gpu-3-mig-1g10gb-me-20-3"));
        assertEquals(Optional.of(7), DeviceNames.parentMinor(DeviceNames.mig(7, "1g.23gb+me.all", 15, 2)));
    }

    @Test
    void namesThatAreNotOursHaveNoParentMinor() {
        assertEquals(Optional.empty(), DeviceNames.parentMinor("gpu-x"));
        assertEquals(Optional.empty(), DeviceNames.parentMinor("gpu-vfio-0x"));
        assertEquals(Optional.empty(), DeviceNames.parentMinor("gpu-1-mig-"));
        assertEquals(Optional.empty(), DeviceNames.parentMinor("channel-0"));
    }
}
