package io.alauda.dra.health;

import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.nvml.NvmlEvent;
import io.alauda.dra.nvml.NvmlEventType;
import io.alauda.dra.nvml.NvmlEvents;
import io.alauda.dra.nvml.NvmlException;
import io.alauda.dra.nvml.NvmlReturn;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches the node's GPUs through NVML events and a periodic reachability check, on a thread of its own, and writes
 * what it finds on the {@link DeviceHealthBoard}:
 *
 * <ul>
 * <li>an XID: {@code gpu.nvidia.com/xid=<xid>}, NoSchedule, or None for XIDs the {@link XidPolicy} treats as
 * application errors; on the MIG device the event is attributed to, else on the GPU and all its MIG devices;</li>
 * <li>a GPU that answers GPU_IS_LOST (or RESET_REQUIRED, or is no longer found): {@code gpu.nvidia.com/gpu-lost},
 * NoExecute, on the GPU and all its MIG devices;</li>
 * <li>a GPU whose XID events cannot be registered: {@code gpu.nvidia.com/unmonitored}, None.</li>
 * </ul>
 *
 * <p>What clears a problem: a lost GPU that answers again clears its {@code gpu-lost} and every {@code xid} problem
 * of the GPU and its MIG devices (coming back from lost takes a reset, which ends what the XIDs reported), and its
 * events are registered anew, which clears {@code unmonitored}. Nothing else clears an XID: a GPU that is reset
 * while it still answers looks the same to NVML before and after, so the admin restarts the kubelet plugin pod after
 * the reset, and the new plugin starts from an empty board. ECC, clock and power events are passed to the observer
 * only: an uncorrectable ECC error raises its own XID (48, 63, 64, 94, 95), which is what taints.
 *
 * <p>All NVML calls are made on the monitor's thread. A native wait cannot be interrupted, so each wait is bounded by
 * {@link HealthSettings#waitTimeout()} and {@link #close()} returns within about that long; the event set is freed
 * by the monitor thread itself after its last wait, never under a running one.
 */
public final class NvmlHealthMonitor implements HealthMonitor {

    /**
     * Upstream's mask (critical XIDs, single- and double-bit ECC) plus, where the GPU supports them, clock and power
     * source changes and the GPU-unavailable and recovery-action events of newer drivers; cut to what each GPU
     * supports, as NVML registers nothing when asked for a type it does not support. PState changes are left out: they
     * come with every change of load and say nothing about health.
     */
    public static final long EVENT_MASK = NvmlEventType.XID_CRITICAL_ERROR | NvmlEventType.SINGLE_BIT_ECC_ERROR
            | NvmlEventType.DOUBLE_BIT_ECC_ERROR | NvmlEventType.CLOCK | NvmlEventType.POWER_SOURCE_CHANGE
            | NvmlEventType.GPU_UNAVAILABLE_ERROR | NvmlEventType.GPU_RECOVERY_ACTION;

    private static final Duration CLOSE_SLACK = Duration.ofSeconds(2);
    private static final int NO_FAILURE = NvmlReturn.SUCCESS;

    private final NvmlEvents events;
    private final DevicePlacements placements;
    private final HealthSettings settings;
    private final NvmlHealthObserver observer;
    private final Clock clock;
    private final CountDownLatch stop = new CountDownLatch(1);
    /** GPUs last found lost; only the monitor thread touches it. */
    private final Set<String> lost = new HashSet<>();
    /** The code of the last failed wait in a run of failures; only the monitor thread touches it. */
    private int lastWaitFailure = NO_FAILURE;
    private Thread thread;
    private DeviceHealthBoard board;

    public NvmlHealthMonitor(NvmlEvents events, NodeInventory inventory, HealthSettings settings, NvmlHealthObserver observer) {
        this(events, inventory, settings, observer, Clock.systemUTC());
    }

    /** @param clock stamps {@link HealthProblem#since()} */
    public NvmlHealthMonitor(NvmlEvents events, NodeInventory inventory, HealthSettings settings, NvmlHealthObserver observer,
                             Clock clock) {
        this.events = events;
        this.placements = new DevicePlacements(inventory);
        this.settings = settings;
        this.observer = observer;
        this.clock = clock;
    }

    @Override
    public synchronized void start(DeviceHealthBoard board) {
        if (thread != null) {
            throw new IllegalStateException("the NVML health monitor was started already");
        }
        this.board = board;
        thread = new Thread(this::run, "nvml-health-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops the monitor and waits up to the wait timeout plus two seconds for its thread to finish. Should NVML hang
     * in a wait beyond that, the thread is left to free the event set when the wait returns.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            running = thread;
        }
        stop.countDown();
        if (running == null || running == Thread.currentThread()) {
            return;
        }
        try {
            running.join(settings.waitTimeout().plus(CLOSE_SLACK).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the monitor thread has finished (false before start). */
    public synchronized boolean stopped() {
        return thread != null && !thread.isAlive();
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    private void run() {
        try {
            try {
                events.open();
            } catch (NvmlException e) {
                giveUp(e, "NVML would not open for events: " + e.getMessage());
                return;
            }
            placements.gpuUuids().forEach(this::register);
            watch();
        } catch (RuntimeException e) {
            giveUp(e, "the health monitor stopped on an unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            events.close();
        }
    }

    private void giveUp(RuntimeException failure, String reason) {
        observer.failed(failure);
        for (String gpu : placements.gpuUuids()) {
            markUnmonitored(gpu, reason);
        }
    }

    private void watch() {
        long nextCheck = System.nanoTime();
        while (!stopping()) {
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                checkAll();
                nextCheck = System.nanoTime() + settings.reachabilityInterval().toNanos();
                continue;
            }
            long untilCheck = TimeUnit.NANOSECONDS.toMillis(nextCheck - now) + 1;
            int timeout = (int) Math.min(settings.waitTimeout().toMillis(), untilCheck);
            try {
                long waitStarted = System.nanoTime();
                var event = events.await(timeout);
                if (event.isPresent()) {
                    handle(event.get());
                } else {
                    // NVML may answer TIMEOUT early (an interrupt); should it always do so, this loop would spin.
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitStarted);
                    if (waited < timeout) {
                        pause(Duration.ofMillis(timeout - waited));
                    }
                }
                lastWaitFailure = NO_FAILURE;
            } catch (NvmlException e) {
                waitFailed(e);
                // NVML answers a failing wait at once; pausing keeps a lost GPU from turning this loop into a spin.
                pause(settings.waitTimeout());
            }
        }
    }

    /**
     * While a GPU stays lost every wait fails the same way, once a wait timeout; the first of a run is told and
     * checked, the rest are left to the periodic check so that the log gets one line, not one a second.
     */
    private void waitFailed(NvmlException failure) {
        if (failure.code() == lastWaitFailure) {
            return;
        }
        lastWaitFailure = failure.code();
        observer.waitFailed(failure);
        if (Reachability.of(failure.code()) == Reachability.LOST) {
            // The wait says some GPU is lost, not which: the check finds it.
            checkAll();
        }
    }

    private void pause(Duration duration) {
        try {
            stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }

    private void register(String gpu) {
        long supported;
        try {
            supported = events.supportedEventTypes(gpu);
        } catch (NvmlException e) {
            markUnmonitored(gpu, e.getMessage());
            return;
        }
        long mask = EVENT_MASK & supported;
        if (mask != 0) {
            try {
                events.register(gpu, mask);
            } catch (NvmlException e) {
                markUnmonitored(gpu, e.getMessage() + " when asked for " + NvmlEventType.names(mask));
                return;
            }
        }
        observer.registered(gpu, supported, mask);
        if ((mask & NvmlEventType.XID_CRITICAL_ERROR) == 0) {
            markUnmonitored(gpu, "the GPU supports no XID events (it supports " + NvmlEventType.names(supported) + ")");
            return;
        }
        for (String device : placements.devicesOf(gpu)) {
            board.clear(device, HealthKeys.UNMONITORED);
        }
    }

    private void markUnmonitored(String gpu, String reason) {
        observer.unmonitored(gpu, reason);
        HealthProblem problem = NvmlHealthProblems.unmonitored(gpu, reason, clock.instant());
        for (String device : placements.devicesOf(gpu)) {
            board.report(device, problem);
        }
    }

    private void handle(NvmlEvent event) {
        if (!placements.knows(event.gpuUuid())) {
            observer.event(event, "not on a GPU this node publishes; checking every GPU now");
            checkAll();
            return;
        }
        if (event.isXid()) {
            DevicePlacements.Attribution on = placements.attribute(event);
            HealthProblem problem = NvmlHealthProblems.xid(event.data(), event.gpuUuid(), on.where(), settings.xids(), clock.instant());
            on.uuids().forEach(device -> board.report(device, problem));
            observer.event(event, problem.key() + "=" + problem.value() + " " + problem.effect().kubeName() + " on "
                    + String.join(", ", on.uuids()));
        } else if ((event.type() & (NvmlEventType.GPU_UNAVAILABLE_ERROR | NvmlEventType.GPU_RECOVERY_ACTION)) != 0) {
            observer.event(event, "checking whether the GPU still answers");
            check(event.gpuUuid());
        } else if ((event.type() & (NvmlEventType.SINGLE_BIT_ECC_ERROR | NvmlEventType.DOUBLE_BIT_ECC_ERROR)) != 0) {
            observer.event(event, "recorded only; an ECC error that matters raises its own XID");
        } else {
            observer.event(event, "recorded only; clock and power changes are not faults");
        }
    }

    private void checkAll() {
        placements.gpuUuids().forEach(this::check);
    }

    private void check(String gpu) {
        Reachability result;
        String detail;
        try {
            events.probe(gpu);
            result = Reachability.REACHABLE;
            detail = "";
        } catch (NvmlException e) {
            result = Reachability.of(e.code());
            detail = e.getMessage();
        }
        List<String> devices = placements.devicesOf(gpu);
        switch (result) {
            case LOST -> {
                lost.add(gpu);
                HealthProblem problem = NvmlHealthProblems.gpuLost(gpu, detail, clock.instant());
                devices.forEach(device -> board.report(device, problem));
            }
            case REACHABLE -> {
                if (lost.remove(gpu)) {
                    for (String device : devices) {
                        board.clear(device, HealthKeys.GPU_LOST);
                        board.clear(device, HealthKeys.XID);
                    }
                    detail = detail.isEmpty() ? "answers again after being lost; gpu-lost and xid problems cleared" : detail;
                    observer.checked(gpu, result, detail);
                    register(gpu);
                    return;
                }
            }
            default -> {
                // Inconclusive: nothing on the board, the observer hears it.
            }
        }
        observer.checked(gpu, result, detail);
    }
}
