package io.alauda.dra.slice;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff between failed attempts: {@code initial}, doubling, capped at {@code max}, each delay shortened
 * by a random share of up to {@code jitter} so that the plugins of a whole cluster do not retry in step after an API
 * server outage.
 */
public final class Backoff {

    /** 1 s doubling to 60 s, up to 20 % shorter at random. */
    public static final Backoff DEFAULT = exponential(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2);

    private final Duration initial;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;

    Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial delay must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max delay " + max + " is shorter than the initial delay " + initial);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("backoff jitter must be in [0, 1), got " + jitter);
        }
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    /** @param jitter share in [0, 1) by which a delay may be shortened at random; 0 for exact delays */
    public static Backoff exponential(Duration initial, Duration max, double jitter) {
        return new Backoff(initial, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param failures consecutive failures so far, from 1 */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures counts from 1, got " + failures);
        }
        long nominal = initial.toMillis();
        for (int i = 1; i < failures && nominal < max.toMillis(); i++) {
            nominal *= 2;
        }
        nominal = Math.min(nominal, max.toMillis());
        return Duration.ofMillis(Math.round(nominal * (1 - jitter * random.getAsDouble())));
    }

    public Duration initial() {
        return initial;
    }

    public Duration max() {
        return max;
    }

    public double jitter() {
        return jitter;
    }
}
