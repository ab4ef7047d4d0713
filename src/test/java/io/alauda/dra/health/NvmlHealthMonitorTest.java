package io.alauda.dra.health;

import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.MigInfo;
import io.alauda.dra.device.MigProfile;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.nvml.FakeNvmlEvents;
import io.alauda.dra.nvml.NvmlEvent;
import io.alauda.dra.nvml.NvmlEventType;
import io.alauda.dra.nvml.NvmlException;
import io.alauda.dra.nvml.NvmlReturn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NVML health monitor against {@link FakeNvmlEvents}: GPU A is a plain GPU, GPU B is in MIG mode with MIG devices
 * b1 (GI 1, CI 0), b2 (GI 2, CI 0) and b3 (GI 2, CI 1). Each test closes the monitor it started, also when it fails.
 */
class NvmlHealthMonitorTest {

    private static final String A = "GPU-aaaaaaaa-0000-4000-8000-000000000000";
    private static final String B = "GPU-bbbbbbbb-0000-4000-8000-000000000000";
    private static final String B1 = "MIG-b1b1b1b1-0000-5000-8000-000000000000";
    private static final String B2 = "MIG-b2b2b2b2-0000-5000-8000-000000000000";
    private static final String B3 = "MIG-b3b3b3b3-0000-5000-8000-000000000000";
    private static final long ALL_TYPES = 0xFFFFL;
    private static final Instant NOW = Instant.parse("2026-12-04T15:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration SHORT_WAIT = Duration.ofMillis(50);

    private final FakeNvmlEvents nvml = new FakeNvmlEvents().gpu(A, ALL_TYPES).gpu(B, ALL_TYPES);
    private final DeviceHealthBoard board = new DeviceHealthBoard();
    private final RecordingObserver observer = new RecordingObserver();
    private NvmlHealthMonitor monitor;

    static final class RecordingObserver implements NvmlHealthObserver {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<NvmlEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void registered(String gpuUuid, long supported, long registered) {
            lines.add("registered " + gpuUuid + " " + NvmlEventType.names(registered));
        }

        @Override
        public void unmonitored(String gpuUuid, String reason) {
            lines.add("unmonitored " + gpuUuid + ": " + reason);
        }

        @Override
        public void event(NvmlEvent event, String outcome) {
            events.add(event);
            lines.add("event " + event + ": " + outcome);
        }

        @Override
        public void checked(String gpuUuid, Reachability result, String detail) {
            lines.add("checked " + gpuUuid + " " + result + " " + detail);
        }

        @Override
        public void waitFailed(NvmlException failure) {
            lines.add("wait failed " + failure.getMessage());
        }

        @Override
        public void failed(RuntimeException failure) {
            lines.add("failed " + failure.getMessage());
        }

        boolean saw(String prefix) {
            return lines.stream().anyMatch(l -> l.startsWith(prefix));
        }
    }

    private static NodeInventory inventory() {
        MigProfile profile = new MigProfile("1g.10gb", 19, 14, 1, 1, 0, 0, 0, 9856L * 1024 * 1024);
        GpuInfo a = new GpuInfo(0, 0, A, "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper", "9.0", "0000:1a:00.0", 1L, null, null,
                false, List.of());
        GpuInfo b = new GpuInfo(1, 1, B, "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper", "9.0", "0000:2a:00.0", 1L, null, null,
                true, List.of(new MigInfo(B1, 1, B, 1, 0, profile, 0, 1), new MigInfo(B2, 1, B, 2, 0, profile, 1, 1),
                new MigInfo(B3, 1, B, 2, 1, profile, 1, 1)));
        return new NodeInventory("580.159.04", 13000, List.of(a, b));
    }

    private NvmlHealthMonitor start(HealthSettings settings) {
        monitor = new NvmlHealthMonitor(nvml, inventory(), settings, observer, Clock.fixed(NOW, ZoneOffset.UTC));
        monitor.start(board);
        return monitor;
    }

    private NvmlHealthMonitor start() {
        return start(new HealthSettings(HOUR, SHORT_WAIT, XidPolicy.upstream()));
    }

    /** Started, registered, first check done: what every event test waits for before raising. */
    private void startWatching() {
        start();
        await().until(() -> nvml.probes(A) >= 1 && nvml.probes(B) >= 1 && nvml.waitTimeouts().size() >= 1);
    }

    @AfterEach
    void stopMonitor() {
        if (monitor != null) {
            monitor.close();
        }
    }

    private HealthProblem only(String uuid) {
        List<HealthProblem> problems = board.snapshot().problems(uuid);
        assertEquals(1, problems.size(), uuid + ": " + problems);
        return problems.get(0);
    }

    private void raiseXid(String gpu, long xid, int gi, int ci) {
        nvml.raise(new NvmlEvent(gpu, NvmlEventType.XID_CRITICAL_ERROR, xid, gi, ci));
    }

    private static final int NONE = NvmlEvent.NO_INSTANCE;

    @Test
    void eachGpuIsRegisteredForTheMaskCutToWhatItSupports() {
        long ancient = NvmlEventType.XID_CRITICAL_ERROR | NvmlEventType.SINGLE_BIT_ECC_ERROR | NvmlEventType.PSTATE;
        nvml.gpu(B, ancient);
        startWatching();

        assertEquals(List.of(NvmlHealthMonitor.EVENT_MASK), nvml.registrations(A));
        assertEquals(List.of(NvmlEventType.XID_CRITICAL_ERROR | NvmlEventType.SINGLE_BIT_ECC_ERROR), nvml.registrations(B),
                "PState is never asked for");
        assertEquals(HealthSnapshot.ALL_HEALTHY, board.snapshot());
        assertEquals(Set.of("nvml-health-monitor"), nvml.threads(), "every NVML call on the monitor's own thread");
    }

    @Test
    void theUpstreamMaskIsXidEccAndWhereSupportedClockPowerAndRecovery() {
        assertEquals(NvmlEventType.XID_CRITICAL_ERROR | NvmlEventType.SINGLE_BIT_ECC_ERROR | NvmlEventType.DOUBLE_BIT_ECC_ERROR
                        | NvmlEventType.CLOCK | NvmlEventType.POWER_SOURCE_CHANGE | NvmlEventType.GPU_UNAVAILABLE_ERROR
                        | NvmlEventType.GPU_RECOVERY_ACTION,
                NvmlHealthMonitor.EVENT_MASK);
    }

    @Test
    void aCriticalXidMakesTheGpuNoSchedule() {
        startWatching();
        raiseXid(A, 79, NONE, NONE);

        await().until(() -> !board.snapshot().healthy(A));
        HealthProblem xid = only(A);
        assertEquals(HealthKeys.XID, xid.key());
        assertEquals("79", xid.value());
        assertEquals(HealthEffect.NO_SCHEDULE, xid.effect());
        assertEquals(NOW, xid.since());
        assertTrue(xid.message().contains("NVML reported XID 79 on " + A), xid.message());
        assertTrue(xid.message().contains("nvidia-smi -r -i " + A), xid.message());
        assertTrue(board.snapshot().problems(B).isEmpty());
    }

    @Test
    void anApplicationXidIsRecordedWithEffectNone() {
        startWatching();
        for (long xid : List.of(13L, 31L, 43L, 45L, 68L, 109L)) {
            raiseXid(A, xid, NONE, NONE);
        }

        await().until(() -> board.snapshot().problems(A).size() == 6);
        assertTrue(board.snapshot().problems(A).stream().allMatch(p -> p.effect() == HealthEffect.NONE));
        assertTrue(board.snapshot().healthy(A));
        assertTrue(board.snapshot().problems(B).isEmpty());
    }

    @Test
    void additionalXidsFromTheEnvironmentAreIgnoredToo() {
        start(HealthSettings.fromEnvironment(java.util.Map.of(XidPolicy.ADDITIONAL_XIDS_ENV, "48, 79",
                HealthSettings.REACHABILITY_INTERVAL_ENV, "1h")));
        await().until(() -> nvml.waitTimeouts().size() >= 1);
        raiseXid(A, 79, NONE, NONE);
        raiseXid(A, 94, NONE, NONE);

        await().until(() -> board.snapshot().problems(A).size() == 2);
        List<HealthProblem> problems = board.snapshot().problems(A);
        assertEquals(HealthEffect.NONE, problems.stream().filter(p -> p.value().equals("79")).findFirst().orElseThrow().effect());
        assertEquals(HealthEffect.NO_SCHEDULE, problems.stream().filter(p -> p.value().equals("94")).findFirst().orElseThrow().effect());
    }

    @Test
    void aMigEventLandsOnItsMigDeviceOnly() {
        startWatching();
        raiseXid(B, 94, 2, 1);

        await().until(() -> !board.snapshot().healthy(B3));
        assertTrue(only(B3).message().contains("GPU instance 2, compute instance 1"), only(B3).message());
        assertEquals(Set.of(B3), board.snapshot().byUuid().keySet());
    }

    @Test
    void aMigEventWithoutComputeInstanceLandsOnEveryMigDeviceOfItsGpuInstance() {
        startWatching();
        raiseXid(B, 94, 2, NONE);

        await().until(() -> board.snapshot().byUuid().size() == 2);
        assertEquals(Set.of(B2, B3), board.snapshot().byUuid().keySet());
    }

    @Test
    void aWholeGpuEventOnAMigGpuLandsOnTheGpuAndEveryMigDevice() {
        startWatching();
        raiseXid(B, 48, NONE, NONE);

        await().until(() -> board.snapshot().byUuid().size() == 4);
        assertEquals(Set.of(B, B1, B2, B3), board.snapshot().byUuid().keySet());
        assertEquals("48", only(B1).value());
    }

    @Test
    void aGpuInstanceThisNodeDoesNotPublishLeavesTheProblemOnTheGpu() {
        startWatching();
        raiseXid(B, 94, 7, 0);

        await().until(() -> !board.snapshot().healthy(B));
        assertEquals(Set.of(B), board.snapshot().byUuid().keySet());
        assertTrue(only(B).message().contains("GPU instance 7, compute instance 0, which this node does not publish"));
    }

    @Test
    void aGpuWhoseEventsCannotBeRegisteredIsUnmonitoredWithEffectNone() {
        nvml.failRegister(B, NvmlReturn.ERROR_NOT_SUPPORTED);
        startWatching();

        HealthSnapshot snapshot = board.snapshot();
        assertEquals(Set.of(B, B1, B2, B3), snapshot.byUuid().keySet());
        HealthProblem unmonitored = only(B2);
        assertEquals(HealthKeys.UNMONITORED, unmonitored.key());
        assertEquals(HealthEffect.NONE, unmonitored.effect());
        assertTrue(unmonitored.message().contains("NVML_ERROR_NOT_SUPPORTED"), unmonitored.message());
        assertEquals(0, snapshot.unhealthyCount());
        assertEquals(List.of(NvmlHealthMonitor.EVENT_MASK), nvml.registrations(A), "the other GPU is still watched");
    }

    @Test
    void aGpuWithoutXidEventsIsUnmonitoredEvenThoughOtherTypesRegistered() {
        nvml.gpu(A, NvmlEventType.PSTATE | NvmlEventType.SINGLE_BIT_ECC_ERROR);
        startWatching();

        assertEquals(List.of(NvmlEventType.SINGLE_BIT_ECC_ERROR), nvml.registrations(A));
        HealthProblem unmonitored = only(A);
        assertEquals(HealthKeys.UNMONITORED, unmonitored.key());
        assertTrue(unmonitored.message().contains("supports no XID events (it supports SingleBitEccError|PState)"),
                unmonitored.message());
    }

    @Test
    void aFailingSupportedTypesQueryIsUnmonitoredToo() {
        nvml.failSupportedEventTypes(A, NvmlReturn.ERROR_UNKNOWN);
        startWatching();

        assertEquals(HealthKeys.UNMONITORED, only(A).key());
        assertEquals(List.of(), nvml.registrations(A));
    }

    @Test
    void aLostGpuIsNoExecuteUntilItAnswersAgainWhichClearsItsXidsAndRegistersItAnew() {
        start(new HealthSettings(Duration.ofMillis(100), SHORT_WAIT, XidPolicy.upstream()));
        await().until(() -> nvml.registrations(B).size() == 1 && nvml.probes(B) >= 1);
        raiseXid(B, 79, NONE, NONE);
        await().until(() -> board.snapshot().byUuid().size() == 4);
        nvml.answerProbe(B, NvmlReturn.ERROR_GPU_IS_LOST);

        await().until(() -> board.snapshot().problems(B1).size() == 2);
        HealthProblem lost = board.snapshot().problems(B1).stream().filter(p -> p.key().equals(HealthKeys.GPU_LOST))
                .findFirst().orElseThrow();
        assertEquals(HealthEffect.NO_EXECUTE, lost.effect());
        assertTrue(lost.message().contains("NVML_ERROR_GPU_IS_LOST"), lost.message());
        assertEquals(Set.of(B, B1, B2, B3), board.snapshot().byUuid().keySet());

        nvml.answerProbe(B, NvmlReturn.SUCCESS);

        await().until(() -> board.snapshot().byUuid().isEmpty());
        await().until(() -> nvml.registrations(B).size() == 2);
        assertTrue(observer.saw("checked " + B + " REACHABLE answers again after being lost"), observer.lines.toString());
    }

    @Test
    void resetRequiredCountsAsLost() {
        nvml.answerProbe(A, NvmlReturn.ERROR_RESET_REQUIRED);
        startWatching();

        await().until(() -> !board.snapshot().healthy(A));
        assertEquals(HealthKeys.GPU_LOST, only(A).key());
    }

    @Test
    void anInconclusiveCheckReportsNothing() {
        nvml.answerProbe(A, NvmlReturn.ERROR_UNKNOWN);
        start(new HealthSettings(Duration.ofMillis(20), SHORT_WAIT, XidPolicy.upstream()));

        await().until(() -> nvml.probes(A) >= 3);
        assertEquals(HealthSnapshot.ALL_HEALTHY, board.snapshot());
        assertTrue(observer.saw("checked " + A + " INCONCLUSIVE"), observer.lines.toString());
    }

    @Test
    void aWaitFailingWithGpuIsLostChecksEveryGpuAtOnce() {
        startWatching();
        nvml.answerProbe(A, NvmlReturn.ERROR_GPU_IS_LOST);
        nvml.failNextWait(NvmlReturn.ERROR_GPU_IS_LOST);

        await().until(() -> !board.snapshot().healthy(A));
        assertEquals(HealthKeys.GPU_LOST, only(A).key());
        assertTrue(nvml.probes(B) >= 2, "B was checked again although its interval is an hour");
        assertTrue(board.snapshot().healthy(B));
    }

    @Test
    void aFailingWaitIsFollowedByAPauseNotASpin() {
        Duration wait = Duration.ofMillis(200);
        start(new HealthSettings(HOUR, wait, XidPolicy.upstream()));
        await().until(nvml::waiting);

        long started = System.nanoTime();
        int waits = nvml.waitTimeouts().size();
        for (int i = 0; i < 3; i++) {
            nvml.failNextWait(NvmlReturn.ERROR_UNKNOWN);
        }
        // The wait under way takes the first failure; the next two waits take the others.
        await().until(() -> nvml.drained() && nvml.waitTimeouts().size() >= waits + 2);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(wait.multipliedBy(2)) >= 0, "three failing waits in " + took + ": no pause between them");
        assertEquals(HealthSnapshot.ALL_HEALTHY, board.snapshot(), "a failing wait alone says nothing about a device");
    }

