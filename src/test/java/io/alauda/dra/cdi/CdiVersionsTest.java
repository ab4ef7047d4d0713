package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CdiVersionsTest {

    @Test
    void plainContentNeedsOnly030() {
        assertEquals("0.3.0", CdiVersions.minimumFor(Specs.valid()));
    }

    @Test
    void mountTypeNeeds040() {
        Mount tmpfs = new Mount("tmpfs", "/scratch", "tmpfs", List.of());
        Spec spec = Specs.withEdits(new ContainerEdits(null, null, List.of(tmpfs), null, null));

        assertEquals("0.4.0", CdiVersions.minimumFor(spec));
    }

    @Test
    void hostPathNeeds050() {
        DeviceNode node = new DeviceNode("/dev/nvidia0", "/run/nvidia/driver/dev/nvidia0", null, null, null, null,
                null, null, null);

        assertEquals("0.5.0", CdiVersions.minimumFor(Specs.withEdits(Specs.nodeEdits(node))));
    }

    @Test
    void hostPathInSpecWideEditsAlsoNeeds050() {
        DeviceNode node = new DeviceNode("/dev/nvidiactl", "/x/dev/nvidiactl", null, null, null, null, null, null, null);
        Spec spec = new Spec("0.5.0", "example.com/gpu", List.of(new Device("gpu0", Specs.nodeEdits(Specs.NODE))),
                Specs.nodeEdits(node));

        assertEquals("0.5.0", CdiVersions.minimumFor(spec));
    }

    @Test
    void deviceNameStartingWithADigitNeeds050() {
        Spec spec = Specs.withDevice(new Device("0b9c4e8e-gpu-0", Specs.nodeEdits(Specs.NODE)));

        assertEquals("0.5.0", CdiVersions.minimumFor(spec));
    }

    @Test
    void specAnnotationsNeed060() {
        Spec spec = new Spec("0.6.0", "example.com/gpu", Specs.annotations("a", "b"),
                List.of(new Device("gpu0", Specs.nodeEdits(Specs.NODE))), null);

        assertEquals("0.6.0", CdiVersions.minimumFor(spec));
    }

    @Test
    void deviceAnnotationsNeed060() {
        Spec spec = Specs.withDevice(new Device("gpu0", Specs.annotations("a", "b"), Specs.nodeEdits(Specs.NODE)));

        assertEquals("0.6.0", CdiVersions.minimumFor(spec));
    }

    @Test
    void dotInClassNeeds060ButDotInVendorDoesNot() {
        Spec dottedClass = new Spec("0.6.0", "example.com/gpu.v2", List.of(new Device("gpu0", Specs.nodeEdits(Specs.NODE))), null);

        assertEquals("0.6.0", CdiVersions.minimumFor(dottedClass));
        assertEquals("0.3.0", CdiVersions.minimumFor(Specs.valid()));
    }

    @Test
    void additionalGidsNeed070() {
        Spec spec = Specs.withEdits(new ContainerEdits(null, List.of(Specs.NODE), null, null, List.of(44L)));

        assertEquals("0.7.0", CdiVersions.minimumFor(spec));
    }

    @Test
    void theHighestRequirementWins() {
        Mount typed = new Mount("tmpfs", "/scratch", "tmpfs", List.of());
        Spec spec = Specs.withDevice(new Device("0gpu", new ContainerEdits(null, null, List.of(typed), null, List.of(5L))));

        assertEquals("0.7.0", CdiVersions.minimumFor(spec));
    }

    @Test
    void knowsTheGoLibraryVersionsWithOrWithoutV() {
        assertTrue(CdiVersions.isKnown("0.3.0"));
        assertTrue(CdiVersions.isKnown("v1.1.0"));
        assertFalse(CdiVersions.isKnown("0.9.0"));
        assertFalse(CdiVersions.isKnown("1.1"));
        assertFalse(CdiVersions.isKnown(null));
    }

    @Test
    void comparesByReleaseOrderNotByString() {
        assertTrue(CdiVersions.compare("0.8.0", "1.0.0") < 0);
        assertTrue(CdiVersions.compare("v0.5.0", "0.5.0") == 0);
        assertTrue(CdiVersions.compare("1.1.0", "0.7.0") > 0);
        assertThrows(IllegalArgumentException.class, () -> CdiVersions.compare("0.9.0", "0.3.0"));
    }
}
