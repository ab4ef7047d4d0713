package io.alauda.dra.controller;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The debouncer with a scheduler that only records what it is asked to schedule, so nothing depends on timing. */
class DebouncerTest {

    private static final Duration QUIET = Duration.ofMillis(50);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private boolean countRun() {
        runs.incrementAndGet();
        return true;
    }

    @Test
    void aBurstOfRequestsSchedulesOneRunAfterTheQuietPeriod() {
        Debouncer debouncer = new Debouncer(scheduler, QUIET, MIN_INTERVAL, this::countRun);

        for (int i = 0; i < 10_000; i++) {
            debouncer.request();
        }

        assertEquals(1, scheduler.tasks.size());
        assertEquals(QUIET.toNanos(), scheduler.delaysNanos.get(0));
        scheduler.runNext();
        assertEquals(1, runs.get());
    }

    @Test
    void theNextRunWaitsOutTheMinimumInterval() {
        Debouncer debouncer = new Debouncer(scheduler, QUIET, MIN_INTERVAL, this::countRun);
        debouncer.request();
        scheduler.runNext();

        debouncer.request();

        assertEquals(2, scheduler.tasks.size());
        long delay = scheduler.delaysNanos.get(1);
        assertTrue(delay > MIN_INTERVAL.toNanos() - Duration.ofSeconds(5).toNanos() && delay <= MIN_INTERVAL.toNanos(),
                "delay " + delay + " ns should be close to the 10 s minimum interval");
    }

    @Test
    void aRunWithNothingToDoDoesNotMakeTheNextOneWait() {
        boolean[] ready = {false};
        Debouncer debouncer = new Debouncer(scheduler, QUIET, MIN_INTERVAL, () -> {
            runs.incrementAndGet();
            return ready[0];
        });
        debouncer.request();
        scheduler.runNext();
        ready[0] = true;

        debouncer.request();

        assertEquals(QUIET.toNanos(), scheduler.delaysNanos.get(1), "the informers just synced: publish now");
        scheduler.runNext();
        debouncer.request();
        assertTrue(scheduler.delaysNanos.get(2) > QUIET.toNanos(), "a run that published starts the interval");
    }

    @Test
    void aRequestDuringARunSchedulesOneMoreSoTheLastChangeIsNotLost() {
        Debouncer[] self = new Debouncer[1];
        self[0] = new Debouncer(scheduler, QUIET, MIN_INTERVAL, () -> {
            if (runs.incrementAndGet() == 1) {
                self[0].request();
            }
            return true;
        });
        self[0].request();

        scheduler.runNext();

        assertEquals(2, scheduler.tasks.size());
        scheduler.runNext();
        assertEquals(2, runs.get());
    }

    @Test
    void aFailingRunDoesNotStopLaterOnes() {
        Debouncer debouncer = new Debouncer(scheduler, QUIET, Duration.ZERO, () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return true;
        });
        debouncer.request();
        scheduler.runNext();
        debouncer.request();
        scheduler.runNext();
        assertEquals(2, runs.get());
    }

    /** Records scheduled tasks instead of running them; the test runs them in order. */
    private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        final List<Runnable> tasks = new ArrayList<>();
        final List<Long> delaysNanos = new ArrayList<>();
        private int next;

        RecordingScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            tasks.add(command);
            delaysNanos.add(unit.toNanos(delay));
            return null;
        }

        void runNext() {
            tasks.get(next++).run();
        }
    }
}
