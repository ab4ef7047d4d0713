package io.alauda.dra.plugin.checkpoint;

import io.alauda.dra.files.AtomicFileWriter;
import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {

    private static final String BOOT = "5f0c7b0e-2d55-4bb8-9a3b-0d7d1c9e6a11";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final ResourceClaimRef TRAIN = new ResourceClaimRef("team-a", "uid-train", "train");
    private static final ResourceClaimRef INFER = new ResourceClaimRef("team-b", "uid-infer", "infer");
    private static final KubeletDevice GPU0 = new KubeletDevice(List.of("gpu"), "node-1", "gpu-0",
            List.of("k8s.gpu.nvidia.com/claim=uid-train-gpu-0"), "share-1");
    private static final KubeletDevice MIG = new KubeletDevice(List.of(), "node-1", "gpu-1-mig-1g10gb-19-0",
            List.of("k8s.gpu.nvidia.com/claim=uid-train-mig", "k8s.gpu.nvidia.com/claim=extra"), null);

    @TempDir
    Path tmp;

    private Path file;
    private final List<CheckpointRecovery> recoveries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        file = tmp.resolve("gpu.nvidia.com").resolve("checkpoint.json");
    }

    private CheckpointStore store(String bootId) {
        return store(bootId, new AtomicFileWriter(CheckpointStore.FILE_MODE));
    }

    private CheckpointStore store(String bootId, AtomicFileWriter writer) {
        return new CheckpointStore(file, BootIdSource.fixed(bootId), recoveries::add,
                Clock.fixed(NOW, ZoneOffset.UTC), writer);
    }

    private void copyFixture(String name) throws IOException {
        Files.createDirectories(file.getParent());
        try (InputStream in = getClass().getResourceAsStream("/plugin/" + name)) {
            assertNotNull(in, "fixture " + name);
            Files.write(file, in.readAllBytes());
        }
    }

    private List<Path> filesBeside() throws IOException {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.sorted().toList();
        }
    }

    @Test
    void missingFileStartsEmpty() {
        CheckpointStore store = store(BOOT);

        assertEquals(LoadOutcome.NO_CHECKPOINT, store.load());
        assertEquals(Map.of(), store.snapshot());
        assertTrue(recoveries.isEmpty());
    }

    @Test
    void entriesSurviveARestart() throws IOException {
        CheckpointStore first = store(BOOT);
        first.load();
        first.putCompleted(TRAIN, List.of(GPU0, MIG));
        first.putStarted(INFER);

        CheckpointStore second = store(BOOT);
        assertEquals(LoadOutcome.LOADED, second.load());

        CheckpointEntry train = second.get("uid-train").orElseThrow();
        assertEquals(EntryState.PREPARE_COMPLETED, train.state());
        assertEquals("team-a", train.namespace());
        assertEquals("train", train.name());
        assertEquals(List.of(GPU0, MIG), train.devices());
        assertEquals("share-1", train.devices().get(0).shareId());
        assertEquals(null, train.devices().get(1).shareId());
        assertEquals(NOW, train.updatedAt());
        CheckpointEntry infer = second.get("uid-infer").orElseThrow();
        assertEquals(EntryState.PREPARE_STARTED, infer.state());
        assertEquals(List.of(), infer.devices());
        assertEquals(List.of("uid-infer", "uid-train"), List.copyOf(second.snapshot().keySet()));
    }

    @Test
    void completingReplacesTheStartedEntryAndRemoveForgetsIt() throws IOException {
        CheckpointStore store = store(BOOT);
        store.load();
        store.putStarted(TRAIN);
        store.putCompleted(TRAIN, List.of(GPU0));

        assertTrue(store.get("uid-train").orElseThrow().isCompleted());
        assertTrue(store.remove("uid-train"));
        assertFalse(store.remove("uid-train"), "a second remove finds nothing");

        CheckpointStore reloaded = store(BOOT);
        reloaded.load();
        assertEquals(Optional.empty(), reloaded.get("uid-train"));
    }

    @Test
    void snapshotIsACopy() throws IOException {
        CheckpointStore store = store(BOOT);
        store.load();
        Map<String, CheckpointEntry> before = store.snapshot();
        store.putStarted(TRAIN);

        assertEquals(Map.of(), before);
        assertThrows(UnsupportedOperationException.class, () -> store.snapshot().remove("uid-train"));
    }

    @Test
    void useBeforeLoadIsRefused() {
        CheckpointStore store = store(BOOT);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.putStarted(TRAIN));
        assertTrue(e.getMessage().contains("load()"), e.getMessage());
    }

    @Test
    void claimWithoutNameIsRefusedWithoutWriting() {
        CheckpointStore store = store(BOOT);
        store.load();

        assertThrows(IllegalArgumentException.class, () -> store.putStarted(new ResourceClaimRef("ns", "uid-x", "")));
        assertFalse(Files.exists(file));
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        CheckpointStore store = store(BOOT);
        store.load();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(() -> {
                    for (int i = 0; i < 10; i++) {
                        ResourceClaimRef claim = new ResourceClaimRef("ns", "uid-" + thread + "-" + i, "c");
                        store.putStarted(claim);
                        store.putCompleted(claim, List.of(GPU0));
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(writers)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        CheckpointStore reloaded = store(BOOT);
        reloaded.load();
        assertEquals(40, reloaded.snapshot().size());
        assertTrue(reloaded.snapshot().values().stream().allMatch(CheckpointEntry::isCompleted));
    }

    @Test
    void writesLeaveNoTemporaryFilesBehind() throws IOException {
        CheckpointStore store = store(BOOT);
        store.load();
        store.putStarted(TRAIN);
        store.putCompleted(TRAIN, List.of(GPU0));
        store.remove("uid-train");

        assertEquals(List.of(file), filesBeside());
    }

    @Test
    void failureMidWriteKeepsTheOldFileAndTheOldState() throws IOException {
        CheckpointStore good = store(BOOT);
        good.load();
        good.putCompleted(TRAIN, List.of(GPU0));
        byte[] before = Files.readAllBytes(file);

        AtomicFileWriter halfWriter = new AtomicFileWriter(CheckpointStore.FILE_MODE).withContentWriter((channel, data) -> {
            ByteBuffer half = data.slice();
            half.limit(data.remaining() / 2);
            channel.write(half);
            throw new IOException("disk full");
        });
        CheckpointStore failing = store(BOOT, halfWriter);
        failing.load();

        IOException e = assertThrows(IOException.class, () -> failing.putCompleted(INFER, List.of(MIG)));

        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), filesBeside());
        assertEquals(Optional.empty(), failing.get("uid-infer"), "memory must not claim what the disk does not hold");
        CheckpointStore reloaded = store(BOOT);
        assertEquals(LoadOutcome.LOADED, reloaded.load());
        assertEquals(List.of("uid-train"), List.copyOf(reloaded.snapshot().keySet()));
    }

    @Test
    void temporaryFilesOfAnInterruptedWriteAreClearedAtLoad() throws IOException {
        Files.createDirectories(file.getParent());
        Path leftover = file.resolveSibling(".checkpoint.json.123456.tmp");
        Files.writeString(leftover, "{\"half\":");
        Path otherFilesLeftover = file.resolveSibling(".other.json.123456.tmp");
        Files.writeString(otherFilesLeftover, "{\"half\":");

        store(BOOT).load();

        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(otherFilesLeftover), "only the checkpoint's own temporary files are removed");
    }

    @Test
    void theFileIsReadableByItsOwnerOnly() throws IOException {
        CheckpointStore store = store(BOOT);
        store.load();
        store.putStarted(TRAIN);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aSymlinkPlantedAtTheFileIsNotWrittenThrough() throws IOException {
        Files.createDirectories(file.getParent());
        Path victim = Files.writeString(tmp.resolve("victim"), "precious");
        CheckpointStore store = store(BOOT);
        store.load();
        Files.createSymbolicLink(file, victim);

        IOException e = assertThrows(IOException.class, () -> store.putStarted(TRAIN));

        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        assertEquals("precious", Files.readString(victim));
        assertEquals(Optional.empty(), store.get("uid-train"));
    }

    @Test
    void truncatedFileIsMovedAsideAndReported() throws IOException {
        CheckpointStore first = store(BOOT);
        first.load();
        first.putCompleted(TRAIN, List.of(GPU0));
        byte[] full = Files.readAllBytes(file);
        byte[] truncated = java.util.Arrays.copyOf(full, full.length / 2);
        Files.write(file, truncated);

        CheckpointStore second = store(BOOT);
        assertEquals(LoadOutcome.RECOVERED_FROM_CORRUPTION, second.load());

        assertEquals(Map.of(), second.snapshot());
        assertEquals(1, recoveries.size());
        CheckpointRecovery recovery = recoveries.get(0);
        assertEquals(CheckpointRecovery.Reason.INVALID_JSON, recovery.reason());
        Path aside = tmp.resolve("gpu.nvidia.com").resolve("checkpoint.json.corrupt-20261126T100000.000Z");
        assertEquals(aside, recovery.movedTo());
        assertArrayEquals(truncated, Files.readAllBytes(aside));
        assertFalse(Files.exists(file));
    }

    @Test
    void changedByteFailsTheChecksum() throws IOException {
        CheckpointStore first = store(BOOT);
        first.load();
        first.putCompleted(TRAIN, List.of(GPU0));
        String json = Files.readString(file);
        assertTrue(json.contains("\"gpu-0\""));
        Files.writeString(file, json.replace("\"gpu-0\"", "\"gpu-1\""));

        CheckpointStore second = store(BOOT);
        assertEquals(LoadOutcome.RECOVERED_FROM_CORRUPTION, second.load());

        assertEquals(CheckpointRecovery.Reason.CHECKSUM_MISMATCH, recoveries.get(0).reason());
        assertEquals(Map.of(), second.snapshot());
    }

    @Test
    void recoveryWithAStoreThatThenWritesAgainProducesAGoodFile() throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not json at all");
        CheckpointStore store = store(BOOT);
        store.load();

        store.putStarted(TRAIN);

        CheckpointStore reloaded = store(BOOT);
        assertEquals(LoadOutcome.LOADED, reloaded.load());
        assertEquals(List.of("uid-train"), List.copyOf(reloaded.snapshot().keySet()));
    }

    @Test
    void unreadablePathIsMovedAsideAndReported() throws IOException {
        Files.createDirectories(file);

        CheckpointStore store = store(BOOT);
        assertEquals(LoadOutcome.RECOVERED_FROM_CORRUPTION, store.load());

        assertEquals(CheckpointRecovery.Reason.UNREADABLE, recoveries.get(0).reason());
        assertTrue(Files.isDirectory(recoveries.get(0).movedTo()));
        assertFalse(Files.exists(file));
    }

    @Test
    void newerSchemaIsMovedAsideAsUnsupported() throws IOException {
        copyFixture("checkpoint-v2-future.json");

        CheckpointStore store = store(BOOT);
        assertEquals(LoadOutcome.RECOVERED_FROM_CORRUPTION, store.load());

        assertEquals(CheckpointRecovery.Reason.UNSUPPORTED_SCHEMA_VERSION, recoveries.get(0).reason());
        assertTrue(recoveries.get(0).detail().contains("schemaVersion 2"), recoveries.get(0).detail());
    }

    @Test
    void fileFromAnEarlierBootIsDiscardedAndRewritten() throws IOException {
        CheckpointStore before = store(BOOT);
        before.load();
        before.putCompleted(TRAIN, List.of(GPU0));

        CheckpointStore afterReboot = store("0aa1b2c3-new-boot");
        assertEquals(LoadOutcome.DISCARDED_AFTER_REBOOT, afterReboot.load());

        assertEquals(Map.of(), afterReboot.snapshot());
        assertTrue(recoveries.isEmpty(), "a reboot is not corruption");
        String rewritten = Files.readString(file);
        assertTrue(rewritten.contains("0aa1b2c3-new-boot"), rewritten);
        assertFalse(rewritten.contains("uid-train"), rewritten);
    }

    @Test
    void unknownBootIdKeepsTheClaims() throws IOException {
        CheckpointStore before = store(BOOT);
        before.load();
        before.putCompleted(TRAIN, List.of(GPU0));

        CheckpointStore blind = new CheckpointStore(file, Optional::empty, recoveries::add);
        assertEquals(LoadOutcome.LOADED, blind.load());
        assertTrue(blind.get("uid-train").isPresent());
    }

    @Test
    void fixtureFromThePreviousVersionLoadsWithEveryField() throws IOException {
        copyFixture("checkpoint-v1.json");

        CheckpointStore store = store(BOOT);
        assertEquals(LoadOutcome.LOADED, store.load());

        assertTrue(recoveries.isEmpty());
        assertEquals(2, store.snapshot().size());
        CheckpointEntry completed = store.get("6b1a3f2e-7c1d-4e0a-9f00-000000000001").orElseThrow();
        assertEquals(EntryState.PREPARE_COMPLETED, completed.state());
        assertEquals("team-a", completed.namespace());
        assertEquals("train-gpu", completed.name());
        assertEquals(Instant.parse("2026-11-20T08:15:30.123Z"), completed.updatedAt());
        assertEquals(List.of(
                new KubeletDevice(List.of("gpu"), "node-1", "gpu-0",
                        List.of("k8s.gpu.nvidia.com/claim=6b1a3f2e-7c1d-4e0a-9f00-000000000001-gpu-0"),
                        "8d3e0c52-1111-4c2a-b000-00000000abcd"),
                new KubeletDevice(List.of("gpu", "aux"), "node-1", "gpu-1-mig-1g10gb-19-0",
                        List.of("k8s.gpu.nvidia.com/claim=6b1a3f2e-7c1d-4e0a-9f00-000000000001-gpu-1-mig-1g10gb-19-0"),
                        null)), completed.devices());
        CheckpointEntry started = store.get("6b1a3f2e-7c1d-4e0a-9f00-000000000002").orElseThrow();
        assertEquals(EntryState.PREPARE_STARTED, started.state());
        assertEquals("team-b", started.namespace());
        assertEquals("infer", started.name());
        assertEquals(List.of(), started.devices());
        assertEquals(Instant.parse("2026-11-20T08:16:02Z"), started.updatedAt());
    }

    @Test
    void fixtureWithFieldsFromALaterMinorVersionLoads() throws IOException {
        copyFixture("checkpoint-v1-extra-fields.json");

        CheckpointStore store = store(BOOT);
        assertEquals(LoadOutcome.LOADED, store.load());

        assertTrue(recoveries.isEmpty());
        CheckpointEntry completed = store.get("6b1a3f2e-7c1d-4e0a-9f00-000000000001").orElseThrow();
        assertEquals("gpu-0", completed.devices().get(0).deviceName());
        assertEquals("8d3e0c52-1111-4c2a-b000-00000000abcd", completed.devices().get(0).shareId());
    }

    @Test
    void fixtureFromThePreviousVersionSurvivesTheFirstWriteOfThisVersion() throws IOException {
        copyFixture("checkpoint-v1.json");
        CheckpointStore store = store(BOOT);
        store.load();

        store.putStarted(TRAIN);

        CheckpointStore reloaded = store(BOOT);
        assertEquals(LoadOutcome.LOADED, reloaded.load());
        assertEquals(3, reloaded.snapshot().size());
        assertTrue(reloaded.get("6b1a3f2e-7c1d-4e0a-9f00-000000000001").orElseThrow().isCompleted());
    }

    @Test
    void writtenFileCarriesTheDocumentedTopLevelFields() throws IOException {
        CheckpointStore store = store(BOOT);
        store.load();
        store.putCompleted(TRAIN, List.of(GPU0));

        String json = Files.readString(file, StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (String field : List.of("\"schemaVersion\" : 1", "\"nodeBootId\" : \"" + BOOT + "\"", "\"claims\"",
                "\"checksum\"", "\"state\" : \"PrepareCompleted\"", "\"updatedAt\" : \"2026-11-26T10:00:00Z\"")) {
            if (!json.contains(field)) {
                missing.add(field);
            }
        }
        assertEquals(List.of(), missing, json);
    }
}
