package io.alauda.dra.controller;

import io.alauda.dra.metrics.PrometheusText;
import io.alauda.dra.metrics.Promtool;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@SuppressWarnings("deprecation")
class ControllerMetricsTest {

    private static final String H100 = "NVIDIA H100 80GB HBM3";
    private static final long GI = 1L << 30;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ControllerMetrics metrics = new ControllerMetrics(registry,
            Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));

    private final AllocationSnapshot twoNodes = new AllocationSnapshot(
            Map.of(new DeviceGroup("node-a", H100, "gpu"), new DeviceTotals(8, 3, 640 * GI, 240 * GI),
                    new DeviceGroup("node-b", H100, "gpu"), new DeviceTotals(8, 0, 640 * GI, 0)),
            Map.of("team-a", new ClaimCounts(3, 1)),
            Map.of("node-a", 1, "node-b", 1, "node-c", 0));

    private PrometheusText scrape() {
        return new PrometheusText(registry.scrape());
    }

    private static String group(String metric, String node) {
        return metric + "{device_type=\"gpu\",node=\"" + node + "\",product=\"" + H100 + "\"}";
    }

    @Test
    void publishesEveryRowOfTheSnapshot() {
        metrics.publish(twoNodes, true);

        PrometheusText text = scrape();
        assertEquals(8.0, text.value(group("nvidia_dra_controller_devices", "node-a")));
        assertEquals(3.0, text.value(group("nvidia_dra_controller_devices_allocated", "node-a")));
        assertEquals(640.0 * GI, text.value(group("nvidia_dra_controller_memory_bytes", "node-a")));
        assertEquals(240.0 * GI, text.value(group("nvidia_dra_controller_memory_allocated_bytes", "node-a")));
        assertEquals(0.0, text.value(group("nvidia_dra_controller_devices_allocated", "node-b")));
        assertEquals(3.0, text.value("nvidia_dra_controller_resourceclaims{namespace=\"team-a\",state=\"allocated\"}"));
        assertEquals(1.0, text.value("nvidia_dra_controller_resourceclaims{namespace=\"team-a\",state=\"pending\"}"));
        assertEquals(0.0, text.value("nvidia_dra_controller_node_resourceslices{node=\"node-c\"}"));
        assertEquals(1.7e9, text.value("nvidia_dra_controller_last_update_timestamp_seconds"));
    }

    @Test
    void rowsOfAVanishedNodeOrNamespaceAreRemovedNotZeroed() {
        metrics.publish(twoNodes, true);
        metrics.publish(new AllocationSnapshot(
                Map.of(new DeviceGroup("node-a", H100, "gpu"), new DeviceTotals(8, 3, 640 * GI, 240 * GI)),
                Map.of(), Map.of("node-a", 1)), true);

        PrometheusText text = scrape();
        assertNull(text.value(group("nvidia_dra_controller_devices", "node-b")));
        assertNull(text.value(group("nvidia_dra_controller_memory_allocated_bytes", "node-b")));
        assertEquals(1, text.series("nvidia_dra_controller_devices").size());
        assertEquals(0, text.series("nvidia_dra_controller_resourceclaims").size());
        assertEquals(1, text.series("nvidia_dra_controller_node_resourceslices").size());
    }

    @Test
    void aFollowerExportsNoAllocationSeries() {
        metrics.leader(true);
        metrics.publish(twoNodes, true);
        metrics.leader(false);
        metrics.clearAllocation();

        PrometheusText text = scrape();
        for (String name : new String[]{"nvidia_dra_controller_devices", "nvidia_dra_controller_devices_allocated",
                "nvidia_dra_controller_memory_bytes", "nvidia_dra_controller_memory_allocated_bytes",
                "nvidia_dra_controller_resourceclaims", "nvidia_dra_controller_node_resourceslices",
                "nvidia_dra_controller_last_update_timestamp_seconds"}) {
            assertEquals(0, text.series(name).size(), name);
        }
        assertEquals(0.0, text.value("nvidia_dra_controller_leader"));
        assertEquals(0.0, text.value("nvidia_dra_controller_stale_resourceslices_deleted_total"));
    }

    @Test
    void theTimestampStaysWhileAWatchIsDown() {
        metrics.publish(twoNodes, false);
        assertNull(scrape().value("nvidia_dra_controller_last_update_timestamp_seconds"));
    }

    @Test
    void promtoolAcceptsTheControllerSeries() throws Exception {
        metrics.leader(true);
        metrics.publish(twoNodes, true);
        metrics.staleSliceDeleted();

        Promtool.Result result = Promtool.checkMetrics(registry.scrape());

        assertEquals("", result.output().trim());
        assertEquals(0, result.exitCode());
    }
}
