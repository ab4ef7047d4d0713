package io.alauda.dra.slice;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {

    @Test
    void defaultDoublesFromOneSecondToSixtySeconds() {
        Backoff exact = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2, () -> 0.0);
        assertEquals(Duration.ofSeconds(1), exact.delayAfter(1));
        assertEquals(Duration.ofSeconds(2), exact.delayAfter(2));
        assertEquals(Duration.ofSeconds(32), exact.delayAfter(6));
        assertEquals(Duration.ofSeconds(60), exact.delayAfter(7));
        assertEquals(Duration.ofSeconds(60), exact.delayAfter(1000));
        assertEquals(Backoff.DEFAULT.initial(), exact.initial());
        assertEquals(Backoff.DEFAULT.max(), exact.max());
        assertEquals(Backoff.DEFAULT.jitter(), exact.jitter());
    }

    @Test
    void jitterShortensByUpToItsShare() {
        Backoff longest = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2, () -> 0.0);
        Backoff shortest = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2, () -> 1.0);
        Backoff half = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2, () -> 0.5);
        assertEquals(Duration.ofMillis(8000), longest.delayAfter(4));
        assertEquals(Duration.ofMillis(6400), shortest.delayAfter(4));
        assertEquals(Duration.ofMillis(7200), half.delayAfter(4));
        assertEquals(Duration.ofMillis(48000), shortest.delayAfter(10));
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), 1.0));
        assertThrows(IllegalArgumentException.class, () -> Backoff.DEFAULT.delayAfter(0));
    }
}
