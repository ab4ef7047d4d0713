package io.alauda.dra.discover;

import io.alauda.dra.cdi.ClaimSpecBuilder;
import io.alauda.dra.cdi.Device;
import io.alauda.dra.cdi.DeviceNode;
import io.alauda.dra.cdi.DriverFileDiscovery;
import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.cdi.Hook;
import io.alauda.dra.cdi.Mount;
import io.alauda.dra.cdi.Spec;
import io.alauda.dra.cdi.SpecJson;
import io.alauda.dra.cdi.UnixDeviceNodeSource;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.nvml.NvmlDiscovery;
import io.alauda.dra.nvml.PciTopology;
import io.alauda.dra.nvml.replay.NvmlReplay;
import io.alauda.dra.nvml.replay.Recording;
import io.alauda.dra.nvml.replay.SysfsReplay;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --cdi} and {@code --check-paths} on the sample recording (an A100 in MIG mode and a T4). */
class DiscoverCdiTest {

    private static final String UID = CdiSpecOutput.PLACEHOLDER_CLAIM_UID;
    private static final String DRIVER_VERSION = "550.163.01";
    private static final Path HOST_ROOT = Path.of("/run/nvidia/driver");
    private static final String HOOK = "/run/nvidia/driver/usr/bin/nvidia-cdi-hook";

    @TempDir
    Path dir;

    private Path root;
    private Path proc;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void node() throws IOException {
        // The sample's A100 has minor 1 and MIG GPU instances 1 and 13; the T4 has minor 0.
        root = FakeNode.driverRoot(dir.resolve("driver"), DRIVER_VERSION, 0, 1);
        proc = FakeNode.proc(dir.resolve("proc"), 1, 1, 13);
    }

