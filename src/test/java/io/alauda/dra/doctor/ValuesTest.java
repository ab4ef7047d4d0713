package io.alauda.dra.doctor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValuesTest {

    @Test
    void semverPrecedence() {
        assertTrue(SemVer.parse("570.124.6").compareTo(SemVer.parse("570.86.10")) > 0);
        assertTrue(SemVer.parse("1.0.0-alpha").compareTo(SemVer.parse("1.0.0")) < 0);
        assertTrue(SemVer.parse("1.0.0-alpha.1").compareTo(SemVer.parse("1.0.0-alpha.beta")) < 0);
        assertTrue(SemVer.parse("1.0.0-2").compareTo(SemVer.parse("1.0.0-10")) < 0);
        assertEquals(SemVer.parse("1.0.0+a"), SemVer.parse("1.0.0+b"));
        assertThrows(IllegalArgumentException.class, () -> SemVer.parse("570.124.06"));
        assertThrows(IllegalArgumentException.class, () -> SemVer.parse("12.8"));
        assertEquals("570.124.6", SemVer.parseNormalized("v570.124.06").toString());
        assertEquals("12.8.0", SemVer.parseNormalized("12.8").toString());
    }

    @Test
    void quantities() {
        assertEquals(0, Quantity.parse("81559Mi").compareTo(Quantity.parse("85520809984")));
        assertTrue(Quantity.parse("16Gi").compareTo(Quantity.parse("17G")) > 0);
        assertEquals(Quantity.parse("500m"), Quantity.parse("0.5"));
        assertEquals(Quantity.parse("1e3"), Quantity.parse("1k"));
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse("16GB"));
    }

    @Test
    void nearMissDistance() {
        assertEquals(1, NearMiss.distance("abc", "abd"));
        assertTrue(NearMiss.close("Tesla P100", "Tesla P100-PCIE-16GB"));
        assertTrue(NearMiss.close("tesla p100 pcie 16gb", "Tesla P100-PCIE-16GB"));
        assertTrue(!NearMiss.close("Tesla P100-PCIE-16GB", "NVIDIA H100 80GB HBM3"));
    }
}
