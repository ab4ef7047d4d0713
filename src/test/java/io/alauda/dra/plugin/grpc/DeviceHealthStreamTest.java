package io.alauda.dra.plugin.grpc;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.health.DeviceHealthBoard;
import io.alauda.dra.health.HealthEffect;
import io.alauda.dra.health.HealthProblem;
import io.alauda.dra.plugin.prepare.TestNode;
import io.alauda.dra.plugin.proto.drahealth.DRAResourceHealthGrpc;
import io.alauda.dra.plugin.proto.drahealth.DeviceHealth;
import io.alauda.dra.plugin.proto.drahealth.HealthStatus;
import io.alauda.dra.plugin.proto.drahealth.NodeWatchResourcesRequest;
import io.alauda.dra.plugin.proto.drahealth.NodeWatchResourcesResponse;
import io.alauda.dra.plugin.proto.registration.InfoRequest;
import io.alauda.dra.plugin.proto.registration.RegistrationGrpc;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** v1alpha1.DRAResourceHealth over the plugin's real Unix sockets, read as kubelet reads it. */
class DeviceHealthStreamTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final String GPU_0_UUID = "GPU-4f1c7d3e-0000-0000-0000-000000000000";
    private static final String MIG_PARENT_UUID = "GPU-9a8b7c6d-0000-0000-0000-000000000002";

    private final List<AllocatableDevice> devices = DeviceModel.devices(TestNode.inventory());
    private final DeviceHealthBoard board = new DeviceHealthBoard();
    private Path tmp;
    private KubeletPluginServers servers;
    private DeviceHealthStream stream;

    @BeforeEach
    void start() throws Exception {
        tmp = Files.createTempDirectory("health-stream");
        stream = new DeviceHealthStream(TestNode.NODE_NAME, devices, board.snapshot(), Duration.ofMillis(300),
                Clock.fixed(NOW, ZoneOffset.UTC));
        board.addListener(stream);
        servers = KubeletPluginServers.start(new KubeletPluginPaths(tmp.resolve("plugins"), tmp.resolve("registry")),
                new FakeDraHandler(), new RegistrationState(), SocketLifecycleListener.NONE, stream);
    }

    @AfterEach
    void stop() {
        servers.stop(Duration.ZERO);
    }

    /** Collects what kubelet would receive on one stream. */
    private static final class Kubelet implements StreamObserver<NodeWatchResourcesResponse> {
        final BlockingQueue<NodeWatchResourcesResponse> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> ended = new CompletableFuture<>();

        @Override
        public void onNext(NodeWatchResourcesResponse value) {
            messages.add(value);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            ended.complete(Status.OK);
        }

        NodeWatchResourcesResponse next() throws InterruptedException {
            NodeWatchResourcesResponse message = messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "no message within 10 s");
            return message;
        }

        /** Skips heartbeats until a message satisfies the check. */
        NodeWatchResourcesResponse nextWhere(java.util.function.Predicate<NodeWatchResourcesResponse> check) throws InterruptedException {
            for (int i = 0; i < 100; i++) {
                NodeWatchResourcesResponse message = next();
                if (check.test(message)) {
                    return message;
                }
            }
            throw new AssertionError("no such message in 100");
        }
    }

    private static Map<String, HealthStatus> byDevice(NodeWatchResourcesResponse message) {
        return message.getDevicesList().stream().collect(Collectors.toMap(d -> d.getDevice().getDeviceName(), DeviceHealth::getHealth));
    }

    @Test
    void registrationAdvertisesTheHealthServiceBesideDraPlugin() throws Exception {
        try (UdsClient client = new UdsClient(servers.paths().registrationSocket())) {
            assertEquals(List.of("v1.DRAPlugin", "v1beta1.DRAPlugin", "v1alpha1.DRAResourceHealth"),
                    RegistrationGrpc.newBlockingStub(client.channel).getInfo(InfoRequest.getDefaultInstance()).getSupportedVersionsList());
        }
    }

    @Test
    void eachMessageIsTheCompleteListUnhealthyThenHealthyAgain() throws Exception {
        Kubelet kubelet = new Kubelet();
        try (UdsClient client = new UdsClient(servers.paths().draSocket())) {
            DRAResourceHealthGrpc.newStub(client.channel).nodeWatchResources(NodeWatchResourcesRequest.getDefaultInstance(), kubelet);

            NodeWatchResourcesResponse first = kubelet.next();
            assertEquals(Map.of("gpu-0", HealthStatus.HEALTHY, "gpu-1", HealthStatus.HEALTHY,
                    TestNode.MIG_A, HealthStatus.HEALTHY, TestNode.MIG_B, HealthStatus.HEALTHY), byDevice(first));
            DeviceHealth one = first.getDevices(0);
            assertEquals(TestNode.NODE_NAME, one.getDevice().getPoolName());
            assertEquals(NOW.getEpochSecond(), one.getLastUpdatedTime());
            assertEquals("", one.getMessage());

            board.report(MIG_PARENT_UUID, new HealthProblem("gpu.nvidia.com/xid", "79", HealthEffect.NO_SCHEDULE,
                    "GPU has fallen off the bus", NOW));
            NodeWatchResourcesResponse sick = kubelet.nextWhere(m -> byDevice(m).get(TestNode.MIG_A) == HealthStatus.UNHEALTHY);
            assertEquals(Map.of("gpu-0", HealthStatus.HEALTHY, "gpu-1", HealthStatus.HEALTHY,
                    TestNode.MIG_A, HealthStatus.UNHEALTHY, TestNode.MIG_B, HealthStatus.UNHEALTHY), byDevice(sick));
            assertEquals("gpu.nvidia.com/xid=79 (NoSchedule): GPU has fallen off the bus", sick.getDevicesList().stream()
                    .filter(d -> d.getDevice().getDeviceName().equals(TestNode.MIG_A)).findFirst().orElseThrow().getMessage());

            board.report(GPU_0_UUID, new HealthProblem("gpu.nvidia.com/xid", "13", HealthEffect.NONE, "app error", NOW));
            board.clear(MIG_PARENT_UUID, "gpu.nvidia.com/xid");
            NodeWatchResourcesResponse well = kubelet.nextWhere(m -> byDevice(m).get(TestNode.MIG_A) == HealthStatus.HEALTHY);
            assertTrue(byDevice(well).values().stream().allMatch(HealthStatus.HEALTHY::equals),
                    "an informational problem leaves the device healthy: " + well);
        }
    }

    @Test
    void theCompleteListIsRepeatedSoKubeletNeverTimesItOut() throws Exception {
        Kubelet kubelet = new Kubelet();
        try (UdsClient client = new UdsClient(servers.paths().draSocket())) {
            DRAResourceHealthGrpc.newStub(client.channel).nodeWatchResources(NodeWatchResourcesRequest.getDefaultInstance(), kubelet);
            for (int i = 0; i < 3; i++) {
                assertEquals(4, kubelet.next().getDevicesCount());
            }
        }
    }

    @Test
    void aStreamKubeletCancelsIsForgotten() throws Exception {
        Kubelet kubelet = new Kubelet();
        try (UdsClient client = new UdsClient(servers.paths().draSocket())) {
            Context.CancellableContext call = Context.current().withCancellation();
            call.run(() -> DRAResourceHealthGrpc.newStub(client.channel)
                    .nodeWatchResources(NodeWatchResourcesRequest.getDefaultInstance(), kubelet));
            kubelet.next();
            assertEquals(1, stream.watchers());
            call.cancel(null);
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.watchers() == 0);
        }
    }

    @Test
    void stoppingEndsTheStreamsCleanlyAndAtOnce() throws Exception {
        Kubelet kubelet = new Kubelet();
        try (UdsClient client = new UdsClient(servers.paths().draSocket())) {
            DRAResourceHealthGrpc.newStub(client.channel).nodeWatchResources(NodeWatchResourcesRequest.getDefaultInstance(), kubelet);
            kubelet.next();
            long start = System.nanoTime();
            servers.stop(Duration.ofSeconds(5));
            assertEquals(Status.Code.OK, kubelet.ended.get(5, TimeUnit.SECONDS).getCode());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0,
                    "the DRA socket did not wait out its grace period for the open stream");
        }
    }

    @Test
    void longMessagesAreCutToTheApiLimit() {
        for (int i = 0; i < 80; i++) {
            board.report(GPU_0_UUID, new HealthProblem("gpu.nvidia.com/xid", Integer.toString(i), HealthEffect.NO_SCHEDULE,
                    "a rather long explanation of what NVML said about this event", NOW));
        }
        String message = stream.response(board.snapshot()).getDevices(0).getMessage();
        assertEquals(DeviceHealthStream.MAX_MESSAGE, message.length());
        assertTrue(message.endsWith("..."));
    }
}
