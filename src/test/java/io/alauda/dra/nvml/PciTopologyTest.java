package io.alauda.dra.nvml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A fake sysfs tree with real symbolic links, laid out like /sys on a node. */
class PciTopologyTest {

    @TempDir
    Path sys;

    /** Creates devices/<path>/numa_node and the bus/pci/devices/<bdf> link to it, relative as the kernel makes it. */
    private void device(String devicePath, String numaNode) throws IOException {
        Path device = sys.resolve("devices").resolve(devicePath);
        Files.createDirectories(device);
        if (numaNode != null) {
            Files.writeString(device.resolve("numa_node"), numaNode);
        }
        Path link = sys.resolve("bus/pci/devices").resolve(device.getFileName());
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, link.getParent().relativize(device));
    }

    private PciTopology topology() {
        return new PciTopology(new LiveSysfs(sys));
    }

    @Test
    void rootComplexAndNumaNodeOfADeviceBehindBridges() throws IOException {
        device("pci0000:64/0000:64:01.0/0000:65:00.0", "0\n");

        assertEquals(Optional.of("pci0000:64"), topology().pcieRoot("0000:65:00.0"));
        assertEquals(Optional.of(0), topology().numaNode("0000:65:00.0"));
    }

    @Test
    void linkIsStoredRelativeToTheSysfsRoot() throws IOException {
        device("pci0000:97/0000:97:01.0/0000:98:00.0/0000:9a:00.0", "1\n");

        assertEquals(Optional.of("devices/pci0000:97/0000:97:01.0/0000:98:00.0/0000:9a:00.0"),
                new LiveSysfs(sys).resolveLink("bus/pci/devices/0000:9a:00.0"));
        assertEquals(Optional.of(1), topology().numaNode("0000:9a:00.0"));
    }

    @Test
    void noNumaAffinityIsLeftOut() throws IOException {
        device("pci0000:00/0000:00:02.0/0000:07:00.0", "-1\n");

        assertEquals(Optional.empty(), topology().numaNode("0000:07:00.0"));
        assertEquals(Optional.of("pci0000:00"), topology().pcieRoot("0000:07:00.0"));
    }

    @Test
    void missingDeviceOrFileGivesNothing() throws IOException {
        device("pci0000:00/0000:00:03.0/0000:08:00.0", null);

        assertEquals(Optional.empty(), topology().numaNode("0000:08:00.0"));
        assertEquals(Optional.empty(), topology().pcieRoot("0000:09:00.0"));
        assertEquals(Optional.empty(), topology().numaNode("0000:09:00.0"));
    }

    @Test
    void linkLeavingTheSysfsRootOrNotEndingInTheDeviceIsIgnored() throws IOException {
        Files.createDirectories(sys.resolve("bus/pci/devices"));
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:10:00.0"), Path.of("/etc"));
        Path other = sys.resolve("devices/pci0000:00/0000:00:01.0/0000:11:00.0");
        Files.createDirectories(other);
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:12:00.0"), other);

        assertEquals(Optional.empty(), topology().pcieRoot("0000:10:00.0"));
        assertEquals(Optional.empty(), topology().pcieRoot("0000:12:00.0"));
    }

    @Test
    void absoluteLinkInsideTheRootWorks() throws IOException {
        Path device = sys.resolve("devices/pci0000:ae/0000:ae:00.0/0000:af:00.0");
        Files.createDirectories(device);
        Files.createDirectories(sys.resolve("bus/pci/devices"));
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:af:00.0"), device.toAbsolutePath());

        assertEquals(Optional.of("pci0000:ae"), topology().pcieRoot("0000:af:00.0"));
    }

    @Test
    void busIdThatIsNotBdfNeverReachesTheFileSystem() {
        SysfsSource failing = new SysfsSource() {
            @Override
            public Optional<String> resolveLink(String path) {
                throw new AssertionError("read " + path);
            }

            @Override
            public Optional<String> readFile(String path) {
                throw new AssertionError("read " + path);
            }
        };
        PciTopology topology = new PciTopology(failing);

        assertEquals(Optional.empty(), topology.pcieRoot("../../../etc/passwd"));
        assertEquals(Optional.empty(), topology.numaNode("0000:65:00.0/../../x"));
    }
}
