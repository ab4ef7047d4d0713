package io.alauda.dra.plugin.role;

import io.alauda.dra.metrics.PrometheusText;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.CollectorRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The exported text carries the upstream driver's names, types and labels exactly. */
@SuppressWarnings("deprecation") // the Prometheus registry Quarkus 3.33 ships is the simpleclient one
class PluginMetricsTest {

    private static final String D = "driver=\"gpu.nvidia.com\"";

    private final MockClock clock = new MockClock();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new CollectorRegistry(), clock);
    private final PluginMetrics metrics = new PluginMetrics(registry, "gpu-node-1");

    private PrometheusText scrape() {
        return new PrometheusText(registry.scrape());
    }

    @Test
    void aRequestIsInflightUntilClosedThenCountedOnce() {
        PluginMetrics.RequestTimer timer = metrics.startRequest("prepare");
        assertEquals(1.0, scrape().value("nvidia_dra_requests_inflight{" + D + ",operation=\"prepare\"}"));
        assertEquals(0.0, scrape().value("nvidia_dra_requests_total{" + D + ",operation=\"prepare\"}"));

        timer.close();
        timer.close();

        PrometheusText text = scrape();
        assertEquals(0.0, text.value("nvidia_dra_requests_inflight{" + D + ",operation=\"prepare\"}"));
        assertEquals(1.0, text.value("nvidia_dra_requests_total{" + D + ",operation=\"prepare\"}"));
        assertEquals(0.0, text.value("nvidia_dra_requests_total{" + D + ",operation=\"unprepare\"}"));
        assertEquals("counter", text.type("nvidia_dra_requests_total"));
        assertEquals("gauge", text.type("nvidia_dra_requests_inflight"));
    }

    @Test
    void durationsFallIntoUpstreamBuckets() {
        try (var timer = metrics.startRequest("unprepare")) {
            clock.add(Duration.ofMillis(300));
        }
        PrometheusText text = scrape();
        String series = "nvidia_dra_request_duration_seconds_bucket{" + D + ",operation=\"unprepare\",le=\"%s\"}";
        // 0.3 s: above the 0.05, 0.1 and 0.2 s buckets, inside 0.4 s and every larger one
        List<String> below = List.of("0.05", "0.1", "0.2");
        List<String> atOrAbove = List.of("0.4", "0.8", "1.6", "3.2", "6.4", "12.8", "+Inf");
        below.forEach(le -> assertEquals(0.0, text.value(String.format(series, le)), "le=" + le));
        atOrAbove.forEach(le -> assertEquals(1.0, text.value(String.format(series, le)), "le=" + le));
        assertEquals(10, text.series("nvidia_dra_request_duration_seconds_bucket").stream()
                .filter(s -> s.contains("operation=\"unprepare\"")).count());
        assertEquals(0.3, text.value("nvidia_dra_request_duration_seconds_sum{" + D + ",operation=\"unprepare\"}"), 1e-9);
        assertEquals(1.0, text.value("nvidia_dra_request_duration_seconds_count{" + D + ",operation=\"unprepare\"}"));
        assertEquals("histogram", text.type("nvidia_dra_request_duration_seconds"));
    }

    @Test
    void errorsAreCountedByTypeAndUpstreamTypesStartAtZero() {
        metrics.prepareError("prepare_devices");
        metrics.prepareError("prepare_devices");
        metrics.unprepareError("lock_acquire");

        PrometheusText text = scrape();
        assertEquals(2.0, text.value("nvidia_dra_node_prepare_errors_total{" + D + ",error_type=\"prepare_devices\"}"));
        assertEquals(0.0, text.value("nvidia_dra_node_prepare_errors_total{" + D + ",error_type=\"lock_acquire\"}"));
        assertEquals(0.0, text.value("nvidia_dra_node_prepare_errors_total{" + D + ",error_type=\"publish_resources\"}"));
        assertEquals(1.0, text.value("nvidia_dra_node_unprepare_errors_total{" + D + ",error_type=\"lock_acquire\"}"));
        assertEquals(0.0, text.value("nvidia_dra_node_unprepare_errors_total{" + D + ",error_type=\"unprepare_devices\"}"));
        assertEquals("counter", text.type("nvidia_dra_node_prepare_errors_total"));
    }

    @Test
    void preparedDevicesIsAGaugePerNodeAndType() {
        metrics.preparedDevices("gpu", 3);
        metrics.preparedDevices("mig", 2);
        metrics.preparedDevices("gpu", 1);

        PrometheusText text = scrape();
        assertEquals(1.0, text.value("nvidia_dra_prepared_devices{device_type=\"gpu\"," + D + ",node=\"gpu-node-1\"}"));
        assertEquals(2.0, text.value("nvidia_dra_prepared_devices{device_type=\"mig\"," + D + ",node=\"gpu-node-1\"}"));
        assertThrows(IllegalArgumentException.class, () -> metrics.preparedDevices("gpu", -1));
    }

    @Test
    void registrationSlicePublishingAndCheckpointRecoveriesAreOurOwnSeries() {
        assertEquals(0.0, scrape().value("nvidia_dra_plugin_registered{" + D + ",node=\"gpu-node-1\"}"));
        metrics.registrationStatus(false, "kubelet said no");
        metrics.registrationStatus(true, "");
        metrics.slicePublished(true);
        metrics.slicePublished(false);
        metrics.slicePublished(true);
        metrics.checkpointRecovered("boot_id_changed");

        PrometheusText text = scrape();
        assertEquals(1.0, text.value("nvidia_dra_plugin_registered{" + D + ",node=\"gpu-node-1\"}"));
        assertEquals(1.0, text.value("nvidia_dra_plugin_registration_failures_total{" + D + "}"));
        assertEquals(3.0, text.value("nvidia_dra_plugin_slice_publishes_total{" + D + "}"));
        assertEquals(1.0, text.value("nvidia_dra_plugin_slice_publish_failures_total{" + D + "}"));
        assertEquals(1.0, text.value("nvidia_dra_plugin_checkpoint_recoveries_total{" + D + ",reason=\"boot_id_changed\"}"));
        assertEquals(1, text.series("nvidia_dra_plugin_build_info").size());
    }

    @Test
    void onlyPrepareAndUnprepareAreOperations() {
        assertThrows(IllegalArgumentException.class, () -> metrics.startRequest("Prepare"));
        assertNull(scrape().value("nvidia_dra_requests_inflight{" + D + ",operation=\"Prepare\"}"));
    }

    @Test
    void deviceHealthMetersAppearOnlyWithDeviceHealthAndFollowTheBoard() {
        assertEquals(java.util.Set.of(), scrape().seriesNames().stream().filter(n -> n.contains("health") || n.contains("unhealthy")
                || n.contains("taints")).collect(java.util.stream.Collectors.toSet()), "nothing new while the gate is off");
        metrics.enableDeviceHealth();
        PrometheusText fresh = scrape();
        assertEquals(0.0, fresh.value("nvidia_dra_device_health_transitions_total{" + D + ",node=\"gpu-node-1\",to=\"unhealthy\"}"));
        assertEquals(0.0, fresh.value("nvidia_dra_device_health_transitions_total{" + D + ",node=\"gpu-node-1\",to=\"healthy\"}"));
        assertEquals(0.0, fresh.value("nvidia_dra_plugin_device_taints_dropped{" + D + ",node=\"gpu-node-1\"}"));

        metrics.unhealthyDevices(java.util.Map.of("gpu.nvidia.com/xid", 2, "gpu.nvidia.com/gpu-lost", 1));
        metrics.healthTransition(PluginMetrics.BECAME_UNHEALTHY);
        metrics.healthTransition(PluginMetrics.BECAME_UNHEALTHY);
        metrics.deviceTaintsDropped(true);
        PrometheusText text = scrape();
        assertEquals(2.0, text.value("nvidia_dra_unhealthy_devices{" + D + ",node=\"gpu-node-1\",taint_key=\"gpu.nvidia.com/xid\"}"));
        assertEquals(1.0, text.value("nvidia_dra_unhealthy_devices{" + D + ",node=\"gpu-node-1\",taint_key=\"gpu.nvidia.com/gpu-lost\"}"));
        assertEquals(2.0, text.value("nvidia_dra_device_health_transitions_total{" + D + ",node=\"gpu-node-1\",to=\"unhealthy\"}"));
        assertEquals(1.0, text.value("nvidia_dra_plugin_device_taints_dropped{" + D + ",node=\"gpu-node-1\"}"));

        metrics.unhealthyDevices(java.util.Map.of("gpu.nvidia.com/xid", 1));
        text = scrape();
        assertNull(text.value("nvidia_dra_unhealthy_devices{" + D + ",node=\"gpu-node-1\",taint_key=\"gpu.nvidia.com/gpu-lost\"}"),
                "a key no device has any more leaves no stale series");
        assertEquals(1.0, text.value("nvidia_dra_unhealthy_devices{" + D + ",node=\"gpu-node-1\",taint_key=\"gpu.nvidia.com/xid\"}"));
    }
}
