package io.alauda.dra.plugin.checkpoint;

import io.alauda.dra.files.AtomicFileWriter;
import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Changes made while a checkpoint write runs are written together by the next write; a failed write withdraws its
 * changes and those made on top of them. The writer here is held at a gate, so which changes meet in one write is
 * decided by the test, not by timing.
 */
class CheckpointGroupCommitTest {

    private static final ResourceClaimRef A = new ResourceClaimRef("ns", "uid-a", "a");
    private static final ResourceClaimRef B = new ResourceClaimRef("ns", "uid-b", "b");
    private static final ResourceClaimRef C = new ResourceClaimRef("ns", "uid-c", "c");
    private static final ResourceClaimRef D = new ResourceClaimRef("ns", "uid-d", "d");

    @TempDir
    Path tmp;

    /** One permit per write the writer may make; each write records the claims its content names. */
    private final Semaphore gate = new Semaphore(0);
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failNext = new AtomicBoolean();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() throws InterruptedException {
        gate.release(100);
        callers.shutdownNow();
        assertTrue(callers.awaitTermination(10, TimeUnit.SECONDS), "callers stopped");
    }

    private CheckpointStore store() {
        AtomicFileWriter gated = new AtomicFileWriter(CheckpointStore.FILE_MODE).withContentWriter((channel, data) -> {
            gate.acquireUninterruptibly();
            String content = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
            writes.add(Set.of("uid-a", "uid-b", "uid-c", "uid-d").stream().filter(content::contains).sorted()
                    .reduce((x, y) -> x + "+" + y).orElse("(none)"));
            if (failNext.getAndSet(false)) {
                throw new IOException("disk full");
            }
            channel.write(data);
        });
        CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoint.json"), BootIdSource.fixed("boot"),
                recovery -> { }, Clock.fixed(Instant.parse("2026-12-04T00:00:00Z"), ZoneOffset.UTC), gated);
        store.load();
        return store;
    }

    private static List<KubeletDevice> gpu(String name) {
        return List.of(new KubeletDevice(List.of("gpu"), "node", name, List.of("k8s.gpu.nvidia.com/claim=x-" + name),
                null));
    }

    private Future<?> putCompleted(CheckpointStore store, ResourceClaimRef claim) {
        return callers.submit(() -> store.putCompleted(claim, gpu(claim.name())));
    }

    @Test
    void changesMadeDuringAWriteShareTheNextWrite() throws Exception {
        CheckpointStore store = store();
        Future<?> first = putCompleted(store, A);
        await().until(gate::hasQueuedThreads);
        Future<?> second = putCompleted(store, B);
        Future<?> third = putCompleted(store, C);
        await().until(() -> store.get("uid-b").isPresent() && store.get("uid-c").isPresent());

        gate.release(2);
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        third.get(10, TimeUnit.SECONDS);

        assertEquals(List.of("uid-a", "uid-a+uid-b+uid-c"), writes, "two writes for three changes");
        assertEquals(Set.of("uid-a", "uid-b", "uid-c"), store.snapshot().keySet());
    }

    @Test
    void aStagedChangeIsSeenAtOnceAndDurableOnlyAfterItsWrite() throws Exception {
        CheckpointStore store = store();
        CheckpointStore.Pending started = store.stageStarted(A, gpu("a"));
        assertTrue(store.get("uid-a").isPresent(), "readers see an accepted change");
        assertEquals(List.of(), writes, "staging writes nothing");

        gate.release();
        started.awaitDurable();

        assertEquals(List.of("uid-a"), writes);
    }

    @Test
    void aFailedWriteWithdrawsItsChangesAndThoseMadeOnTopOfThem() throws Exception {
        CheckpointStore store = store();
        gate.release();
        store.putCompleted(A, gpu("a"));

        failNext.set(true);
        Future<?> failing = putCompleted(store, B);
        await().until(gate::hasQueuedThreads);
        // Accepted while B's write runs, so made on top of B.
        Future<?> onTop = putCompleted(store, C);
        await().until(() -> store.get("uid-c").isPresent());
        gate.release();

        assertTrue(causeOf(failing).contains("disk full"), "B's caller gets the error");
        assertTrue(causeOf(onTop).contains("disk full"), "C's caller gets it too: C was never written");
        assertEquals(Set.of("uid-a"), store.snapshot().keySet(), "memory is back to what the file says");
        assertEquals(List.of("uid-a", "uid-a+uid-b"), writes, "C was not written on its own after B failed");

        gate.release();
        store.putCompleted(D, gpu("d"));
        assertEquals(Set.of("uid-a", "uid-d"), store.snapshot().keySet());
        assertEquals("uid-a+uid-d", writes.get(writes.size() - 1));
    }

    @Test
    void removingWhatIsNotRecordedWritesNothing() throws Exception {
        CheckpointStore store = store();
        assertFalse(store.remove("uid-a"));
        assertEquals(List.of(), writes);
    }

    /**
     * Many callers at once, each on claims of its own, with a writer that fails at random: every caller told a change
     * was recorded finds it in memory and in the file, and every caller told it was not finds it in neither.
     */
    @Test
    void underConcurrentChangesAndFailingWritesEachCallerIsToldTheTruth() throws Exception {
        java.util.Random random = new java.util.Random(42);
        AtomicFileWriter flaky = new AtomicFileWriter(CheckpointStore.FILE_MODE).withContentWriter((channel, data) -> {
            boolean fail;
            synchronized (random) {
                fail = random.nextInt(10) == 0;
            }
            if (fail) {
                throw new IOException("disk full");
            }
            channel.write(data);
        });
        Path file = tmp.resolve("stress/checkpoint.json");
        java.nio.file.Files.createDirectories(file.getParent());
        CheckpointStore store = new CheckpointStore(file, BootIdSource.fixed("boot"), recovery -> { },
                Clock.fixed(Instant.parse("2026-12-04T00:00:00Z"), ZoneOffset.UTC), flaky);
        store.load();
        int threads = 8;
        List<Future<java.util.Map<String, EntryState>>> outcomes = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            outcomes.add(callers.submit(() -> {
                java.util.Map<String, EntryState> expected = new java.util.HashMap<>();
                for (int i = 0; i < 150; i++) {
                    ResourceClaimRef claim = new ResourceClaimRef("ns", "uid-" + thread + "-" + (i % 5), "c" + i % 5);
                    try {
                        switch (i % 3) {
                            case 0 -> {
                                store.stageStarted(claim, gpu("g")).awaitDurable();
                                expected.put(claim.uid(), EntryState.PREPARE_STARTED);
                            }
                            case 1 -> {
                                store.putCompleted(claim, gpu("g"));
                                expected.put(claim.uid(), EntryState.PREPARE_COMPLETED);
                            }
                            default -> {
                                if (store.remove(claim.uid())) {
                                    expected.remove(claim.uid());
                                }
                            }
                        }
                    } catch (IOException e) {
                        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
                    }
                    // Only this caller changes its claims, so what it was told must show at once.
                    assertEquals(java.util.Optional.ofNullable(expected.get(claim.uid())),
                            store.get(claim.uid()).map(CheckpointEntry::state), "claim " + claim.uid() + " after op " + i);
                }
                return expected;
            }));
        }
        java.util.Map<String, EntryState> expected = new java.util.HashMap<>();
        for (Future<java.util.Map<String, EntryState>> outcome : outcomes) {
            expected.putAll(outcome.get(60, TimeUnit.SECONDS));
        }

        assertEquals(expected, states(store));
        CheckpointStore reread = new CheckpointStore(file, BootIdSource.fixed("boot"), recovery -> { });
        assertEquals(LoadOutcome.LOADED, reread.load());
        assertEquals(expected, states(reread), "the file says what the callers were told");
    }

    private static java.util.Map<String, EntryState> states(CheckpointStore store) {
        java.util.Map<String, EntryState> states = new java.util.HashMap<>();
        store.snapshot().forEach((uid, entry) -> states.put(uid, entry.state()));
        return states;
    }

    private static String causeOf(Future<?> call) throws InterruptedException {
        try {
            call.get(10, TimeUnit.SECONDS);
            return "(succeeded)";
        } catch (java.util.concurrent.ExecutionException e) {
            return String.valueOf(e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            return "(still waiting)";
        }
    }
}
