package io.alauda.dra.operator;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterFactsCacheTest {

    private static final Duration RESYNC = Duration.ofMinutes(5);

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-12-04T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger discoveries = new AtomicInteger();

    private ClusterFactsCache cache(boolean complete) {
        return new ClusterFactsCache(() -> {
            discoveries.incrementAndGet();
            return new ClusterFacts("v1.34.2", 34, List.of("v1"), false, complete);
        }, () -> RESYNC, clock);
    }

    @Test
    void discoversOncePerResyncPeriod() {
        ClusterFactsCache facts = cache(true);
        for (int i = 0; i < 60; i++) { // a standing warning rechecks every 5 s: five minutes of it
            facts.current("uid-1/1");
            clock.advance(Duration.ofSeconds(4));
        }
        assertEquals(1, discoveries.get());

        clock.advance(Duration.ofMinutes(1));
        facts.current("uid-1/1");
        assertEquals(2, discoveries.get(), "facts older than the resync period are discovered again");
    }

    @Test
    void aNewCrOrASpecChangeDiscoversAgain() {
        ClusterFactsCache facts = cache(true);
        facts.current("uid-1/1");
        facts.current("uid-1/2");
        facts.current("uid-2/1");
        assertEquals(3, discoveries.get());
    }

    @Test
    void factsThatAFailedRequestLeftIncompleteAreNotRemembered() {
        ClusterFactsCache facts = cache(false);
        facts.current("uid-1/1");
        facts.current("uid-1/1");
        assertEquals(2, discoveries.get());
    }
}
