package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.alauda.dra.cdi.TestDevices.DRIVER_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimSpecBuilderTest {

    static final String HOOK = "/var/lib/kubelet/plugins/gpu.nvidia.com/nvidia-cdi-hook";
    static final String H100_UID = "c8a3f0e2-5b1d-4e7a-9f62-0d4b7e91a2c3";
    static final String MIG_UID = "0b9c4e8e-5a41-4bd4-9d6a-1e7c3f2a7b10";

    @TempDir
    Path tmp;

    /** GKE-like root: lib64/, bin/, firmware/nvidia/<ver>/, no dev/ of its own, so nodes come from the host's /dev. */
    ClaimSpecBuilder gkeBuilder(String hookPath) {
        Path root = tmp.resolve("gke");
        new FakeDriverRoot(root)
                .file("lib64/libcuda.so." + DRIVER_VERSION)
                .symlink("lib64/libcuda.so.1", "libcuda.so." + DRIVER_VERSION)
                .file("lib64/libnvidia-ml.so." + DRIVER_VERSION)
                .file("lib64/vdpau/libvdpau_nvidia.so." + DRIVER_VERSION)
                .file("lib64/libnvidia-ml.so.570.00.01")
                .file("bin/nvidia-smi")
                .file("bin/nvidia-debugdump")
                .file("firmware/nvidia/" + DRIVER_VERSION + "/gsp_ga10x.bin")
                .file("firmware/nvidia/" + DRIVER_VERSION + "/gsp_tu10x.bin");
        FakeDeviceNodes nodes = new FakeDeviceNodes()
                .charDevice(Path.of("/dev/nvidiactl"), 195, 255)
                .charDevice(Path.of("/dev/nvidia-uvm"), 510, 0)
                .charDevice(Path.of("/dev/nvidia-uvm-tools"), 510, 1)
                .charDevice(Path.of("/dev/nvidia0"), 195, 0);
        DriverRoots roots = DriverRoots.forDriverRoot(root, Path.of("/usr/local/nvidia"));
        return new ClaimSpecBuilder(new DriverFileDiscovery(roots, nodes), DRIVER_VERSION, hookPath);
    }

    /** A driver container's root with its own dev/, as the GPU operator installs it under /run/nvidia/driver. */
    ClaimSpecBuilder driverContainerBuilder() throws IOException {
        Path root = tmp.resolve("driver");
        new FakeDriverRoot(root)
                .dir("dev")
                .file("dev/nvidiactl")
                .file("usr/lib/x86_64-linux-gnu/libcuda.so." + DRIVER_VERSION)
                .file("usr/lib/x86_64-linux-gnu/libnvidia-ml.so." + DRIVER_VERSION)
                .file("usr/bin/nvidia-smi")
                .file("lib/firmware/nvidia/" + DRIVER_VERSION + "/gsp_ga10x.bin")
                .file("run/nvidia-persistenced/socket")
                .dir("tmp/nvidia-mps");
        FakeDeviceNodes nodes = new FakeDeviceNodes()
                .charDevice(root.resolve("dev/nvidiactl"), 195, 255)
                .charDevice(root.resolve("dev/nvidia1"), 195, 1);
        Path proc = tmp.resolve("proc");
        new FakeDriverRoot(proc)
                .dir("driver/nvidia/capabilities/gpu1/mig/gi9/ci0");
        Files.writeString(proc.resolve("driver/nvidia/capabilities/gpu1/mig/gi9/access"),
                "DeviceFileMinor: 84\nDeviceFileMode: 292\nDeviceFileModify: 1\n");
        Files.writeString(proc.resolve("driver/nvidia/capabilities/gpu1/mig/gi9/ci0/access"),
                "DeviceFileMinor: 85\nDeviceFileMode: 292\nDeviceFileModify: 1\n");
        Files.writeString(proc.resolve("devices"),
                "Character devices:\n  1 mem\n195 nvidia-frontend\n237 nvidia-caps\n510 nvidia-uvm\n\n"
                        + "Block devices:\n  8 sd\n");
        DriverRoots defaults = DriverRoots.forDriverRoot(root, Path.of("/run/nvidia/driver"));
        DriverRoots roots = new DriverRoots(defaults.driverRoot(), defaults.hostDriverRoot(), defaults.devRoot(), proc);
        return new ClaimSpecBuilder(new DriverFileDiscovery(roots, nodes), DRIVER_VERSION, null);
    }

    @Test
    void h100ClaimOnGkeLayoutMatchesGoldenFile() throws Exception {
        Spec spec = gkeBuilder(HOOK).build(H100_UID, List.of(TestDevices.h100(0)));

        assertEquals(golden("h100-claim.json"), SpecJson.toJson(spec));
        assertEquals(List.of(), SpecValidator.problems(spec));
    }

    @Test
    void migClaimInDriverContainerMatchesGoldenFile() throws Exception {
        Spec spec = driverContainerBuilder().build(MIG_UID, List.of(TestDevices.mig(1, 9, 0)));

        assertEquals(golden("mig-claim.json"), SpecJson.toJson(spec));
        assertEquals(List.of(), SpecValidator.problems(spec));
    }

    @Test
    void goldenFilesReadBackAsTheSpecsThatProducedThem() throws Exception {
        Spec h100 = gkeBuilder(HOOK).build(H100_UID, List.of(TestDevices.h100(0)));
        Spec mig = driverContainerBuilder().build(MIG_UID, List.of(TestDevices.mig(1, 9, 0)));

        assertEquals(h100, SpecJson.fromJson(golden("h100-claim.json")));
        assertEquals(mig, SpecJson.fromJson(golden("mig-claim.json")));
    }

    @Test
    void withoutHookPathTheSpecHasNoHooks() throws Exception {
        Spec spec = gkeBuilder(null).build(H100_UID, List.of(TestDevices.h100(0)));

        assertEquals(List.of(), spec.containerEdits().hooks());
        assertEquals(List.of(), SpecValidator.problems(spec));
    }

    @Test
    void nvidiaCtkAsHookPathGetsItsHookSubcommand() throws Exception {
        Spec spec = gkeBuilder("/usr/bin/nvidia-ctk").build(H100_UID, List.of(TestDevices.h100(0)));

        assertEquals(List.of("nvidia-ctk", "hook", "disable-device-node-modification"),
                spec.containerEdits().hooks().get(3).args());
    }

    @Test
    void uidStartingWithADigitNeedsVersion050() throws Exception {
        Spec spec = gkeBuilder(HOOK).build("7d0e9c1a-0000-4000-8000-000000000000", List.of(TestDevices.h100(0)));

        assertEquals("0.5.0", spec.cdiVersion());
    }

    @Test
    void devicesAreSortedByName() throws Exception {
        ClaimSpecBuilder builder = gkeBuilderWithTwoGpus();

        Spec spec = builder.build(H100_UID, List.of(TestDevices.h100(1), TestDevices.h100(0)));

        assertEquals(List.of(H100_UID + "-gpu-0", H100_UID + "-gpu-1"),
                spec.devices().stream().map(Device::name).toList());
    }

    private ClaimSpecBuilder gkeBuilderWithTwoGpus() {
        Path root = tmp.resolve("gke2");
        new FakeDriverRoot(root).file("lib64/libcuda.so." + DRIVER_VERSION);
        FakeDeviceNodes nodes = new FakeDeviceNodes()
                .charDevice(Path.of("/dev/nvidiactl"), 195, 255)
                .charDevice(Path.of("/dev/nvidia0"), 195, 0)
                .charDevice(Path.of("/dev/nvidia1"), 195, 1);
        DriverRoots roots = DriverRoots.forDriverRoot(root, Path.of("/usr/local/nvidia"));
        return new ClaimSpecBuilder(new DriverFileDiscovery(roots, nodes), DRIVER_VERSION, null);
    }

    @Test
    void refusesAnInvalidClaimUidBeforeAnythingElse() {
        CdiException e = assertThrows(CdiException.class,
                () -> gkeBuilder(HOOK).build("../../etc/x", List.of(TestDevices.h100(0))));

        assertTrue(e.getMessage().contains("'../../etc/x'"), e.getMessage());
    }

    @Test
    void refusesAClaimWithoutDevices() {
        CdiException e = assertThrows(CdiException.class, () -> gkeBuilder(HOOK).build(H100_UID, List.of()));

        assertTrue(e.getMessage().contains("no devices"), e.getMessage());
    }

    @Test
    void refusesTheSameDeviceTwice() {
        CdiException e = assertThrows(CdiException.class,
                () -> gkeBuilder(HOOK).build(H100_UID, List.of(TestDevices.h100(0), TestDevices.h100(0))));

        assertTrue(e.getMessage().contains("gpu-0 twice"), e.getMessage());
    }

    @Test
    void aGpuWhoseDeviceNodeIsMissingIsAnErrorNamingTheNode() {
        CdiException e = assertThrows(CdiException.class,
                () -> gkeBuilder(HOOK).build(H100_UID, List.of(TestDevices.h100(3))));

        assertTrue(e.getMessage().contains("/dev/nvidia3"), e.getMessage());
    }

    @Test
    void refusesARelativeHookPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gkeBuilder("nvidia-cdi-hook"));

        assertTrue(e.getMessage().contains("'nvidia-cdi-hook'"), e.getMessage());
    }

    @Test
    void cdiDeviceIdIsKindEqualsUidDashDeviceName() throws Exception {
        assertEquals("k8s.gpu.nvidia.com/claim=" + H100_UID + "-gpu-0", ClaimSpecs.cdiDeviceId(H100_UID, "gpu-0"));
        assertThrows(CdiException.class, () -> ClaimSpecs.cdiDeviceId("UPPER", "gpu-0"));
        assertThrows(CdiException.class, () -> ClaimSpecs.cdiDeviceId(H100_UID, "gpu/0"));
    }

    @Test
    void fileNameFollowsTransientSpecNaming() throws Exception {
        assertEquals("k8s.gpu.nvidia.com-claim_" + H100_UID + ".json", ClaimSpecs.fileName(H100_UID));
        assertEquals(java.util.Optional.of(H100_UID), ClaimSpecs.claimUidOf("k8s.gpu.nvidia.com-claim_" + H100_UID + ".json"));
        assertEquals(java.util.Optional.empty(), ClaimSpecs.claimUidOf("k8s.gpu.nvidia.com-claim_Bad.json"));
    }

    static String golden(String name) throws IOException {
        try (InputStream in = ClaimSpecBuilderTest.class.getResourceAsStream("/cdi/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /cdi/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
