package io.alauda.dra.cdi;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GPU's /dev/dri nodes and by-path links, as nvcdi adds them (the GPU machine has none, so this is their proof). */
class DrmNodesTest {

    private static final String BUS_ID = "0000:65:00.0";
    private static final String HOOK = "/usr/bin/nvidia-cdi-hook";
    private static final long VIDEO_GROUP = 44;

    @TempDir
    Path tmp;

    private Path devRoot;
    private Path sysRoot;
    private FakeDeviceNodes nodes;

    @BeforeEach
    void gpuWithDisplayEngine() throws IOException {
        devRoot = Files.createDirectories(tmp.resolve("host"));
        sysRoot = tmp.resolve("sys");
        Path drm = Files.createDirectories(sysRoot.resolve("bus/pci/devices/" + BUS_ID + "/drm"));
        for (String entry : List.of("card1", "renderD128", "controlD65")) {
            Files.createDirectories(drm.resolve(entry));
        }
        Path byPath = Files.createDirectories(devRoot.resolve("dev/dri/by-path"));
        Files.createSymbolicLink(byPath.resolve("pci-" + BUS_ID + "-card"), Path.of("../card1"));
        Files.createSymbolicLink(byPath.resolve("pci-" + BUS_ID + "-render"), Path.of("../renderD128"));
        nodes = new FakeDeviceNodes()
                .charDevice(devRoot.resolve("dev/dri/card1"), 226, 1, 0660, VIDEO_GROUP)
                .charDevice(devRoot.resolve("dev/dri/renderD128"), 226, 128, 0666, 0);
    }

    private DriverFileDiscovery discovery() {
        return new DriverFileDiscovery(new DriverRoots(tmp.resolve("driver-root"), tmp.resolve("driver-root"), devRoot,
                Path.of("/proc"), sysRoot), nodes);
    }

    @Test
    void aGpusCardAndRenderNodesWithTheirByPathLinks() throws CdiException {
        ContainerEdits edits = discovery().drmEdits(BUS_ID, HOOK);

        assertEquals(List.of("/dev/dri/card1", "/dev/dri/renderD128"), edits.deviceNodes().stream().map(DeviceNode::path).toList(),
                "controlD entries of old kernels have no node and are left out");
        assertEquals(List.of(226L, 226L), edits.deviceNodes().stream().map(DeviceNode::major).toList());
        assertEquals(List.of(1L, 128L), edits.deviceNodes().stream().map(DeviceNode::minor).toList());
        assertEquals(List.of(VIDEO_GROUP), edits.additionalGids(), "the card node opens only through its group");
        assertEquals(1, edits.hooks().size());
        assertEquals(List.of("nvidia-cdi-hook", "create-symlinks",
                "--link", "../card1::/dev/dri/by-path/pci-" + BUS_ID + "-card",
                "--link", "../renderD128::/dev/dri/by-path/pci-" + BUS_ID + "-render"), edits.hooks().get(0).args());
        assertEquals(HOOK, edits.hooks().get(0).path());
    }

    @Test
    void withoutAHookTheNodesComeWithoutLinks() throws CdiException {
        ContainerEdits edits = discovery().drmEdits(BUS_ID, null);

        assertEquals(2, edits.deviceNodes().size());
        assertEquals(List.of(), edits.hooks());
    }

    @Test
    void aLinkToANodeTheGpuDoesNotHaveIsLeftOut() throws CdiException, IOException {
        Path card = devRoot.resolve("dev/dri/by-path/pci-" + BUS_ID + "-card");
        Files.delete(card);
        Files.createSymbolicLink(card, Path.of("../card0"));

        ContainerEdits edits = discovery().drmEdits(BUS_ID, HOOK);

        assertEquals(List.of("nvidia-cdi-hook", "create-symlinks", "--link", "../renderD128::/dev/dri/by-path/pci-" + BUS_ID
                + "-render"), edits.hooks().get(0).args());
    }

    @Test
    void aGpuWithoutDrmGetsNothing() throws CdiException {
        assertTrue(discovery().drmEdits("0000:b3:00.0", HOOK).isEmpty());
    }

    @Test
    void aBusIdThatIsNotOneIsRefusedBeforeItBecomesAPath() {
        CdiException refused = assertThrows(CdiException.class, () -> discovery().drmEdits("../../../etc", HOOK));

        assertTrue(refused.getMessage().contains("is not of the form 0000:65:00.0"), refused.getMessage());
    }
}
