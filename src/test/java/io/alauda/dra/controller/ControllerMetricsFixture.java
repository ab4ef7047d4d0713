package io.alauda.dra.controller;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.Map;

/** For tests outside this package: a ControllerMetrics with one row of every series. */
public final class ControllerMetricsFixture {

    private ControllerMetricsFixture() {
    }

    public static void publishOneOfEverything(MeterRegistry registry) {
        ControllerMetrics metrics = new ControllerMetrics(registry, Clock.systemUTC());
        metrics.leader(true);
        metrics.staleSliceDeleted();
        metrics.publish(new AllocationSnapshot(
                Map.of(new DeviceGroup("n", "p", "gpu"), new DeviceTotals(1, 1, 1, 1)),
                Map.of("ns", new ClaimCounts(1, 1)),
                Map.of("n", 1)), true);
    }
}
