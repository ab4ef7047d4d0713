package io.alauda.dra.operator;

import io.alauda.dra.metrics.PrometheusText;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@SuppressWarnings("deprecation")
class OperatorMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OperatorMetrics metrics = new OperatorMetrics(registry, "1.2.3");

    private static Condition condition(String type, String status) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason("Because").build();
    }

    private static String row(String name, String type, String status) {
        return "nvidia_dra_operator_condition{name=\"" + name + "\",status=\"" + status + "\",type=\"" + type + "\"}";
    }

    @Test
    void eachConditionHasOneRowPerStatusWithTheCurrentOneAtOne() {
        metrics.update("default", List.of(condition("Ready", "True"), condition("Degraded", "False"), condition("Progressing", "Unknown")));

        PrometheusText text = new PrometheusText(registry.scrape());
        assertEquals(9, text.series("nvidia_dra_operator_condition").size());
        assertEquals(1.0, text.value(row("default", "Ready", "true")));
        assertEquals(0.0, text.value(row("default", "Ready", "false")));
        assertEquals(0.0, text.value(row("default", "Ready", "unknown")));
        assertEquals(1.0, text.value(row("default", "Degraded", "false")));
        assertEquals(1.0, text.value(row("default", "Progressing", "unknown")));
        assertEquals(1.0, text.value("nvidia_dra_operator_build_info{version=\"1.2.3\"}"));
    }

    @Test
    void aConditionThatGoesAwayTakesItsRowsAlongAndRemoveClearsTheDriver() {
        metrics.update("a", List.of(condition("Ready", "False"), condition("Degraded", "True")));
        metrics.update("b", List.of(condition("Ready", "True")));
        metrics.update("a", List.of(condition("Ready", "True")));

        PrometheusText text = new PrometheusText(registry.scrape());
        assertEquals(6, text.series("nvidia_dra_operator_condition").size());
        assertEquals(1.0, text.value(row("a", "Ready", "true")));
        assertEquals(null, text.value(row("a", "Degraded", "true")));

        metrics.remove("a");
        assertEquals(3, new PrometheusText(registry.scrape()).series("nvidia_dra_operator_condition").size());
    }
}
