package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.alauda.dra.cdi.TestDevices.DRIVER_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's files are read once and kept while their directories are unchanged; device nodes and IPC sockets are
 * looked up for every spec. A kept reading is detected by changing a directory's content and putting its time back,
 * which only a kept reading misses.
 */
class DriverFileReadingTest {

    static final String V = DRIVER_VERSION;
    static final String LIB_DIR = "usr/lib/x86_64-linux-gnu";

    @TempDir
    Path tmp;

    FakeDeviceNodes nodes = new FakeDeviceNodes().charDevice(Path.of("/dev/nvidiactl"), 195, 255);

    Path root() {
        return tmp.resolve("driver-root");
    }

    FakeDriverRoot driverRoot() {
        return new FakeDriverRoot(root())
                // Relative: an absolute link would make the fixtures below write into the build machine's /usr/lib.
                .symlink("lib", "usr/lib")
                .file(LIB_DIR + "/libcuda.so." + V)
                .file(LIB_DIR + "/libnvidia-ml.so." + V)
                .file("usr/bin/nvidia-smi");
    }

    /** A discovery whose clock stands well after the files were made, so its readings are not racy. */
    DriverFileDiscovery settledDiscovery() {
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofMinutes(5)), ZoneOffset.UTC);
        return new DriverFileDiscovery(DriverRoots.forDriverRoot(root(), Path.of("/")), nodes, later);
    }

    /** Adds a library without the library directory's time showing it. */
    void addLibraryBehindTheFingerprint(String name) throws Exception {
        Path dir = root().resolve(LIB_DIR);
        FileTime before = Files.getLastModifiedTime(dir);
        Files.createFile(dir.resolve(name));
        Files.setLastModifiedTime(dir, before);
    }

    static List<String> libraries(DriverFiles files) {
        return files.libraries().stream().map(Mount::containerPath).toList();
    }

    @Test
    void aSecondSpecReusesTheReadingWhileTheDirectoriesAreUnchanged() throws Exception {
        driverRoot();
        DriverFileDiscovery discovery = settledDiscovery();
        DriverFiles first = discovery.discover(V);
        assertTrue(discovery.watchedDirectories() > 0, "a settled reading is kept");

        addLibraryBehindTheFingerprint("libnvidia-hidden.so." + V);

        assertEquals(libraries(first), libraries(discovery.discover(V)));
    }

    @Test
    void aLibraryAddedLaterIsFoundBecauseItsDirectoryChanged() throws Exception {
        driverRoot();
        DriverFileDiscovery discovery = settledDiscovery();
        discovery.discover(V);

        Files.createFile(root().resolve(LIB_DIR).resolve("libnvidia-encode.so." + V));

        assertTrue(libraries(discovery.discover(V)).contains("/" + LIB_DIR + "/libnvidia-encode.so." + V));
    }

    @Test
    void aDirectoryThatAppearsLaterIsSearched() throws Exception {
        driverRoot();
        DriverFileDiscovery discovery = settledDiscovery();
        assertTrue(discovery.discover(V).firmware().isEmpty());

        new FakeDriverRoot(root()).file("lib/firmware/nvidia/" + V + "/gsp_ga10x.bin");

        assertEquals(List.of("/lib/firmware/nvidia/" + V + "/gsp_ga10x.bin"),
                discovery.discover(V).firmware().stream().map(Mount::containerPath).toList());
    }

    @Test
    void aLibraryDirectoryReplacedThroughItsLinkIsReadAgain() throws Exception {
        driverRoot().file("opt/next/libcuda.so." + V).file("opt/next/libnvidia-ptxjitcompiler.so." + V)
                .symlink("lib64", "usr/lib/x86_64-linux-gnu");
        DriverFileDiscovery discovery = settledDiscovery();
        discovery.discover(V);

        Files.delete(root().resolve("lib64"));
        Files.createSymbolicLink(root().resolve("lib64"), Path.of("opt/next"));

        assertTrue(libraries(discovery.discover(V)).contains("/opt/next/libnvidia-ptxjitcompiler.so." + V));
    }

    @Test
    void deviceNodesAndSocketsAreLookedUpForEverySpec() throws Exception {
        driverRoot();
        DriverFileDiscovery discovery = settledDiscovery();
        DriverFiles first = discovery.discover(V);
        assertEquals(List.of("/dev/nvidiactl"), first.controlDeviceNodes().stream().map(DeviceNode::path).toList());
        assertTrue(first.ipcSockets().isEmpty());

        nodes.charDevice(Path.of("/dev/nvidia-uvm"), 510, 0);
        new FakeDriverRoot(root()).file("run/nvidia-persistenced/socket");

        DriverFiles second = discovery.discover(V);
        assertEquals(List.of("/dev/nvidiactl", "/dev/nvidia-uvm"),
                second.controlDeviceNodes().stream().map(DeviceNode::path).toList());
        assertEquals(List.of("/run/nvidia-persistenced/socket"),
                second.ipcSockets().stream().map(Mount::containerPath).toList());
    }

    @Test
    void aReadingOfDirectoriesChangedJustBeforeIsNotKept() throws Exception {
        driverRoot();
        // The real clock: the directories were made a moment ago, inside the racy window.
        DriverFileDiscovery discovery = new DriverFileDiscovery(DriverRoots.forDriverRoot(root(), Path.of("/")), nodes);
        discovery.discover(V);
        assertEquals(0, discovery.watchedDirectories());

        addLibraryBehindTheFingerprint("libnvidia-racy.so." + V);

        assertTrue(libraries(discovery.discover(V)).contains("/" + LIB_DIR + "/libnvidia-racy.so." + V));
    }

    @Test
    void aFailedReadingIsNotKept() throws Exception {
        new FakeDriverRoot(root()).file(LIB_DIR + "/libnvidia-ml.so." + V);
        DriverFileDiscovery discovery = settledDiscovery();
        assertFalse(runs(discovery), "no libcuda yet");

        addLibraryBehindTheFingerprint("libcuda.so." + V);

        assertTrue(runs(discovery), "the missing library is looked for again");
    }

    static boolean runs(DriverFileDiscovery discovery) {
        try {
            discovery.discover(V);
            return true;
        } catch (CdiException e) {
            return false;
        }
    }
}
