package io.alauda.dra.discover;

import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.health.DeviceHealth;
import io.alauda.dra.health.DeviceHealthBoard;
import io.alauda.dra.health.HealthKeys;
import io.alauda.dra.health.HealthProblem;
import io.alauda.dra.health.HealthSettings;
import io.alauda.dra.health.HealthSnapshot;
import io.alauda.dra.health.NvmlHealthMonitor;
import io.alauda.dra.health.NvmlHealthObserver;
import io.alauda.dra.health.Reachability;
import io.alauda.dra.nvml.NvmlEvent;
import io.alauda.dra.nvml.NvmlEventType;
import io.alauda.dra.nvml.NvmlEvents;
import io.alauda.dra.nvml.NvmlException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code discover --watch-health}: runs the kubelet plugin's NVML health monitor on this node for a while and prints
 * every step, one line each, with the time since the start: per GPU the supported event types and what was
 * registered, every event, every reachability check, then what the board holds at the end.
 *
 * <p>Exit code {@link #HEALTHY} when no device ended unhealthy and every GPU was watched, {@link #UNHEALTHY} when a
 * device ended with a problem that has a scheduling effect (a lost GPU or a fatal XID), {@link #UNMONITORED} when some
 * GPU could not be watched.
 */
final class HealthWatch implements NvmlHealthObserver {

    static final int HEALTHY = 0;
    static final int UNHEALTHY = 3;
    static final int UNMONITORED = 4;

    private final PrintStream out;
    private final long started = System.nanoTime();
    private final Map<Reachability, AtomicInteger> checks = new EnumMap<>(Reachability.class);
    private final AtomicInteger events = new AtomicInteger();
    private final AtomicInteger waitFailures = new AtomicInteger();

    private HealthWatch(PrintStream out) {
        this.out = out;
        for (Reachability r : Reachability.values()) {
            checks.put(r, new AtomicInteger());
        }
    }

    /** Watches for {@code duration}, prints, and returns the exit code. */
    static int run(NodeInventory inventory, NvmlEvents nvml, HealthSettings settings, Duration duration, PrintStream out) {
        HealthWatch watch = new HealthWatch(out);
        out.println("watch-health: " + inventory.gpus().size() + " GPU(s), driver " + inventory.driverVersion() + ", for "
                + duration.toSeconds() + " s; reachability check every " + settings.reachabilityInterval().toMillis()
                + " ms, each wait at most " + settings.waitTimeout().toMillis() + " ms; XIDs treated as application errors: "
                + settings.xids().ignoredXids() + "; asking for " + NvmlEventType.names(NvmlHealthMonitor.EVENT_MASK));
        DeviceHealthBoard board = new DeviceHealthBoard();
        NvmlHealthMonitor monitor = new NvmlHealthMonitor(nvml, inventory, settings, watch);
        monitor.start(board);
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            monitor.close();
        }
        watch.line("stopped" + (monitor.stopped() ? "" : " (the monitor thread is still inside an NVML wait)"));
        return watch.summary(board.snapshot(), inventory);
    }

    private int summary(HealthSnapshot snapshot, NodeInventory inventory) {
        out.println("summary: " + events.get() + " event(s), " + waitFailures.get() + " failed wait(s), checks: "
                + checks.get(Reachability.REACHABLE) + " reachable, " + checks.get(Reachability.LOST) + " lost, "
                + checks.get(Reachability.INCONCLUSIVE) + " inconclusive");
        if (snapshot.byUuid().isEmpty()) {
            out.println("health: all " + inventory.gpus().size() + " GPU(s) and their MIG devices healthy, no problem recorded");
            return HEALTHY;
        }
        boolean unmonitored = false;
        for (DeviceHealth device : snapshot.sorted().values()) {
            for (HealthProblem problem : device.problems()) {
                out.println("health: " + device.uuid() + " " + problem.key() + (problem.value().isEmpty() ? "" : "=" + problem.value())
                        + " " + problem.effect().kubeName() + ": " + problem.message());
                unmonitored |= problem.key().equals(HealthKeys.UNMONITORED);
            }
        }
        if (snapshot.unhealthyCount() > 0) {
            return UNHEALTHY;
        }
        return unmonitored ? UNMONITORED : HEALTHY;
    }

    private void line(String text) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        out.printf("+%d.%03ds %s%n", millis / 1000, millis % 1000, text);
    }

    @Override
    public void registered(String gpuUuid, long supported, long registered) {
        line(gpuUuid + " supported: " + NvmlEventType.names(supported) + " (0x" + Long.toHexString(supported) + "); registered: "
                + NvmlEventType.names(registered));
    }

    @Override
    public void unmonitored(String gpuUuid, String reason) {
        line(gpuUuid + " UNMONITORED: " + reason);
    }

    @Override
    public void event(NvmlEvent event, String outcome) {
        events.incrementAndGet();
        line("event " + event + " -> " + outcome);
    }

    @Override
    public void checked(String gpuUuid, Reachability result, String detail) {
        checks.get(result).incrementAndGet();
        line(gpuUuid + " check: " + result + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }

    @Override
    public void waitFailed(NvmlException failure) {
        waitFailures.incrementAndGet();
        line("wait failed: " + failure.getMessage());
    }

    @Override
    public void failed(RuntimeException failure) {
        line("monitor failed: " + failure.getMessage());
    }
}
