package io.alauda.dra.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Preflight's discovery (/version, the resource.k8s.io group, the ServiceMonitor CRD) once per resync period
 * instead of on every reconcile: while a warning stands the operator looks again every few seconds, and what it
 * discovers changes only when the cluster is upgraded or an add-on installed. A new CR or a spec change (another
 * uid or generation) discovers again, so editing the CR is the way to make the operator look at once. Facts that a
 * failed request left incomplete are not remembered, so a transient error is retried on the next reconcile.
 */
final class ClusterFactsCache {

    private final Supplier<ClusterFacts> discover;
    private final Supplier<Duration> maxAge;
    private final Clock clock;
    private volatile Remembered remembered;

    private record Remembered(ClusterFacts facts, String forSpec, Instant at) {
    }

    ClusterFactsCache(Supplier<ClusterFacts> discover, Supplier<Duration> maxAge, Clock clock) {
        this.discover = discover;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** @param spec the CR's uid and generation: facts are reused only for the spec they were discovered for */
    ClusterFacts current(String spec) {
        Instant now = clock.instant();
        Remembered r = remembered;
        if (r != null && r.forSpec().equals(spec) && now.isBefore(r.at().plus(maxAge.get()))) {
            return r.facts();
        }
        ClusterFacts facts = discover.get();
        remembered = facts.complete() ? new Remembered(facts, spec, now) : null;
        return facts;
    }
}
