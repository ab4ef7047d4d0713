package io.alauda.dra.operator;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The Java Operator SDK's reconcile metrics, bound to the application's registry when the operator is built.
 *
 * <p>QOSDK's own provider is a {@code MeterBinder} that hands out a no-op {@code Metrics} until Micrometer has bound
 * it. The packaged operator ended up with that no-op: its {@code /q/metrics} had no {@code reconciliations_*} series
 * ({@code PackagedOperatorMetricsIT}), while under {@code @QuarkusTest} they were there. This producer does not
 * depend on that order: it asks CDI for the registry itself, so the SDK gets metrics bound to it from the start.
 */
@Dependent
public class OperatorSdkMetrics {

    @Produces
    @Singleton
    Metrics operatorSdkMetrics(MeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry).build();
    }
}
