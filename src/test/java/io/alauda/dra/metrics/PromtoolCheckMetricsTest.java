package io.alauda.dra.metrics;

import io.alauda.dra.operator.OperatorMetrics;
import io.alauda.dra.plugin.role.PluginMetrics;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * promtool's linter on the text each role's /q/metrics would serve, built here from a registry with the role's
 * meters, the JVM and system meters Quarkus binds and our {@link LintCleanMeters}. The controller and operator
 * roles are also checked as Quarkus really serves them (ControllerRoleMetricsEndpointTest,
 * OperatorRoleMetricsEndpointTest); the kubelet plugin cannot start here, so this is its check.
 */
@SuppressWarnings("deprecation")
class PromtoolCheckMetricsTest {

    private static PrometheusMeterRegistry registryWithJvmMeters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new LintCleanMeters()); // as Quarkus applies it in every role
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        try (JvmGcMetrics gc = new JvmGcMetrics()) {
            gc.bindTo(registry);
        }
        return registry;
    }

    private static void assertPromtoolAccepts(String text) throws Exception {
        Promtool.Result result = Promtool.checkMetrics(text);
        assertEquals("", result.output().trim(), "promtool check metrics found problems");
        assertEquals(0, result.exitCode());
    }

    @Test
    void kubeletPluginMetrics() throws Exception {
        PrometheusMeterRegistry registry = registryWithJvmMeters();
        PluginMetrics metrics = new PluginMetrics(registry, "gpu-node-1");
        metrics.startRequest(PluginMetrics.PREPARE).close();
        try (var ignored = metrics.startRequest(PluginMetrics.UNPREPARE)) {
            metrics.unprepareError("unprepare_devices");
        }
        metrics.prepareError("prepare_devices");
        metrics.preparedDevices("gpu", 4);
        metrics.preparedDevices("mig", 2);
        metrics.registrationStatus(true, null);
        metrics.slicePublished(false);
        metrics.checkpointRecovered("boot_id_changed");

        assertPromtoolAccepts(registry.scrape());
    }

    @Test
    void operatorMetrics() throws Exception {
        PrometheusMeterRegistry registry = registryWithJvmMeters();
        OperatorMetrics metrics = new OperatorMetrics(registry, "0.1.0");
        metrics.update("default", List.of(
                new ConditionBuilder().withType("Ready").withStatus("True").build(),
                new ConditionBuilder().withType("Progressing").withStatus("False").build(),
                new ConditionBuilder().withType("Degraded").withStatus("False").build()));

        assertPromtoolAccepts(registry.scrape());
    }

    @Test
    void withoutTheFilterMicrometersOwnSystemMetersFailTheLint() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ProcessorMetrics().bindTo(registry);
        Promtool.Result result = Promtool.checkMetrics(registry.scrape());
        assertEquals(3, result.exitCode(), result.output());
    }

    @Test
    void promtoolReallyLintsWhatItIsGiven() throws Exception {
        Promtool.Result result = Promtool.checkMetrics("# TYPE prepared counter\nprepared 1\n");
        assertEquals(3, result.exitCode(), result.output());
    }
}
