package io.alauda.dra.metrics;

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
 * it. In the packaged application the operator's configuration is built first, so the SDK kept the no-op and
 * {@code /q/metrics} had no {@code reconciliations_*} series ({@code PackagedOperatorMetricsIT}); under
 * {@code @QuarkusTest} the order happened to be the other way round. Asking for the registry here makes the order
 * explicit: CDI creates the registry before this producer runs.
 */
@Dependent
public class OperatorSdkMetrics {

    @Produces
    @Singleton
    Metrics operatorSdkMetrics(MeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry).build();
    }
}
