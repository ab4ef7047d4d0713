package io.alauda.dra.discover;

import io.alauda.dra.nvml.FakeNvml;
import io.alauda.dra.nvml.FakeNvmlEvents;
import io.alauda.dra.nvml.NvmlEvent;
import io.alauda.dra.nvml.NvmlEventType;
import io.alauda.dra.nvml.NvmlReturn;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code discover --watch-health} on FakeNvml's A100 in MIG mode (MIG-3g at GI 2, MIG-2g at GI 3, MIG-1g at GI 9) and
 * a {@link FakeNvmlEvents} with the events queued before the one-second run starts.
 */
class DiscoverWatchHealthTest {

    private static final String A100 = "GPU-a100a100-0000-4000-8000-000000000001";
    private static final String MIG_2G = "MIG-2g000000-0000-0000-0000-000000000000";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FakeNvmlEvents events = new FakeNvmlEvents().gpu(A100, 0xFFFFL);

    private int run(Map<String, String> env, String... args) {
        return DiscoverCommand.runWatching(args, env, root -> FakeNvml.a100Mig(), root -> events,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aQuietRunPrintsRegistrationAndChecksAndExitsZero() {
        assertEquals(0, run(Map.of(), "--watch-health", "1", "--health-check-interval", "1"), err());

        String out = out();
        assertTrue(out.contains(A100 + " supported: SingleBitEccError|DoubleBitEccError|PState|XidCriticalError|"), out);
        assertTrue(out.contains("registered: SingleBitEccError|DoubleBitEccError|XidCriticalError|Clock|PowerSourceChange|"
                + "GpuUnavailableError|GpuRecoveryAction"), out);
        assertTrue(out.contains(A100 + " check: REACHABLE"), out);
        assertTrue(out.contains("summary: 0 event(s), 0 failed wait(s), checks: "), out);
        assertTrue(out.contains("health: all 1 GPU(s) and their MIG devices healthy"), out);
        assertEquals(1, events.closes());
    }

    @Test
    void anApplicationXidIsPrintedAndLeavesTheExitCodeZero() {
        events.raise(new NvmlEvent(A100, NvmlEventType.XID_CRITICAL_ERROR, 13, 3, 0));

        assertEquals(0, run(Map.of(), "--watch-health", "1"), err());

        assertTrue(out().contains("event XidCriticalError data=13 gi=3 ci=0 on " + A100 + " -> gpu.nvidia.com/xid=13 None on "
                + MIG_2G), out());
        assertTrue(out().contains("health: " + MIG_2G + " gpu.nvidia.com/xid=13 None: NVML reported XID 13"), out());
    }

    @Test
    void aFatalXidExitsThree() {
        events.raise(new NvmlEvent(A100, NvmlEventType.XID_CRITICAL_ERROR, 79, NvmlEvent.NO_INSTANCE, NvmlEvent.NO_INSTANCE));

        assertEquals(HealthWatch.UNHEALTHY, run(Map.of(), "--watch-health", "1"), err());
        assertTrue(out().contains("health: " + MIG_2G + " gpu.nvidia.com/xid=79 NoSchedule"), out());
    }

    @Test
    void additionalXidsToIgnoreComeFromTheEnvironment() {
        events.raise(new NvmlEvent(A100, NvmlEventType.XID_CRITICAL_ERROR, 79, NvmlEvent.NO_INSTANCE, NvmlEvent.NO_INSTANCE));

        assertEquals(0, run(Map.of("ADDITIONAL_XIDS_TO_IGNORE", "79"), "--watch-health", "1"), err());
        assertTrue(out().contains("XIDs treated as application errors: [13, 31, 43, 45, 68, 79, 109]"), out());
    }

    @Test
    void aBadAdditionalXidIsAnErrorNamingIt() {
        assertEquals(DiscoverCommand.FAILED, run(Map.of("ADDITIONAL_XIDS_TO_IGNORE", "79,x"), "--watch-health", "1"));
        assertTrue(err().contains("ADDITIONAL_XIDS_TO_IGNORE entry 'x' is not an XID number"), err());
        assertEquals(0, events.closes(), "nothing was opened");
    }

    @Test
    void aGpuThatCannotBeWatchedExitsFour() {
        events.failRegister(A100, NvmlReturn.ERROR_NOT_SUPPORTED);

        assertEquals(HealthWatch.UNMONITORED, run(Map.of(), "--watch-health", "1"), err());
        assertTrue(out().contains(A100 + " UNMONITORED: nvmlDeviceRegisterEvents: NVML_ERROR_NOT_SUPPORTED"), out());
    }

    @Test
    void badWatchFlagsAreRefusedWithTheFix() {
        assertEquals(DiscoverCommand.FAILED, run(Map.of(), "--watch-health", "0"));
        assertTrue(err().contains("--watch-health takes a whole number of seconds from 1 to 86400, not '0', e.g. --watch-health 30"),
                err());
        assertEquals(DiscoverCommand.FAILED, run(Map.of(), "--health-check-interval", "5"));
        assertTrue(err().contains("--health-check-interval only applies while watching; add --watch-health 30"), err());
        assertEquals(DiscoverCommand.FAILED, run(Map.of(), "--watch-health", "30", "--replay", "node.json"));
        assertTrue(err().contains("cannot be combined with --replay"), err());
    }
}
