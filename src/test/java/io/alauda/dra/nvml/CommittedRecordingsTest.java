package io.alauda.dra.nvml;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.AttributeValue;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.nvml.replay.NvmlReplay;
import io.alauda.dra.nvml.replay.Recording;
import io.alauda.dra.nvml.replay.SysfsReplay;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every recording under src/test/resources/nvml/ (and its subfolders) (the hand-written sample, and real captures as they are added)
 * replays to devices the API server would accept, and hardware whose facts are known from its data sheet shows
 * them. Captures need no test code of their own to be checked.
 */
class CommittedRecordingsTest {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)");
    private static final Pattern BDF = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-9a-f]");

    /** Facts from NVIDIA's specifications, per product name. */
    private static final Map<String, Map<String, AttributeValue>> KNOWN = Map.of(
            "NVIDIA H100 80GB HBM3", Map.of("architecture", AttributeValue.string("Hopper"),
                    "cudaComputeCapability", AttributeValue.version("9.0.0")),
            "NVIDIA A100-SXM4-40GB", Map.of("architecture", AttributeValue.string("Ampere"),
                    "cudaComputeCapability", AttributeValue.version("8.0.0")),
            "Tesla T4", Map.of("architecture", AttributeValue.string("Turing"),
                    "cudaComputeCapability", AttributeValue.version("7.5.0")));

    /** nvidia-smi's memory.total of a whole H100 80GB HBM3: 81559 MiB. */
    private static final long H100_MEMORY = 81559L * 1024 * 1024;

    static List<Path> recordings() throws URISyntaxException, IOException {
        Path dir = Path.of(CommittedRecordingsTest.class.getResource("/nvml").toURI());
        List<Path> recordings = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted().toList()) {
                if (file.toString().endsWith(".json") && Files.readString(file).contains(Recording.FORMAT)) {
                    recordings.add(file);
                }
            }
        }
        return recordings;
    }

    @TestFactory
    Stream<DynamicTest> everyRecordingReplaysToValidDevices() throws Exception {
        List<Path> recordings = recordings();
        assertFalse(recordings.isEmpty(), "the sample recording at least");
        return recordings.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
    }

    private static void check(Path file) {
        List<String> warnings = new ArrayList<>();
        Recording recording = Recording.read(file);
        NodeInventory inventory = new NvmlDiscovery(new NvmlReplay(recording), new PciTopology(new SysfsReplay(recording)),
                warnings::add).discover();
        List<AllocatableDevice> devices = DeviceModel.devices(inventory);

        assertEquals(List.of(), warnings);
        assertEquals(devices.size(), devices.stream().map(AllocatableDevice::name).distinct().count(), "unique names");
        for (AllocatableDevice device : devices) {
            assertTrue(DNS_LABEL.matcher(device.name()).matches(), device.name());
            assertTrue(device.attributes().size() + device.capacities().size() <= 32, device.name() + ": at most 32 entries");
            device.attributes().forEach((name, value) -> {
                if (value.kind() == AttributeValue.Kind.VERSION) {
                    assertTrue(SEMVER.matcher((String) value.value()).matches(), device.name() + " " + name + "=" + value);
                }
            });
            assertTrue(BDF.matcher(device.attributes().get(DeviceModel.PCI_BUS_ID).toString()).matches(), device.name());
            String product = device.gpu().productName();
            KNOWN.getOrDefault(product, Map.of()).forEach((name, value) ->
                    assertEquals(value, device.attributes().get(name), device.name() + " " + name));
            if (product.equals("NVIDIA H100 80GB HBM3") && device.mig() == null) {
                assertEquals(H100_MEMORY, device.capacities().get("memory"), device.name());
            }
        }
    }
}
