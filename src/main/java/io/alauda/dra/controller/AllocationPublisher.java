package io.alauda.dra.controller;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Turns the cluster picture into gauges, debounced, and only on the leader once every informer has synced:
 * numbers from half-listed claims would be wrong, and numbers from two replicas would be counted twice.
 */
final class AllocationPublisher {

    /** How long a burst of changes may go on before one recomputation picks them all up. */
    static final Duration QUIET = Duration.ofMillis(50);

    private final ControllerMetrics metrics;
    private final Supplier<AllocationSnapshot> source;
    private final BooleanSupplier synced;
    private final BooleanSupplier watching;
    private final Debouncer debouncer;
    private boolean leading;

    AllocationPublisher(ControllerMetrics metrics, Supplier<AllocationSnapshot> source, BooleanSupplier synced,
                        BooleanSupplier watching, ScheduledExecutorService executor, Duration minInterval) {
        this.metrics = metrics;
        this.source = source;
        this.synced = synced;
        this.watching = watching;
        this.debouncer = new Debouncer(executor, QUIET, minInterval, this::publishNow);
    }

    void request() {
        debouncer.request();
    }

    /**
     * The last-update timestamp moves only while every watch is open: if the API server stays unreachable, the
     * numbers stop being current and the timestamp's age says so.
     *
     * @return whether anything was published (not before leading and synced)
     */
    synchronized boolean publishNow() {
        if (leading && synced.getAsBoolean()) {
            metrics.publish(source.get(), watching.getAsBoolean());
            return true;
        }
        return false;
    }

    synchronized void leadershipChanged(boolean nowLeading) {
        leading = nowLeading;
        metrics.leader(nowLeading);
        if (nowLeading) {
            request();
        } else {
            metrics.clearAllocation();
        }
    }

    synchronized boolean leading() {
        return leading;
    }
}
