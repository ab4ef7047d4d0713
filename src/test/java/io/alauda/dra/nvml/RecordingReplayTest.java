package io.alauda.dra.nvml;

import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.MigInfo;
import io.alauda.dra.device.MigProfile;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.files.JsonFiles;
import io.alauda.dra.nvml.replay.NvmlRecorder;
import io.alauda.dra.nvml.replay.NvmlReplay;
import io.alauda.dra.nvml.replay.Recording;
import io.alauda.dra.nvml.replay.SysfsRecorder;
import io.alauda.dra.nvml.replay.SysfsReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingReplayTest {

    private static final long MIB = 1024L * 1024;
    private static final String A100 = "GPU-5b6ec351-6067-4ef5-a148-17bbe9ac6a64";

    static String sample() throws IOException {
        try (InputStream in = RecordingReplayTest.class.getResourceAsStream("/nvml/a100-mig-t4.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private final List<String> warnings = new ArrayList<>();

    private NodeInventory replay(Recording recording) {
        return new NvmlDiscovery(new NvmlReplay(recording), new PciTopology(new SysfsReplay(recording)), warnings::add)
                .discover();
    }

    @Test
    void handWrittenSampleReplaysToTheExpectedInventory() throws IOException {
        NodeInventory inventory = replay(Recording.parse(sample(), "a100-mig-t4.json"));

        assertEquals("550.163.01", inventory.driverVersion());
        assertEquals(12040, inventory.cudaDriverVersion());
        GpuInfo t4 = new GpuInfo(0, 1, "GPU-7e2f0c11-5a3b-4c2d-9e8f-0123456789ab", "Tesla T4", null, "Turing", "7.5",
                "0000:af:00.0", 16106127360L, "pci0000:ae", null, false, List.of());
        MigInfo big = new MigInfo("MIG-1f0c9a3e-2b4d-5e6f-8a9b-0c1d2e3f4a5b", 1, A100, 1, 0,
                new MigProfile("3g.20gb", 9, 42, 3, 2, 0, 0, 0, 19968 * MIB), 0, 4);
        MigInfo media = new MigInfo("MIG-6a7b8c9d-0e1f-5a2b-9c3d-4e5f6a7b8c9d", 1, A100, 13, 0,
                new MigProfile("1g.5gb+me", 20, 14, 1, 1, 0, 1, 1, 4864 * MIB), 6, 1);
        GpuInfo a100 = new GpuInfo(1, 0, A100, "NVIDIA A100-SXM4-40GB", "Nvidia", "Ampere", "8.0", "0000:07:00.0",
                42949672960L, "pci0000:00", 0, true, List.of(big, media));
        assertEquals(List.of(t4, a100), inventory.gpus(), "GPUs in minor order");
        assertEquals(List.of(), warnings);
    }

    @Test
    void recordingThenReplayingGivesTheSameInventory() {
        FakeNvml fake = FakeNvml.a100Mig();
        MapSysfs sysfs = new MapSysfs().device("0000:07:00.0", "devices/pci0000:00/0000:00:02.0/0000:07:00.0", "0\n");
        Recording recording = Recording.empty();

        NodeInventory live = new NvmlDiscovery(new NvmlRecorder(fake, recording),
                new PciTopology(new SysfsRecorder(sysfs, recording)), warnings::add).discover();
        NodeInventory replayed = replay(Recording.parse(recording.toJson(), "round trip"));

        assertEquals(live, replayed);
        assertEquals("pci0000:00", replayed.gpus().get(0).pcieRoot());
        assertEquals(0, replayed.gpus().get(0).numaNode());
    }

    @Test
    void errorAnswersAreRecordedWithCodeNameAndMessage() throws IOException {
        Recording recording = Recording.empty();
        new NvmlDiscovery(new NvmlRecorder(FakeNvml.p100(), recording), new PciTopology(new MapSysfs()), warnings::add).discover();

        Map<?, ?> nvml = (Map<?, ?>) ((Map<?, ?>) JsonFiles.parse(recording.toJson())).get("nvml");

        assertEquals(Map.of("error", "NVML_ERROR_NOT_SUPPORTED", "code", 3L, "message", "fake"),
                nvml.get("nvmlDeviceGetMemoryInfo(gpu=0)"));
        assertEquals(Map.of("value", 2L), nvml.get("nvmlDeviceGetBrand(gpu=0)"));
        assertEquals(Map.of(), nvml.get("nvmlInit_v2()"));
    }

    @Test
    void recordedErrorComesBackAsTheSameNvmlException() throws IOException {
        NvmlReplay nvml = new NvmlReplay(Recording.parse(sample(), "sample"));

        NvmlException e = assertThrows(NvmlException.class, () -> nvml.deviceGetBrand(1));

        assertEquals(NvmlReturn.ERROR_NOT_SUPPORTED, e.code());
        assertEquals("nvmlDeviceGetBrand", e.function());
        assertEquals("Not Supported", e.description());
    }

    @Test
    void errorGivenOnlyByNameGetsItsCode() throws IOException {
        NvmlReplay nvml = new NvmlReplay(Recording.parse(sample(), "sample"));

        NvmlException e = assertThrows(NvmlException.class, () -> nvml.deviceGetGpuInstanceProfileInfo(0, 13));

        assertEquals(NvmlReturn.ERROR_INVALID_ARGUMENT, e.code());
    }

    @Test
    void callMissingFromTheRecordingFailsNamingIt() throws IOException {
        String gap = sample().replace("\"nvmlDeviceGetName(gpu=1)\"", "\"nvmlDeviceGetNameX(gpu=1)\"");

        DiscoveryException e = assertThrows(DiscoveryException.class, () -> replay(Recording.parse(gap, "gap.json")));

        assertTrue(e.getMessage().contains("gap.json has no answer for nvmlDeviceGetName(gpu=1)"), e.getMessage());
    }

    @Test
    void malformedRecordingsAreRejectedSayingWhatIsWrong() throws IOException {
        DiscoveryException notJson = assertThrows(DiscoveryException.class, () -> Recording.parse("{\"format\": ", "a.json"));
        assertTrue(notJson.getMessage().startsWith("recording a.json is not valid JSON: line 1, column 12: "), notJson.getMessage());

        DiscoveryException twice = assertThrows(DiscoveryException.class,
                () -> Recording.parse("{\"format\": \"v0\",\n \"format\": \"v1\"}", "twice.json"));
        assertTrue(twice.getMessage().startsWith("recording twice.json is not valid JSON: line 2, column 10: Duplicate field 'format'"),
                twice.getMessage());

        DiscoveryException format = assertThrows(DiscoveryException.class,
                () -> Recording.parse("{\"format\": \"v0\", \"nvml\": {}}", "b.json"));
        assertTrue(format.getMessage().contains("has format \"v0\""), format.getMessage());

        String wrongType = sample().replace("{\"value\": 12040}", "{\"value\": \"12040\"}");
        DiscoveryException type = assertThrows(DiscoveryException.class, () -> replay(Recording.parse(wrongType, "c.json")));
        assertTrue(type.getMessage().contains("c.json: answer for nvmlSystemGetCudaDriverVersion_v2(): value must be a whole number"),
                type.getMessage());

        String missingField = sample().replace("\"major\": 7, ", "");
        DiscoveryException field = assertThrows(DiscoveryException.class, () -> replay(Recording.parse(missingField, "d.json")));
        assertTrue(field.getMessage().contains("nvmlDeviceGetCudaComputeCapability(gpu=1): field \"major\""), field.getMessage());

        String unknownError = sample().replace("\"error\": \"NVML_ERROR_NOT_SUPPORTED\", \"code\": 3,", "\"error\": \"NOPE\",");
        DiscoveryException error = assertThrows(DiscoveryException.class, () -> replay(Recording.parse(unknownError, "e.json")));
        assertTrue(error.getMessage().contains("has error \"NOPE\""), error.getMessage());
    }

    @Test
    void recordingIsWrittenWholeAndReadBack(@TempDir Path dir) throws IOException {
        Recording recording = Recording.empty();
        new NvmlDiscovery(new NvmlRecorder(FakeNvml.h100x8(), recording), new PciTopology(new MapSysfs()), warnings::add).discover();
        Path file = dir.resolve("h100.json");

        recording.write(file);

        assertEquals(List.of(file), Files.list(dir).toList(), "no temporary file left behind");
        assertEquals(8, replay(Recording.read(file)).gpus().size());
    }

    @Test
    void missingRecordingFileIsReportedWithTheFix(@TempDir Path dir) {
        DiscoveryException e = assertThrows(DiscoveryException.class, () -> Recording.read(dir.resolve("none.json")));
        assertTrue(e.getMessage().contains("none.json does not exist"), e.getMessage());
    }

    /** Recordings made by discover on real nodes (committed under nvml/captures) read, replay and write back unchanged. */
    @Test
    void committedRecordingsFromRealNodesAreReadAndWrittenBackByteForByte() throws Exception {
        for (String node : List.of("h100-x1", "h100-x2")) {
            Path file = Path.of(RecordingReplayTest.class.getResource("/nvml/captures/" + node + "/discover-recording.json").toURI());

            Recording recording = Recording.read(file);

            assertEquals(Files.readString(file), recording.toJson(), node);
            assertEquals(node.endsWith("x1") ? 1 : 2, replay(recording).gpus().size(), node);
        }
    }
}
