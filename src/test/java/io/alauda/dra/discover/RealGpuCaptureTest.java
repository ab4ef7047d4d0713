package io.alauda.dra.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.AttributeValue;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.nvml.NvmlDiscovery;
import io.alauda.dra.nvml.PciTopology;
import io.alauda.dra.nvml.replay.NvmlReplay;
import io.alauda.dra.nvml.replay.Recording;
import io.alauda.dra.nvml.replay.SysfsReplay;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays what discover recorded on real H100 machines (src/test/resources/nvml/captures, made with
 * tools/device/capture.sh) through the NVML mapping, and checks every published attribute against what pynvml and
 * nvidia-smi said on the same machine. The expected values come from those independent tools, never from our output.
 */
class RealGpuCaptureTest {

    private static final Path CAPTURES = Path.of("src/test/resources/nvml/captures");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"h100-x1", "h100-x2"})
    void everyAttributeMatchesPynvmlAndNvidiaSmi(String capture) throws IOException {
        Path dir = CAPTURES.resolve(capture);
        NodeInventory inventory = replay(dir);
        List<AllocatableDevice> devices = DeviceModel.devices(inventory);
        JsonNode pynvml = JSON.readTree(dir.resolve("pynvml.json").toFile());
        List<String[]> smi = smiRows(dir);

        assertEquals(pynvml.get("deviceCount").asInt(), devices.size(), "one device per GPU (no MIG on these machines)");
        assertEquals(smi.size(), devices.size());
        for (JsonNode gpu : pynvml.get("gpus")) {
            int minor = gpu.get("minorNumber").asInt();
            AllocatableDevice device = devices.stream().filter(d -> d.name().equals("gpu-" + minor)).findFirst()
                    .orElseThrow(() -> new AssertionError("no gpu-" + minor + " published"));
            String[] row = smi.get(gpu.get("index").asInt());
            Map<String, AttributeValue> a = device.attributes();

            assertEquals(AttributeValue.string("gpu"), a.get("type"));
            assertEquals(AttributeValue.string(gpu.get("uuid").asText()), a.get("uuid"));
            assertEquals(row[1], gpu.get("uuid").asText(), "pynvml and nvidia-smi agree on the UUID");
            assertEquals(AttributeValue.string(gpu.get("name").asText()), a.get("productName"));
            assertEquals(AttributeValue.string(row[2]), a.get("productName"));
            assertEquals(AttributeValue.string(gpu.get("brandName").asText()), a.get("brand"));
            assertEquals(AttributeValue.string("Hopper"), a.get("architecture"), "NVML architecture 9 is Hopper");
            assertEquals(9, gpu.get("architecture").asInt());
            assertEquals(AttributeValue.version(gpu.get("cudaComputeCapability").asText() + ".0"), a.get("cudaComputeCapability"));
            assertEquals(AttributeValue.version(row[6] + ".0"), a.get("cudaComputeCapability"));
            assertEquals(AttributeValue.version(semver(pynvml.get("driverVersion").asText())), a.get("driverVersion"));
            assertEquals(AttributeValue.version(semver(row[5])), a.get("driverVersion"));
            int cuda = pynvml.get("cudaDriverVersion").asInt();
            assertEquals(AttributeValue.version(cuda / 1000 + "." + (cuda % 1000) / 10 + ".0"), a.get("cudaDriverVersion"));
            // NVML and nvidia-smi print 8 hex digits of PCI domain; Kubernetes' standard attribute uses 4, lower case.
            String busId = gpu.get("pciBusId").asText().substring(4).toLowerCase(Locale.ROOT);
            assertEquals(AttributeValue.string(busId), a.get(DeviceModel.PCI_BUS_ID));
            assertEquals(AttributeValue.string(row[3].substring(4).toLowerCase(Locale.ROOT)), a.get(DeviceModel.PCI_BUS_ID));
            assertEquals(AttributeValue.string("pci0000:00"), a.get(DeviceModel.PCIE_ROOT), "sysfs: devices/pci0000:00/<bdf>");
            assertEquals(null, a.get(DeviceModel.NUMA_NODE), "numa_node -1 is left out, never invented");
            assertEquals(gpu.get("memoryTotalBytes").asLong(), device.capacities().get("memory"));
            assertEquals(Long.parseLong(row[4].replace(" MiB", "")) * 1024 * 1024, device.capacities().get("memory"));
            assertEquals(0, gpu.at("/migMode/current").asInt());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h100-x1", "h100-x2"})
    void replayPrintsTheSliceDevicesDiscoverPrintedOnTheMachine(String capture) throws IOException {
        Path dir = CAPTURES.resolve(capture);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = DiscoverCommand.run(new String[] {"--replay", dir.resolve("discover-recording.json").toString(), "--slice"},
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(DiscoverCommand.OK, rc);
        assertEquals(JSON.readTree(dir.resolve("discover-slice.json").toFile()), JSON.readTree(out.toString(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h100-x1", "h100-x2"})
    void everyHostPathOfTheCdiSpecExistedOnTheMachine(String capture) throws IOException {
        Path dir = CAPTURES.resolve(capture);
        String verdict = Files.readString(dir.resolve("check-paths.txt")).trim();
        assertTrue(verdict.matches("all \\d+ host paths in the CDI spec exist"), verdict);
        JsonNode cdi = JSON.readTree(dir.resolve("discover-cdi.json").toFile());
        int gpus = JSON.readTree(dir.resolve("pynvml.json").toFile()).get("deviceCount").asInt();
        assertEquals(gpus, cdi.get("devices").size());
        List<String> mounts = new ArrayList<>();
        cdi.at("/containerEdits/mounts").forEach(m -> mounts.add(m.get("hostPath").asText()));
        assertTrue(mounts.stream().anyMatch(p -> p.startsWith("/usr/local/nvidia/lib64/libnvidia-ml.so.580.159.04")), mounts.toString());
        assertTrue(mounts.contains("/usr/local/nvidia/bin/nvidia-smi"), mounts.toString());
        assertTrue(mounts.stream().anyMatch(p -> p.startsWith("/usr/local/nvidia/firmware/nvidia/580.159.04/gsp_")), mounts.toString());
    }

    private static NodeInventory replay(Path dir) {
        Recording recording = Recording.read(dir.resolve("discover-recording.json"));
        List<String> warnings = new ArrayList<>();
        NodeInventory inventory = new NvmlDiscovery(new NvmlReplay(recording), new PciTopology(new SysfsReplay(recording)),
                warnings::add).discover();
        assertEquals(List.of(), warnings);
        return inventory;
    }

    private static List<String[]> smiRows(Path dir) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("nvidia-smi-query.csv"))) {
            if (!line.isBlank()) {
                rows.add(line.split(",\\s*"));
            }
        }
        return rows;
    }

    /** 580.159.04 → 580.159.4, written out here rather than through the code under test. */
    private static String semver(String v) {
        String[] p = v.split("\\.");
        return Integer.parseInt(p[0]) + "." + Integer.parseInt(p[1]) + "." + Integer.parseInt(p[2]);
    }
}
