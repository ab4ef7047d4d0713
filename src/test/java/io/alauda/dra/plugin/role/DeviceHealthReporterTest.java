package io.alauda.dra.plugin.role;

import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.health.DeviceHealthBoard;
import io.alauda.dra.health.HealthEffect;
import io.alauda.dra.health.HealthProblem;
import io.alauda.dra.metrics.PrometheusText;
import io.alauda.dra.plugin.prepare.TestNode;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which board changes are transitions, and which published devices a UUID's problem stands against. */
@SuppressWarnings("deprecation")
class DeviceHealthReporterTest {

    private static final String MIG_PARENT = "GPU-9a8b7c6d-0000-0000-0000-000000000002";
    private static final String MIG_A = "MIG-2d3e4f50-0000-0000-0000-00000000000a";
    private static final String GPU_0 = "GPU-4f1c7d3e-0000-0000-0000-000000000000";
    private static final String TRANSITIONS = "nvidia_dra_device_health_transitions_total{driver=\"gpu.nvidia.com\",node=\"node-a\",to=\"";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PluginMetrics metrics = new PluginMetrics(registry, TestNode.NODE_NAME);
    private final DeviceHealthReporter reporter = new DeviceHealthReporter(DeviceModel.devices(TestNode.inventory()),
            new PluginTelemetry(new PluginEvents(null, null, null, null, TestNode.NODE_NAME), metrics));
    private final DeviceHealthBoard board = new DeviceHealthBoard();

    {
        metrics.enableDeviceHealth();
    }

    private double transitions(String to) {
        return new PrometheusText(registry.scrape()).value(TRANSITIONS + to + "\"}");
    }

    private void report(String uuid, String key, HealthEffect effect) {
        board.report(uuid, new HealthProblem(key, "1", effect, "", Instant.now()));
        reporter.report(board.snapshot());
    }

    @Test
    void aGpuProblemStandsAgainstItsMigDevicesAndAMigProblemAgainstItAlone() {
        assertEquals(List.of(TestNode.MIG_A, TestNode.MIG_B), reporter.publishedAs(MIG_PARENT));
        assertEquals(List.of(TestNode.MIG_A), reporter.publishedAs(MIG_A));
        assertEquals(List.of(TestNode.GPU_0), reporter.publishedAs(GPU_0));
        assertEquals(List.of(), reporter.publishedAs("GPU-not-on-this-node"));
    }

    @Test
    void onlyTurningUnhealthyAndRecoveringAreTransitions() {
        report(GPU_0, "gpu.nvidia.com/xid", HealthEffect.NONE);
        assertEquals(0.0, transitions("unhealthy"), "an informational problem is no transition");
        report(GPU_0, "gpu.nvidia.com/xid", HealthEffect.NO_SCHEDULE);
        report(GPU_0, "gpu.nvidia.com/gpu-lost", HealthEffect.NO_EXECUTE);
        assertEquals(1.0, transitions("unhealthy"), "a second problem of an unhealthy device is no new transition");
        assertEquals(Map.of("gpu.nvidia.com/xid", 1, "gpu.nvidia.com/gpu-lost", 1), DeviceHealthReporter.unhealthyByKey(board.snapshot()));

        board.clear(GPU_0, "gpu.nvidia.com/gpu-lost");
        reporter.report(board.snapshot());
        assertEquals(0.0, transitions("healthy"), "still unhealthy while the XID stands");
        board.clear(GPU_0, "gpu.nvidia.com/xid");
        reporter.report(board.snapshot());
        assertEquals(1.0, transitions("healthy"));
        assertEquals(Map.of(), DeviceHealthReporter.unhealthyByKey(board.snapshot()));
    }
}
