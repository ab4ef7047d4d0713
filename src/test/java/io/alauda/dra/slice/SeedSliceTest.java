package io.alauda.dra.slice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.nvml.NvmlDiscovery;
import io.alauda.dra.nvml.PciTopology;
import io.alauda.dra.nvml.replay.NvmlReplay;
import io.alauda.dra.nvml.replay.Recording;
import io.alauda.dra.nvml.replay.SysfsReplay;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The slice we publish for the seed's GPU against the seed itself: the user documentation's
 * {@code kubectl get resourceslices -o yaml} for a node with one Tesla P100-PCIE-16GB (copied verbatim into
 * src/test/resources/slice/seed-p100-v1beta1.yaml), and the same GPU replayed through discovery
 * (src/test/resources/nvml/replays/p100-x1). Every field of the seed must be in ours with the same type and value;
 * the only differences allowed are listed, so a new field, a changed type or a dropped one fails.
 */
class SeedSliceTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path P100_REPLAY = Path.of("src/test/resources/nvml/replays/p100-x1/discover-recording.json");
    private static final Path H100_CAPTURE = Path.of("src/test/resources/nvml/captures/h100-x1/discover-recording.json");

    @Test
    void theP100SliceIsTheSeedsFieldByField() throws IOException {
        JsonNode seed = seed();
        // the node and its UID are inputs: take them from the seed, so that the owner reference is compared whole
        String node = seed.at("/spec/nodeName").asText();
        String nodeUid = seed.at("/metadata/ownerReferences/0/uid").asText();

        // through the plan, as the publisher does, so that the generation is the one a first publish writes
        PoolSyncPlan plan = PoolSyncPlan.plan(node, nodeUid, ResourceApiVersion.V1BETA1,
                SliceLayout.split(DeviceModel.devices(replay(P100_REPLAY))), List.of());
        assertEquals(1, plan.creates().size());
        assertTrue(plan.updates().isEmpty() && plan.deletes().isEmpty());
        HasMetadata slice = plan.creates().get(0);
        // through YAML text, so that both sides are parsed alike (numbers, strings)
        JsonNode ours = YAML.readTree(Serialization.asYaml(slice));

        List<String> differences = new ArrayList<>();
        diff("", seed, ours, differences);
        assertEquals(List.of(
                // the API server names the object from generateName; we send none
                "only in the seed: metadata.name",
                // who wrote the slice and its place in the pool (docs/resourceslices.md)
                "only in ours: metadata.labels",
                // upstream HEAD's standard attribute, published next to the seed's pcieBusID with the same value
                "only in ours: spec.devices[0].basic.attributes.resource.kubernetes.io/pciBusID"),
                differences, () -> "rendered:\n" + Serialization.asYaml(slice));

        String generateName = ours.at("/metadata/generateName").asText();
        String seedName = seed.at("/metadata/name").asText();
        assertTrue(seedName.startsWith(generateName) && seedName.length() == generateName.length() + 5,
                () -> "the seed's name " + seedName + " is " + generateName + " plus the server's 5 random characters");
        JsonNode attributes = ours.at("/spec/devices/0/basic/attributes");
        assertEquals(seed.at("/spec/devices/0/basic/attributes/pcieBusID"), attributes.get(DeviceModel.PCI_BUS_ID));
    }

    @Test
    void theP100sMemoryIs16GiAsTheSeedShows() {
        AllocatableDevice p100 = DeviceModel.devices(replay(P100_REPLAY)).get(0);
        // NVML total 17179869184 bytes = 16 * 1024^3, so upstream's resource.NewQuantity(total, BinarySI) prints 16Gi:
        // no rounding involved, the board reports exactly 16 GiB (16384 MiB)
        assertEquals(17_179_869_184L, p100.capacities().get("memory"));
        assertEquals("16Gi", v1beta1Memory(p100));
    }

    @Test
    void theH100sMemoryIsItsExactByteCountAsUpstreamComputesIt() {
        AllocatableDevice h100 = DeviceModel.devices(replay(H100_CAPTURE)).get(0);
        // Upstream: resource.NewQuantity(int64(memoryBytes), resource.BinarySI) (cmd/gpu-kubelet-plugin/partitions.go,
        // fullGpuCapacity), printed in the largest binary unit that divides it exactly. NVML total on the captured
        // H100 80GB HBM3: 85520809984 bytes = 81559 * 1024^2, and 81559 is odd, so not a multiple of 1024: 81559Mi.
        // Not 80Gi (85899345920 bytes): nothing rounds the board's 81559 MiB up to its marketing size.
        assertEquals(85_520_809_984L, h100.capacities().get("memory"));
        assertEquals(81559L * 1024 * 1024, h100.capacities().get("memory"));
        assertEquals("81559Mi", v1beta1Memory(h100));
    }

    private static String v1beta1Memory(AllocatableDevice device) {
        var slice = (io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice) SliceSetBuilder.build(List.of(device),
                "node-a", "uid", 1, ResourceApiVersion.V1BETA1).get(0);
        return slice.getSpec().getDevices().get(0).getBasic().getCapacity().get("memory").getValue().toString();
    }

    private static JsonNode seed() throws IOException {
        try (InputStream in = SeedSliceTest.class.getResourceAsStream("/slice/seed-p100-v1beta1.yaml")) {
            assertNotNull(in, "src/test/resources/slice/seed-p100-v1beta1.yaml is missing");
            return YAML.readTree(in);
        }
    }

    private static NodeInventory replay(Path recordingFile) {
        Recording recording = Recording.read(recordingFile);
        List<String> warnings = new ArrayList<>();
        NodeInventory inventory = new NvmlDiscovery(new NvmlReplay(recording), new PciTopology(new SysfsReplay(recording)),
                warnings::add).discover();
        assertEquals(List.of(), warnings);
        return inventory;
    }

    /** Field-by-field differences: what only one side has, and values that differ in type or content. */
    private static void diff(String path, JsonNode seed, JsonNode ours, List<String> out) {
        if (seed.isObject() && ours.isObject()) {
            for (Iterator<String> it = seed.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                String at = path.isEmpty() ? field : path + "." + field;
                if (ours.has(field)) {
                    diff(at, seed.get(field), ours.get(field), out);
                } else {
                    out.add("only in the seed: " + at);
                }
            }
            for (Iterator<String> it = ours.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!seed.has(field)) {
                    out.add("only in ours: " + (path.isEmpty() ? field : path + "." + field));
                }
            }
        } else if (seed.isArray() && ours.isArray()) {
            for (int i = 0; i < Math.max(seed.size(), ours.size()); i++) {
                String at = path + "[" + i + "]";
                if (i >= ours.size()) {
                    out.add("only in the seed: " + at);
                } else if (i >= seed.size()) {
                    out.add("only in ours: " + at);
                } else {
                    diff(at, seed.get(i), ours.get(i), out);
                }
            }
        } else if (!seed.equals(ours)) {
            // JsonNode.toString quotes strings, so 1 and "1" read as different here too
            out.add("differs at " + path + ": seed " + seed + " (" + seed.getNodeType() + "), ours " + ours + " ("
                    + ours.getNodeType() + ")");
        }
    }
}
