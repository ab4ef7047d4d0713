package io.alauda.dra.discover;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.alauda.dra.files.JsonFiles;
import io.alauda.dra.nvml.FakeNvml;
import io.alauda.dra.nvml.Nvml;
import io.alauda.dra.nvml.NvmlCall;
import io.alauda.dra.nvml.NvmlReturn;
import io.alauda.dra.nvml.replay.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscoverCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, Function<Path, Nvml> loader, String... args) {
        return DiscoverCommand.run(args, env, loader, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        return run(Map.of(), root -> {
            throw new AssertionError("the real NVML must not be loaded here");
        }, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static Path sample() throws URISyntaxException {
        return Path.of(DiscoverCommandTest.class.getResource("/nvml/a100-mig-t4.json").toURI());
    }

    static String resource(String name) throws IOException {
        try (InputStream in = DiscoverCommandTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Object json(String text) {
        try {
            return JsonFiles.parse(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + JsonFiles.problem(e) + "\n" + text, e);
        }
    }

    /** Column widths worked out from the sample: longest name 23, type 4, product 21, UUID 40, bus ID 12, memory 7. */
    private static String row(String name, String type, String product, String uuid, String bus, String memory, String profile) {
        return String.format("%-25s%-6s%-23s%-42s%-14s%-9s%s%n", name, type, product, uuid, bus, memory, profile);
    }

    @Test
    void tableListsEveryPublishedDevice() throws Exception {
        assertEquals(0, run("--replay", sample().toString()), err());

        String expected = "driver 550.163.01, CUDA 12.4, 2 GPUs, 3 devices" + System.lineSeparator()
                + row("NAME", "TYPE", "PRODUCT", "UUID", "PCI BUS ID", "MEMORY", "MIG PROFILE")
                + row("gpu-0", "gpu", "Tesla T4", "GPU-7e2f0c11-5a3b-4c2d-9e8f-0123456789ab", "0000:af:00.0", "15Gi", "-")
                + row("gpu-1-mig-1g5gb-me-20-6", "mig", "NVIDIA A100-SXM4-40GB", "MIG-6a7b8c9d-0e1f-5a2b-9c3d-4e5f6a7b8c9d",
                        "0000:07:00.0", "4864Mi", "1g.5gb+me")
                + row("gpu-1-mig-3g20gb-9-0", "mig", "NVIDIA A100-SXM4-40GB", "MIG-1f0c9a3e-2b4d-5e6f-8a9b-0c1d2e3f4a5b",
                        "0000:07:00.0", "19968Mi", "3g.20gb");
        assertEquals(expected, out());
        assertEquals("", err());
    }

    @Test
    void sliceIsTheResourceSliceDeviceList() throws Exception {
        assertEquals(0, run("--replay=" + sample(), "--slice"), err());

        assertEquals(json(resource("/nvml/a100-mig-t4.slice.json")), json(out()));
        assertTrue(out().contains("\n      \"productName\": {\"string\": \"Tesla T4\"},\n"), "one attribute per line:\n" + out());
    }

    @Test
    void sliceOfARealNodeIsByteForByteWhatDiscoverPrintedThere() throws Exception {
        Path recording = Path.of(DiscoverCommandTest.class.getResource("/nvml/captures/h100-x2/discover-recording.json").toURI());

        assertEquals(0, run("--replay", recording.toString(), "--slice"), err());

        assertEquals(resource("/nvml/captures/h100-x2/discover-slice.json"), out());
    }

    @Test
    void jsonOutputIsByteForByteTheCommittedOne() throws Exception {
        assertEquals(0, run("--replay", sample().toString(), "--output", "json"), err());

        // Written by the hand-made JSON writer this output had before Jackson; its layout is the contract.
        assertEquals(resource("/nvml/a100-mig-t4.inventory.json"), out());
    }

    @Test
    void jsonOutputHasTheDiscoveredFactsWithUnknownOnesAbsent() throws Exception {
        assertEquals(0, run("--replay", sample().toString(), "--output", "json"), err());

        Map<?, ?> root = (Map<?, ?>) json(out());
        assertEquals("550.163.01", root.get("driverVersion"));
        List<?> gpus = (List<?>) root.get("gpus");
        Map<?, ?> t4 = (Map<?, ?>) gpus.get(0);
        assertEquals("Tesla T4", t4.get("productName"));
        assertFalse(t4.containsKey("brand"));
        assertFalse(t4.containsKey("numaNode"));
        Map<?, ?> a100 = (Map<?, ?>) gpus.get(1);
        Map<?, ?> mig = (Map<?, ?>) ((List<?>) a100.get("migDevices")).get(0);
        assertEquals(Map.of("start", 0L, "size", 4L), Map.of("start", mig.get("placementStart"), "size", mig.get("placementSize")));
        assertEquals("3g.20gb", ((Map<?, ?>) mig.get("profile")).get("name"));
    }

    @Test
    void explicitSysfsReplacesTheRecordedOne() throws Exception {
        assertEquals(0, run("--replay", sample().toString(), "--sysfs", dir.toString(), "-o", "json"), err());

        Map<?, ?> t4 = (Map<?, ?>) ((List<?>) ((Map<?, ?>) json(out())).get("gpus")).get(0);
        assertFalse(t4.containsKey("pcieRoot"), "the empty sysfs has no PCI devices");
    }

    @Test
    void recordingWritesEveryAnswerAndReplaysToTheSameOutput() {
        Path file = dir.resolve("node.json");

        assertEquals(0, run(Map.of(), root -> FakeNvml.a100Mig(), "--record", file.toString(), "--sysfs", dir.toString()), err());
        String live = out();
        out.reset();
        assertEquals(0, run("--replay", file.toString()), err());

        assertEquals(live, out());
        assertTrue(err().contains("recorded NVML answers to " + file), err());
        assertTrue(Files.exists(file));
    }

    @Test
    void recordingIsKeptWhenDiscoveryFails() {
        Path file = dir.resolve("broken.json");
        Function<Path, Nvml> broken = root -> FakeNvml.h100x8().failing(NvmlCall.system(NvmlCall.INIT), NvmlReturn.ERROR_NO_PERMISSION);

        assertEquals(2, run(Map.of(), broken, "--record", file.toString()));

        assertTrue(err().contains("discover: NVML did not initialise: nvmlInit_v2: NVML_ERROR_NO_PERMISSION"), err());
        Map<?, ?> nvml = (Map<?, ?>) ((Map<?, ?>) Recording.read(file).toJson().transform(DiscoverCommandTest::json)).get("nvml");
        assertEquals("NVML_ERROR_NO_PERMISSION", ((Map<?, ?>) nvml.get("nvmlInit_v2()")).get("error"));
    }

    @Test
    void missingNvmlNamesEveryPathTriedWithoutAStackTrace() {
        Path root = dir.resolve("usr-local-nvidia");

        int code = DiscoverCommand.run(new String[] {"--driver-root", root.toString()}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(2, code);
        assertTrue(err().startsWith("discover: libnvidia-ml.so.1 was not found under driver root " + root), err());
        assertTrue(err().contains(root.resolve("lib64/libnvidia-ml.so.1").toString()), err());
        assertFalse(err().contains("\tat "), "no stack trace by default:\n" + err());
        assertEquals("", out());
    }

    @Test
    void driverRootComesFromTheEnvironmentWhenNotGiven() {
        Path root = dir.resolve("from-env");
        Path[] asked = new Path[1];

        run(Map.of("NVIDIA_DRIVER_ROOT", root.toString()), r -> {
            asked[0] = r;
            return FakeNvml.p100();
        });

        assertEquals(root, asked[0]);
    }

    @Test
    void badFlagsAreRefusedWithTheFix() {
        assertEquals(2, run("--frobnicate"));
        assertEquals("discover: unknown argument '--frobnicate'; run 'discover --help' for the flags\n", err().replace("\r", ""));
        err.reset();
        assertEquals(2, run("--output", "yaml"));
        assertTrue(err().contains("--output must be 'table' or 'json', not 'yaml'"), err());
        err.reset();
        assertEquals(2, run("--driver-root"));
        assertTrue(err().contains("--driver-root needs a value"), err());
        err.reset();
        assertEquals(2, run("--slice=yes"));
        assertTrue(err().contains("--slice takes no value"), err());
        err.reset();
        assertEquals(2, run("--record", "a.json", "--replay", "b.json"));
        assertTrue(err().contains("--record and --replay cannot be combined"), err());
    }

    @Test
    void cdiFlagsAreRefusedWhereTheyCannotApply() {
        assertEquals(2, run("--cdi", "--slice"));
        assertTrue(err().contains("--cdi prints the CDI spec and cannot be combined with --slice"), err());
        err.reset();
        assertEquals(2, run("--cdi", "-o", "json"));
        assertTrue(err().contains("cannot be combined with --output"), err());
        err.reset();
        assertEquals(2, run("--check-paths"));
        assertTrue(err().contains("--check-paths only applies to the CDI spec; add --cdi"), err());
        err.reset();
        assertEquals(2, run("--host-driver-root", "/run/nvidia/driver"));
        assertTrue(err().contains("--host-driver-root only applies to the CDI spec; add --cdi"), err());
        err.reset();
        assertEquals(2, run("--cdi", "--cdi-hook-path", "usr/bin/nvidia-cdi-hook"));
        assertTrue(err().contains("--cdi-hook-path must be an absolute path, not 'usr/bin/nvidia-cdi-hook'"), err());
        err.reset();
        assertEquals(2, run("--cdi", "--host-driver-root"));
        assertTrue(err().contains("--host-driver-root needs a value, e.g. --host-driver-root /run/nvidia/driver"), err());
    }

    @Test
    void aRecordingIntoAMissingDirectoryFailsNamingIt() {
        Path file = dir.resolve("missing/node.json");

        assertEquals(2, run(Map.of(), root -> FakeNvml.p100(), "--record", file.toString(), "--sysfs", dir.toString()));

        assertTrue(err().contains("discover: could not write the recording: cannot write " + file + ": directory "
                + dir.resolve("missing") + " does not exist"), err());
    }

    @Test
    void helpListsTheFlags() {
        assertEquals(0, run("--help"));
        for (String flag : List.of("--driver-root", "--sysfs", "--output", "--slice", "--record", "--replay", "--debug",
                "--cdi", "--host-driver-root", "--cdi-hook-path", "--plugin-dir", "--image-cdi-hook", "--check-paths")) {
            assertTrue(out().contains(flag), flag);
        }
    }

    @Test
    void unexpectedFailureIsOneLineUnlessDebugging() {
        Function<Path, Nvml> boom = root -> {
            throw new IllegalStateException("boom");
        };

        assertEquals(2, run(Map.of(), boom));
        assertEquals("discover: unexpected IllegalStateException: boom (run with --debug for the stack trace)\n",
                err().replace("\r", ""));
        err.reset();
        assertEquals(2, run(Map.of(), boom, "--debug"));
        assertTrue(err().contains("\tat "), err());
    }
}
