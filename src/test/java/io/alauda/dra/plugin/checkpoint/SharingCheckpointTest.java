package io.alauda.dra.plugin.checkpoint;

import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sharing record of a checkpoint entry: written, read back, read from a hand-made file, absent when unused. */
class SharingCheckpointTest {

    @TempDir
    Path tmp;

    private final List<CheckpointRecovery> recoveries = new ArrayList<>();

    private CheckpointStore store(Path file) {
        CheckpointStore store = new CheckpointStore(file, BootIdSource.fixed("boot-1"), recoveries::add);
        store.load();
        return store;
    }

    private static final SharingRecord RECORD = new SharingRecord(
            List.of(new SharingRecord.TimeSlice("GPU-a", "gpu-0", 3, "Prohibited", 2),
                    new SharingRecord.TimeSlice("GPU-b", "gpu-1", 1, null, null)),
            List.of(new SharingRecord.MpsDaemon("11111111-2222-3333-4444-555555555555-abcde",
                    List.of("GPU-c", "MIG-d"), List.of("GPU-c"), Map.of("GPU-c", "Default"))));

    @Test
    void aSharingRecordSurvivesARestart() throws IOException {
        Path file = tmp.resolve("checkpoint.json");
        ResourceClaimRef ref = new ResourceClaimRef("team-a", "11111111-2222-3333-4444-555555555555", "train");
        List<KubeletDevice> devices = List.of(new KubeletDevice(List.of("gpu"), "node-a", "gpu-0",
                List.of("k8s.gpu.nvidia.com/claim=x-gpu-0"), null));
        store(file).putCompleted(ref, devices, RECORD);

        CheckpointEntry read = store(file).get(ref.uid()).orElseThrow();

        assertEquals(RECORD, read.sharing());
        assertEquals(List.of(), recoveries);
    }

    @Test
    void anEntryWithoutSharingIsWrittenAsBefore() throws IOException {
        Path file = tmp.resolve("checkpoint.json");
        ResourceClaimRef ref = new ResourceClaimRef("team-a", "11111111-2222-3333-4444-555555555555", "train");
        store(file).putCompleted(ref, List.of(), SharingRecord.NONE);

        assertFalse(Files.readString(file).contains("sharing"));
        assertTrue(store(file).get(ref.uid()).orElseThrow().sharing().isEmpty());
    }

    @Test
    void aHandMadeFileWithSharingLoads() throws IOException {
        Path file = tmp.resolve("checkpoint.json");
        try (InputStream in = getClass().getResourceAsStream("/plugin/checkpoint-v1-sharing.json")) {
            Files.write(file, in.readAllBytes());
        }

        CheckpointStore store = store(file);

        assertEquals(List.of(), recoveries);
        assertEquals(List.of(new SharingRecord.TimeSlice("GPU-4f1c7d3e-0000-0000-0000-000000000000", "gpu-0", 3,
                        "Prohibited", 2)),
                store.get("11111111-2222-3333-4444-555555555555").orElseThrow().sharing().timeSlices());
        assertEquals(List.of(new SharingRecord.MpsDaemon("66666666-7777-8888-9999-aaaaaaaaaaaa-1a2b3",
                        List.of("GPU-4f1c7d3e-0000-0000-0000-000000000001"),
                        List.of("GPU-4f1c7d3e-0000-0000-0000-000000000001"), Map.of())),
                store.get("66666666-7777-8888-9999-aaaaaaaaaaaa").orElseThrow().sharing().mpsDaemons());
    }

    @Test
    void aMalformedSharingRecordIsReportedAndTheFileMovedAside() throws IOException {
        Path file = tmp.resolve("checkpoint.json");
        ResourceClaimRef ref = new ResourceClaimRef("team-a", "11111111-2222-3333-4444-555555555555", "train");
        store(file).putCompleted(ref, List.of(), RECORD);
        // Re-signed so that only the content is wrong, not the checksum.
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode doc =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(file.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("claims").get(ref.uid()).get("sharing")
                .get("timeSlices").get(0)).put("timeSlice", "Long");
        doc.put("checksum", CheckpointCodec.checksum(doc));
        Files.write(file, json.writeValueAsBytes(doc));

        CheckpointStore store = store(file);

        assertTrue(store.snapshot().isEmpty());
        assertEquals(1, recoveries.size());
        assertEquals("claims." + ref.uid() + ".sharing.timeSlices[0].timeSlice is missing or not an integer",
                recoveries.get(0).detail());
    }
}
