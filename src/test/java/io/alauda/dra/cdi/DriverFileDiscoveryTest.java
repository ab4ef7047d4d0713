package io.alauda.dra.cdi;

import io.alauda.dra.device.MigInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.alauda.dra.cdi.TestDevices.DRIVER_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverFileDiscoveryTest {

    static final String V = DRIVER_VERSION;

    @TempDir
    Path tmp;

    Path root() {
        return tmp.resolve("driver-root");
    }

    /** The host's / mounted at driver-root, with the merged-/usr links a modern distribution has. */
    FakeDriverRoot distroRoot() {
        return new FakeDriverRoot(root())
                .symlink("lib", "/usr/lib")
                .symlink("bin", "usr/bin")
                .symlink("var/run", "/run")
                .file("usr/lib/x86_64-linux-gnu/libcuda.so." + V)
                .symlink("usr/lib/x86_64-linux-gnu/libcuda.so.1", "libcuda.so." + V)
                .file("usr/lib/x86_64-linux-gnu/libnvidia-ml.so." + V);
    }

    DriverFileDiscovery discovery(FakeDeviceNodes nodes) {
        return new DriverFileDiscovery(DriverRoots.forDriverRoot(root(), Path.of("/")), nodes);
    }

    FakeDeviceNodes ctl() {
        return new FakeDeviceNodes().charDevice(Path.of("/dev/nvidiactl"), 195, 255);
    }

    static List<String> containerPaths(List<Mount> mounts) {
        return mounts.stream().map(Mount::containerPath).toList();
    }

    @Test
    void librariesReachedThroughMergedUsrLinksAreMountedOnce() throws Exception {
        distroRoot();

        DriverFiles files = discovery(ctl()).discover(V);

        assertEquals(List.of(
                Mount.bind("/usr/lib/x86_64-linux-gnu/libcuda.so." + V, "/usr/lib/x86_64-linux-gnu/libcuda.so." + V,
                        DriverFileDiscovery.READ_ONLY_BIND),
                Mount.bind("/usr/lib/x86_64-linux-gnu/libnvidia-ml.so." + V,
                        "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so." + V, DriverFileDiscovery.READ_ONLY_BIND)),
                files.libraries());
        assertEquals("/usr/lib/x86_64-linux-gnu", files.libcudaDir());
        assertEquals(List.of("/usr/lib/x86_64-linux-gnu"), files.libraryDirs());
    }

    @Test
    void aLibraryThatIsASymlinkIsMountedAsTheRealFileAtItsOwnPath() throws Exception {
        distroRoot()
                .file("opt/nvidia/libnvidia-opencl.so." + V)
                .symlink("usr/lib64/libnvidia-opencl.so." + V, "/opt/nvidia/libnvidia-opencl.so." + V);

        DriverFiles files = new DriverFileDiscovery(DriverRoots.forDriverRoot(root(), Path.of("/run/nvidia/driver")),
                ctl()).discover(V);

        assertTrue(files.libraries().contains(Mount.bind("/run/nvidia/driver/opt/nvidia/libnvidia-opencl.so." + V,
                "/opt/nvidia/libnvidia-opencl.so." + V, DriverFileDiscovery.READ_ONLY_BIND)), files.libraries().toString());
        assertEquals(List.of("/opt/nvidia", "/usr/lib/x86_64-linux-gnu"), files.libraryDirs());
    }

    @Test
    void onlyFilesOfTheDriverVersionAreLibraries() throws Exception {
        distroRoot()
                .file("usr/lib/x86_64-linux-gnu/libnvidia-ml.so.570.86.15")
                .file("usr/lib/x86_64-linux-gnu/libnvidia-ml.so." + V + ".bak")
                .dir("usr/lib/x86_64-linux-gnu/libdir.so." + V);

        DriverFiles files = discovery(ctl()).discover(V);

        assertEquals(List.of("/usr/lib/x86_64-linux-gnu/libcuda.so." + V, "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so." + V),
                containerPaths(files.libraries()));
    }

    @Test
    void missingLibcudaNamesTheRootTheDirectoriesAndTheVersion() throws Exception {
        new FakeDriverRoot(root()).file("lib64/libnvidia-ml.so." + V);

        CdiException e = assertThrows(CdiException.class, () -> discovery(ctl()).discover(V));

        assertTrue(e.getMessage().contains("no libcuda.so." + V + " under driver root " + root()), e.getMessage());
        assertTrue(e.getMessage().contains("lib64, lib64/vdpau, usr/lib64"), e.getMessage());
        assertTrue(e.getMessage().contains("found only lib64/libnvidia-ml.so." + V), e.getMessage());
    }

    @Test
    void aDriverVersionThatIsNotAVersionIsRefused() {
        distroRoot();

        CdiException e = assertThrows(CdiException.class, () -> discovery(ctl()).discover("../../etc"));

        assertTrue(e.getMessage().contains("'../../etc' is not a version"), e.getMessage());
    }

    @Test
    void binariesKeepTheirNameOnPathWhenTheyAreSymlinks() throws Exception {
        distroRoot()
                .file("usr/lib/nvidia/bin/nvidia-smi.real")
                .symlink("usr/bin/nvidia-smi", "/usr/lib/nvidia/bin/nvidia-smi.real")
                .file("usr/sbin/nvidia-persistenced");

        DriverFiles files = discovery(ctl()).discover(V);

        assertEquals(List.of(
                Mount.bind("/usr/lib/nvidia/bin/nvidia-smi.real", "/usr/bin/nvidia-smi", DriverFileDiscovery.READ_ONLY_BIND),
                Mount.bind("/usr/sbin/nvidia-persistenced", "/usr/sbin/nvidia-persistenced", DriverFileDiscovery.READ_ONLY_BIND)),
                files.binaries());
    }

    @Test
    void firmwareIsAlwaysMountedUnderLibFirmware() throws Exception {
        distroRoot()
                .file("usr/lib/firmware/nvidia/" + V + "/gsp_ga10x.bin")
                .file("usr/lib/firmware/nvidia/" + V + "/README")
                .file("usr/lib/firmware/nvidia/570.86.15/gsp_tu10x.bin");

        DriverFiles files = discovery(ctl()).discover(V);

        // lib -> /usr/lib, so lib/firmware and usr/lib/firmware are one directory and give one mount.
        assertEquals(List.of(Mount.bind("/usr/lib/firmware/nvidia/" + V + "/gsp_ga10x.bin",
                        "/lib/firmware/nvidia/" + V + "/gsp_ga10x.bin", DriverFileDiscovery.READ_ONLY_BIND)),
                files.firmware());
    }

    @Test
    void ipcSocketsThatExistAreMountedWritableButNotExecutable() throws Exception {
        distroRoot().file("run/nvidia-persistenced/socket").dir("tmp/nvidia-mps");

        DriverFiles files = discovery(ctl()).discover(V);

        assertEquals(List.of(
                Mount.bind("/run/nvidia-persistenced/socket", "/run/nvidia-persistenced/socket", DriverFileDiscovery.IPC_BIND),
                Mount.bind("/tmp/nvidia-mps", "/tmp/nvidia-mps", DriverFileDiscovery.IPC_BIND)),
                files.ipcSockets());
        assertTrue(!DriverFileDiscovery.IPC_BIND.contains("ro"));
    }

    @Test
    void controlNodesThatExistAreListedAndNvidiactlIsRequired() throws Exception {
        distroRoot();
        FakeDeviceNodes nodes = ctl().charDevice(Path.of("/dev/nvidia-modeset"), 195, 254);

        DriverFiles files = discovery(nodes).discover(V);

        assertEquals(List.of("/dev/nvidiactl", "/dev/nvidia-modeset"),
                files.controlDeviceNodes().stream().map(DeviceNode::path).toList());
        CdiException e = assertThrows(CdiException.class, () -> discovery(new FakeDeviceNodes()).discover(V));
        assertTrue(e.getMessage().contains("/dev/nvidiactl not found under dev root /"), e.getMessage());
    }

    @Test
    void aNodeOnlyItsGroupMayOpenBringsThatGroupAlong() throws Exception {
        distroRoot();
        FakeDeviceNodes nodes = new FakeDeviceNodes()
                .charDevice(Path.of("/dev/nvidiactl"), 195, 255, 0660, 44)
                .charDevice(Path.of("/dev/nvidia-uvm"), 510, 0, 0666, 105);

        DriverFiles files = discovery(nodes).discover(V);

        assertEquals(new DeviceNode("/dev/nvidiactl", null, null, 195L, 255L, 0660, "rwm", null, 44L),
                files.controlDeviceNodes().get(0));
        assertEquals(105L, files.controlDeviceNodes().get(1).gid());
        assertEquals(List.of(44L), files.controlNodeGroups());
    }

    @Test
    void nodesOfADriverContainerGetTheirHostPath() throws Exception {
        distroRoot().dir("dev").file("dev/nvidiactl");
        Path ctl = root().resolve("dev/nvidiactl");
        DriverRoots roots = DriverRoots.forDriverRoot(root(), Path.of("/run/nvidia/driver"));

        DriverFiles files = new DriverFileDiscovery(roots, new FakeDeviceNodes().charDevice(ctl, 195, 255)).discover(V);

        assertEquals(root(), roots.devRoot());
        assertEquals("/run/nvidia/driver/dev/nvidiactl", files.controlDeviceNodes().get(0).hostPath());
        assertEquals("/run/nvidia/driver/usr/lib/x86_64-linux-gnu/libcuda.so." + V, files.libraries().get(0).hostPath());
    }

    /** GKE-style roots carry empty dev/, proc/ and sys/ mount points; the nodes are the host's (seen on the H100 machine). */
    @Test
    void anEmptyDevDirectoryInTheDriverRootDoesNotMakeItTheDevRoot() throws Exception {
        distroRoot().dir("dev").dir("proc").dir("sys");
        DriverRoots roots = DriverRoots.forDriverRoot(root(), Path.of("/usr/local/nvidia"));
        assertEquals(Path.of("/"), roots.devRoot());
    }

    @Test
    void migEditsAreTheParentNodeAndBothCapabilityNodes() throws Exception {
        Path proc = tmp.resolve("proc");
        Files.createDirectories(proc.resolve("driver/nvidia/capabilities/gpu2/mig/gi3/ci1"));
        Files.writeString(proc.resolve("driver/nvidia/capabilities/gpu2/mig/gi3/access"), "DeviceFileMinor: 30\nDeviceFileMode: 292\n");
        Files.writeString(proc.resolve("driver/nvidia/capabilities/gpu2/mig/gi3/ci1/access"), "DeviceFileMinor: 32\nDeviceFileMode: 256\n");
        // A block device of the same name must not be taken for the character device.
        Files.writeString(proc.resolve("devices"), "Character devices:\n240 nvidia-caps\n\nBlock devices:\n  9 nvidia-caps\n");
        DriverRoots roots = new DriverRoots(root(), Path.of("/"), Path.of("/"), proc);
        FakeDeviceNodes nodes = new FakeDeviceNodes().charDevice(Path.of("/dev/nvidia2"), 195, 2);

        ContainerEdits edits = new DriverFileDiscovery(roots, nodes).migEdits(TestDevices.mig(2, 3, 1).mig());

        assertEquals(List.of(
                new DeviceNode("/dev/nvidia2", null, null, 195L, 2L, 0666, "rwm", null, null),
                new DeviceNode("/dev/nvidia-caps/nvidia-cap30", null, "c", 240L, 30L, 0444, null, null, null),
                new DeviceNode("/dev/nvidia-caps/nvidia-cap32", null, "c", 240L, 32L, 0400, null, null, null)),
                edits.deviceNodes());
    }

    @Test
    void migWithoutCapsDeviceOrAccessFileIsAClearError() throws Exception {
        Path proc = tmp.resolve("proc");
        Files.createDirectories(proc.resolve("driver/nvidia/capabilities/gpu0/mig/gi1"));
        Files.writeString(proc.resolve("driver/nvidia/capabilities/gpu0/mig/gi1/access"), "DeviceFileMinor: 12\nDeviceFileMode: 292\n");
        Files.writeString(proc.resolve("devices"), "Character devices:\n195 nvidia\n");
        DriverRoots roots = new DriverRoots(root(), Path.of("/"), Path.of("/"), proc);
        DriverFileDiscovery discovery = new DriverFileDiscovery(roots,
                new FakeDeviceNodes().charDevice(Path.of("/dev/nvidia0"), 195, 0));
        MigInfo gi1 = TestDevices.mig(0, 1, 0).mig();
        MigInfo gi5 = TestDevices.mig(0, 5, 0).mig();

        CdiException noCaps = assertThrows(CdiException.class, () -> discovery.migEdits(gi1));
        CdiException noFile = assertThrows(CdiException.class, () -> discovery.migEdits(gi5));

        assertTrue(noCaps.getMessage().contains("no 'nvidia-caps' character device in " + proc.resolve("devices")),
                noCaps.getMessage());
        assertTrue(noFile.getMessage().contains(proc.resolve("driver/nvidia/capabilities/gpu0/mig/gi5/access")
                + " does not exist"), noFile.getMessage());
    }

    @Test
    void anAccessFileWithoutAMinorIsAnError() throws Exception {
        Path proc = tmp.resolve("proc");
        Files.createDirectories(proc.resolve("driver/nvidia/capabilities/gpu0/mig/gi1"));
        Files.writeString(proc.resolve("driver/nvidia/capabilities/gpu0/mig/gi1/access"), "DeviceFileMode: 292\n");
        Files.writeString(proc.resolve("devices"), "Character devices:\n237 nvidia-caps\n");
        DriverFileDiscovery discovery = new DriverFileDiscovery(new DriverRoots(root(), Path.of("/"), Path.of("/"), proc),
                new FakeDeviceNodes().charDevice(Path.of("/dev/nvidia0"), 195, 0));

        CdiException e = assertThrows(CdiException.class, () -> discovery.migEdits(TestDevices.mig(0, 1, 0).mig()));

        assertTrue(e.getMessage().contains("has no DeviceFileMinor line"), e.getMessage());
    }

    @Test
    void rootsMustBeAbsoluteAndTranslateOnlyPathsInsideTheDriverRoot() {
        DriverRoots roots = new DriverRoots(Path.of("/driver-root"), Path.of("/run/nvidia/driver"), Path.of("/"), Path.of("/proc"));

        assertEquals("/run/nvidia/driver/usr/lib64/libcuda.so.1", roots.toHost(Path.of("/driver-root/usr/lib64/libcuda.so.1")));
        assertEquals("/dev/nvidia0", roots.toHost(Path.of("/dev/nvidia0")));
        assertEquals("/driver-root-other/x", roots.toHost(Path.of("/driver-root-other/x")));
        assertThrows(IllegalArgumentException.class, () -> DriverRoots.forDriverRoot(Path.of("driver-root"), Path.of("/")));
    }
}