    @Test
    void aRunOfTheSameWaitFailureIsToldOnce() {
        startWatching();
        await().until(nvml::waiting);
        int waits = nvml.waitTimeouts().size();
        for (int i = 0; i < 3; i++) {
            nvml.failNextWait(NvmlReturn.ERROR_UNKNOWN);
        }

        // The three failures, then a wait that times out and ends the run.
        await().until(() -> nvml.drained() && nvml.waitTimeouts().size() >= waits + 4);
        assertEquals(1, waitFailures());
        nvml.failNextWait(NvmlReturn.ERROR_UNKNOWN);
        await().until(() -> waitFailures() == 2);
    }

    private long waitFailures() {
        return observer.lines.stream().filter(l -> l.startsWith("wait failed")).count();
    }

    @Test
    void aWaitThatReturnsEarlyIsNotRepeatedAtOnce() {
        Duration wait = Duration.ofMillis(100);
        nvml.answerTimeoutAtOnce();
        start(new HealthSettings(HOUR, wait, XidPolicy.upstream()));
        await().until(() -> nvml.waitTimeouts().size() >= 1);

        long started = System.nanoTime();
        int before = nvml.waitTimeouts().size();
        await().until(() -> nvml.waitTimeouts().size() >= before + 4);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(wait.multipliedBy(3)) >= 0, "four waits in " + took + ": the loop spins");
    }

    @Test
    void eccAndPowerEventsAreRecordedButChangeNothing() {
        startWatching();
        nvml.raise(new NvmlEvent(A, NvmlEventType.DOUBLE_BIT_ECC_ERROR, 0, NONE, NONE));
        nvml.raise(new NvmlEvent(A, NvmlEventType.POWER_SOURCE_CHANGE, 0, NONE, NONE));

        await().until(() -> observer.events.size() == 2);
        assertEquals(HealthSnapshot.ALL_HEALTHY, board.snapshot());
    }

    @Test
    void aGpuUnavailableEventChecksThatGpuAtOnce() {
        startWatching();
        nvml.answerProbe(A, NvmlReturn.ERROR_GPU_IS_LOST);
        nvml.raise(new NvmlEvent(A, NvmlEventType.GPU_UNAVAILABLE_ERROR, 0, NONE, NONE));

        await().until(() -> !board.snapshot().healthy(A));
        assertEquals(HealthKeys.GPU_LOST, only(A).key());
    }

    @Test
    void anEventOnAnUnknownGpuChecksEveryGpu() {
        startWatching();
        nvml.raise(new NvmlEvent("", NvmlEventType.XID_CRITICAL_ERROR, 79, NONE, NONE));

        await().until(() -> nvml.probes(A) >= 2 && nvml.probes(B) >= 2);
        assertEquals(HealthSnapshot.ALL_HEALTHY, board.snapshot(), "an XID that names no GPU of ours taints nothing");
    }

    @Test
    void eachWaitIsBoundedByTheWaitTimeoutAndTheNextCheck() {
        start(new HealthSettings(Duration.ofSeconds(5), Duration.ofMillis(200), XidPolicy.upstream()));

        await().until(() -> nvml.waitTimeouts().size() >= 3);
        assertTrue(nvml.waitTimeouts().stream().allMatch(t -> t >= 1 && t <= 200), nvml.waitTimeouts().toString());
    }

    @Test
    void closeReturnsWithinTheWaitTimeoutWhileAWaitIsUnderWay() {
        Duration wait = Duration.ofMillis(500);
        start(new HealthSettings(HOUR, wait, XidPolicy.upstream()));
        await().until(nvml::waiting);

        long started = System.nanoTime();
        monitor.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(wait.plusMillis(400)) < 0, "close took " + took);
        assertTrue(monitor.stopped(), "close waits for the thread");
        assertEquals(1, nvml.closes(), "the event set is freed once");
        assertFalse(nvml.closedWhileWaiting(), "never freed under a running wait");
        assertFalse(nvml.isOpen());
    }

    @Test
    void nvmlThatWillNotOpenLeavesEveryDeviceUnmonitoredAndStops() {
        nvml.failOpen(NvmlReturn.ERROR_DRIVER_NOT_LOADED);
        start();

        await().until(monitor::stopped);
        assertEquals(Set.of(A, B, B1, B2, B3), board.snapshot().byUuid().keySet());
        assertTrue(only(A).message().contains("NVML_ERROR_DRIVER_NOT_LOADED"), only(A).message());
        assertEquals(1, nvml.closes());
        assertTrue(observer.saw("failed"));
    }

    @Test
    void aMonitorStartsOnce() {
        startWatching();
        assertThrows(IllegalStateException.class, () -> monitor.start(board));
    }

    @Test
    void closeBeforeStartIsHarmless() {
        NvmlHealthMonitor unstarted = new NvmlHealthMonitor(nvml, inventory(), HealthSettings.defaults(), observer);
        unstarted.close();
        assertFalse(unstarted.stopped());
        assertEquals(0, nvml.closes());
    }
}
