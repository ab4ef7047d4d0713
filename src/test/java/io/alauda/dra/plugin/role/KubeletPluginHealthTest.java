package io.alauda.dra.plugin.role;

import io.alauda.dra.health.DeviceHealthBoard;
import io.alauda.dra.health.HealthEffect;
import io.alauda.dra.health.HealthMonitor;
import io.alauda.dra.health.HealthProblem;
import io.alauda.dra.metrics.PrometheusText;
import io.alauda.dra.plugin.checkpoint.BootIdSource;
import io.alauda.dra.plugin.grpc.KubeletPluginPaths;
import io.alauda.dra.plugin.grpc.UdsChannels;
import io.alauda.dra.plugin.prepare.TestNode;
import io.alauda.dra.plugin.proto.registration.InfoRequest;
import io.alauda.dra.plugin.proto.registration.RegistrationGrpc;
import io.alauda.dra.resourceapi.ServedVersions;
import io.alauda.dra.slice.SliceListScope;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.ManagedChannel;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.netty.channel.epoll.EpollEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kubelet plugin with device health on and off, against the mock API server: the monitor it is given is started
 * with the board and closed with the plugin; a report taints the slice, counts in the metrics and writes Node events;
 * with health off nothing of it exists.
 */
@EnableKubernetesMockClient(crud = true)
@SuppressWarnings("deprecation")
class KubeletPluginHealthTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GPU_1_UUID = "GPU-4f1c7d3e-0000-0000-0000-000000000001";

    KubernetesMockServer server;
    KubernetesClient client;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final FakeMonitor monitor = new FakeMonitor();
    private KubeletPlugin plugin;
    private KubeletPluginPaths paths;

    /** Stands in for the NVML monitor: remembers the board it was started with. */
    private static final class FakeMonitor implements HealthMonitor {
        final AtomicReference<DeviceHealthBoard> board = new AtomicReference<>();
        volatile boolean closed;

        @Override
        public void start(DeviceHealthBoard given) {
            board.set(given);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private void start(DeviceHealthSettings health) throws IOException {
        Path tmp = Files.createTempDirectory("kp-health");
        TestNode node = new TestNode(tmp);
        client.resource(new NodeBuilder().withNewMetadata().withName(TestNode.NODE_NAME).endMetadata().build()).create();
        paths = new KubeletPluginPaths(tmp.resolve("plugins"), tmp.resolve("registry"));
        PluginSettings settings = new PluginSettings(TestNode.NODE_NAME, node.driverRoot, Path.of("/usr/local/nvidia"), node.cdiRoot,
                paths, 0, null, "auto", SliceListScope.CLIENT_SIDE);
        PluginTelemetry telemetry = new PluginTelemetry(new PluginEvents(client, null, null, null, TestNode.NODE_NAME),
                new PluginMetrics(registry, TestNode.NODE_NAME));
        plugin = KubeletPlugin.start(settings, client, TestNode.inventory(), null, ServedVersions.fixed("v1"),
                new TestNode.FakeDeviceNodes(), BootIdSource.fixed("boot-1"), telemetry, health);
    }

    @AfterEach
    void stop() {
        if (plugin != null) {
            plugin.close();
        }
    }

    private List<String> advertised() throws InterruptedException {
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        ManagedChannel channel = UdsChannels.open(paths.registrationSocket(), group);
        try {
            return RegistrationGrpc.newBlockingStub(channel).getInfo(InfoRequest.getDefaultInstance()).getSupportedVersionsList();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private List<Event> nodeEvents(String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()) && "Node".equals(e.getInvolvedObject().getKind())).toList();
    }

    private Device published(String name) {
        List<ResourceSlice> slices = client.dynamicResourceAllocation().v1().resourcesSlices().list().getItems();
        return slices.stream().flatMap(s -> s.getSpec().getDevices().stream()).filter(d -> d.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void withHealthOffNothingOfItRuns() throws Exception {
        start(DeviceHealthSettings.OFF);
        assertTrue(plugin.healthBoard().isEmpty());
        assertEquals(List.of("v1.DRAPlugin", "v1beta1.DRAPlugin"), advertised());
        assertFalse(registry.scrape().contains("unhealthy"), "no health meters");
    }

    @Test
    void aReportTaintsTheSliceCountsAndWritesNodeEventsAndRecoveryUndoesIt() throws Exception {
        start(DeviceHealthSettings.on(List.of(monitor)));
        DeviceHealthBoard board = plugin.healthBoard().orElseThrow();
        assertSame(board, monitor.board.get(), "the monitor is started with the plugin's board");
        assertEquals(List.of("v1.DRAPlugin", "v1beta1.DRAPlugin", "v1alpha1.DRAResourceHealth"), advertised());
        assertTrue(plugin.publisher().awaitFirstPublish(WAIT));

        board.report(GPU_1_UUID, new HealthProblem("gpu.nvidia.com/xid", "79", HealthEffect.NO_SCHEDULE, "fell off the bus", Instant.now()));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(1, published(TestNode.GPU_1).getTaints().size()));
        await().atMost(WAIT).until(() -> nodeEvents("DeviceUnhealthy").size() == 1);
        Event sick = nodeEvents("DeviceUnhealthy").get(0);
        assertEquals("Warning", sick.getType());
        assertEquals(TestNode.NODE_NAME, sick.getInvolvedObject().getName());
        assertTrue(sick.getMessage().startsWith(GPU_1_UUID + " [gpu-1] is unhealthy: gpu.nvidia.com/xid=79 NoSchedule (fell off the bus)"),
                sick.getMessage());
        PrometheusText text = new PrometheusText(registry.scrape());
        assertEquals(1.0, text.value("nvidia_dra_unhealthy_devices{driver=\"gpu.nvidia.com\",node=\"node-a\",taint_key=\"gpu.nvidia.com/xid\"}"));
        assertEquals(1.0, text.value("nvidia_dra_device_health_transitions_total{driver=\"gpu.nvidia.com\",node=\"node-a\",to=\"unhealthy\"}"));

        board.clear(GPU_1_UUID, "gpu.nvidia.com/xid");
        await().atMost(WAIT).untilAsserted(() -> assertTrue(published(TestNode.GPU_1).getTaints() == null
                || published(TestNode.GPU_1).getTaints().isEmpty()));
        await().atMost(WAIT).until(() -> nodeEvents("DeviceRecovered").size() == 1);
        assertEquals("Normal", nodeEvents("DeviceRecovered").get(0).getType());
        await().atMost(WAIT).until(() -> new PrometheusText(registry.scrape()).value(
                "nvidia_dra_device_health_transitions_total{driver=\"gpu.nvidia.com\",node=\"node-a\",to=\"healthy\"}") == 1.0);
        assertEquals(null, new PrometheusText(registry.scrape()).value(
                "nvidia_dra_unhealthy_devices{driver=\"gpu.nvidia.com\",node=\"node-a\",taint_key=\"gpu.nvidia.com/xid\"}"));
    }

    @Test
    void closingThePluginClosesItsMonitors() throws Exception {
        start(DeviceHealthSettings.on(List.of(monitor)));
        plugin.close();
        assertTrue(monitor.closed);
        plugin.healthBoard().orElseThrow().report(GPU_1_UUID,
                new HealthProblem("gpu.nvidia.com/xid", "79", HealthEffect.NO_SCHEDULE, "late", Instant.now()));
        // a report after the stop reaches no stopped part: nothing throws
    }
}