    /** As the command runs, except that {@code /proc} is the fake one: MIG capability files need a MIG GPU. */
    private int run(String... args) {
        return DiscoverCommand.run(args, Map.of(), driverRoot -> {
            throw new AssertionError("the real NVML must not be loaded here");
        }, roots -> new DriverFileDiscovery(withProc(roots), new UnixDeviceNodeSource()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private DriverRoots withProc(DriverRoots roots) {
        return new DriverRoots(roots.driverRoot(), roots.hostDriverRoot(), roots.devRoot(), proc);
    }

    private String[] cdiArgs(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--replay", DiscoverCommandTest.sample().toString(), "--cdi",
                "--driver-root", root.toString(), "--host-driver-root", HOST_ROOT.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).replace("\r", "");
    }

    /** What the kubelet plugin builds for a claim of every device, straight from the cdi package. */
    private Spec pluginSpec(String hookPath) throws Exception {
        Recording recording = Recording.read(DiscoverCommandTest.sample());
        NodeInventory inventory = new NvmlDiscovery(new NvmlReplay(recording), new PciTopology(new SysfsReplay(recording)),
                w -> { }).discover();
        DriverRoots roots = withProc(DriverRoots.forDriverRoot(root, HOST_ROOT));
        return new ClaimSpecBuilder(new DriverFileDiscovery(roots, new UnixDeviceNodeSource()), DRIVER_VERSION, hookPath)
                .build(UID, DeviceModel.devices(inventory));
    }

    private static DeviceNode node(Spec spec, String path) {
        return spec.containerEdits().deviceNodes().stream().filter(n -> n.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void cdiPrintsTheSpecThePluginWouldWriteForAClaimOfEveryDevice() throws Exception {
        assertEquals(0, run(cdiArgs("--cdi-hook-path", HOOK)), err());

        assertEquals(SpecJson.toJson(pluginSpec(HOOK)), out(), "byte for byte what the plugin writes");
        assertEquals("", err());
        Spec spec = SpecJson.fromJson(out());
        assertEquals(List.of(UID + "-gpu-0", UID + "-gpu-1-mig-1g5gb-me-20-6", UID + "-gpu-1-mig-3g20gb-9-0"),
                spec.devices().stream().map(Device::name).toList());
        assertTrue(spec.containerEdits().mounts().stream().map(Mount::hostPath)
                .anyMatch(p -> p.equals("/run/nvidia/driver/lib64/libcuda.so." + DRIVER_VERSION)), out());
        assertEquals("/run/nvidia/driver/dev/nvidiactl", node(spec, "/dev/nvidiactl").hostPath());
        assertTrue(spec.containerEdits().hooks().stream().map(Hook::path).allMatch(HOOK::equals), out());
        // The 3g.20gb device is GPU instance 1, whose access files FakeNode numbered 100 and 101.
        assertEquals(List.of("/dev/nvidia1", "/dev/nvidia-caps/nvidia-cap100", "/dev/nvidia-caps/nvidia-cap101"),
                spec.devices().get(2).containerEdits().deviceNodes().stream().map(DeviceNode::path).toList());
    }

    @Test
    void withoutAHookPathTheSpecHasNoHooksAndTheHostRootDefaultsToTheDriverRoot() throws Exception {
        assertEquals(0, run("--replay", DiscoverCommandTest.sample().toString(), "--cdi", "--driver-root", root.toString()),
                err());

        Spec spec = SpecJson.fromJson(out());
        assertEquals(List.of(), spec.containerEdits().hooks());
        assertEquals(root.resolve("dev/nvidiactl").toString(), node(spec, "/dev/nvidiactl").hostPath());
    }

    @Test
    void checkPathsConfirmsEveryHostPathExists() throws Exception {
        FakeNode.file(root.resolve("usr/bin/nvidia-cdi-hook"));

        assertEquals(0, run(cdiArgs("--cdi-hook-path", HOOK, "--check-paths")), err());

        Spec spec = SpecJson.fromJson(out());
        int checked = HostPathCheck.hostPaths(spec).size();
        assertEquals("all " + checked + " host paths in the CDI spec exist\n", err());
        assertTrue(HostPathCheck.hostPaths(spec).stream().noneMatch(p -> p.path().startsWith("/dev/nvidia-caps/")),
                "the runtime creates MIG capability nodes from their numbers; they need not exist on the host");
    }

    @Test
    void checkPathsListsTheMissingOnesAndExitsOne() throws Exception {
        assertEquals(1, run(cdiArgs("--cdi-hook-path", "/opt/missing/nvidia-cdi-hook", "--check-paths")));

        Spec spec = SpecJson.fromJson(out());
        int checked = HostPathCheck.hostPaths(spec).size();
        assertEquals("discover: 1 of " + checked + " host paths in the CDI spec do not exist:\n"
                + "  /opt/missing/nvidia-cdi-hook (createContainer hook)\n", err());
    }

    @Test
    void aDriverRootWithoutTheDriverFailsNamingWhatIsMissing() throws Exception {
        Files.delete(root.resolve("lib64/libcuda.so." + DRIVER_VERSION));

        assertEquals(2, run(cdiArgs()));

        assertTrue(err().startsWith("discover: cannot build the CDI spec: no libcuda.so." + DRIVER_VERSION
                + " under driver root " + root), err());
        assertEquals("", out());
    }

    @Test
    void aHookPathThePluginWouldRefuseIsRefused() throws Exception {
        assertEquals(2, run(cdiArgs("--cdi-hook-path", "/")));

        assertTrue(err().startsWith("discover: nvidia-cdi-hook path '/' must be an absolute, normalised host path"), err());
        assertTrue(err().contains("(--cdi-hook-path)"), err());
    }

    @Test
    void withPluginDirTheImagesHookIsCopiedThereAndNamedAsThePluginWouldWhenTheNodeHasNone() throws Exception {
        Path imageHook = dir.resolve("image/nvidia-cdi-hook");
        Files.createDirectories(imageHook.getParent());
        Files.writeString(imageHook, "#!/bin/sh\n");
        imageHook.toFile().setExecutable(true);
        Path pluginDir = dir.resolve("plugin");

        assertEquals(0, run(cdiArgs("--plugin-dir", pluginDir.toString(), "--image-cdi-hook", imageHook.toString())), err());

        Path copy = pluginDir.resolve("nvidia-cdi-hook");
        assertEquals(-1, Files.mismatch(imageHook, copy), "the image's hook is copied where the specs name it");
        Spec spec = SpecJson.fromJson(out());
        assertTrue(!spec.containerEdits().hooks().isEmpty()
                && spec.containerEdits().hooks().stream().map(Hook::path).allMatch(copy.toString()::equals), out());
        assertTrue(err().startsWith("nvidia-cdi-hook: " + copy + " (this image's " + imageHook), err());
    }

    @Test
    void withPluginDirTheNodesOwnHookWinsOverTheImagesCopy() throws Exception {
        Path own = root.resolve("usr/bin/nvidia-cdi-hook");
        FakeNode.file(own);
        own.toFile().setExecutable(true);
        Path pluginDir = dir.resolve("plugin");

        assertEquals(0, run(cdiArgs("--plugin-dir", pluginDir.toString(), "--image-cdi-hook",
                dir.resolve("image/none").toString())), err());

        assertTrue(SpecJson.fromJson(out()).containerEdits().hooks().stream().map(Hook::path).allMatch(HOOK::equals), out());
        assertTrue(Files.notExists(pluginDir.resolve("nvidia-cdi-hook")), "nothing is copied when the node has a hook");
    }

    @Test
    void withPluginDirAndNoHookAnywhereTheSpecHasNoHooksAndTheWarningSaysWhatToDo() throws Exception {
        assertEquals(0, run(cdiArgs("--plugin-dir", dir.resolve("plugin").toString(), "--image-cdi-hook",
                dir.resolve("image/none").toString())), err());

        assertEquals(List.of(), SpecJson.fromJson(out()).containerEdits().hooks());
        assertTrue(err().startsWith("no nvidia-cdi-hook found") && err().contains("set spec.cdiHookPath"), err());
    }

    @Test
    void imageCdiHookNeedsPluginDir() throws Exception {
        assertEquals(2, run(cdiArgs("--image-cdi-hook", "/usr/bin/nvidia-cdi-hook")));

        assertTrue(err().contains("--image-cdi-hook") && err().contains("add --plugin-dir"), err());
    }
}
