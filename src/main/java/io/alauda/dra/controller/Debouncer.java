package io.alauda.dra.controller;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Runs a task soon after it is requested, but never more often than once per interval: a burst of 10,000 claim
 * events costs one or two runs, and a lone change shows after the short quiet period. A request that arrives while
 * the task runs schedules one more run, so the last change is never lost. A run in which the task had nothing to do
 * (it says so) does not start the interval: the controller's first real run, right after its informers have synced,
 * must not wait out an interval started by the empty runs the initial list's events caused.
 */
final class Debouncer {

    private static final Logger LOG = Logger.getLogger(Debouncer.class);

    private final ScheduledExecutorService executor;
    private final long quietNanos;
    private final long minIntervalNanos;
    /** Runs the work; returns false when there was nothing it could do yet. */
    private final BooleanSupplier task;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long lastStart = Long.MIN_VALUE / 2;

    Debouncer(ScheduledExecutorService executor, Duration quiet, Duration minInterval, BooleanSupplier task) {
        this.executor = executor;
        this.quietNanos = quiet.toNanos();
        this.minIntervalNanos = minInterval.toNanos();
        this.task = task;
    }

    void request() {
        if (!pending.compareAndSet(false, true)) {
            return;
        }
        long delay = Math.max(quietNanos, lastStart + minIntervalNanos - System.nanoTime());
        try {
            executor.schedule(this::run, delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.set(false); // shutting down
        }
    }

    private void run() {
        pending.set(false);
        long start = System.nanoTime();
        try {
            if (task.getAsBoolean()) {
                lastStart = start;
            }
        } catch (RuntimeException e) {
            lastStart = start;
            LOG.error("allocation metrics update failed; the next change retries it", e);
        }
    }
}
