package io.alauda.dra.plugin.role;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.BootIdSource;
import io.alauda.dra.plugin.grpc.KubeletPluginPaths;
import io.alauda.dra.plugin.grpc.UdsChannels;
import io.alauda.dra.plugin.prepare.TestClaims;
import io.alauda.dra.plugin.prepare.TestNode;
import io.alauda.dra.plugin.proto.drav1.Claim;
import io.alauda.dra.plugin.proto.drav1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourceResponse;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourcesRequest;
import io.alauda.dra.plugin.proto.registration.InfoRequest;
import io.alauda.dra.plugin.proto.registration.PluginInfo;
import io.alauda.dra.plugin.proto.registration.RegistrationGrpc;
import io.alauda.dra.plugin.proto.registration.RegistrationStatus;
import io.alauda.dra.resourceapi.ServedVersions;
import io.alauda.dra.slice.SliceListScope;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.netty.channel.epoll.EpollEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kubelet-plugin role as a whole, with a fake device inventory against the mock API server: it registers,
 * publishes the node's ResourceSlice, answers health probes, and prepares and unprepares a claim through its real
 * Unix sockets, as kubelet would drive it.
 */
@EnableKubernetesMockClient(crud = true)
class KubeletPluginTest {

    KubernetesMockServer server;
    KubernetesClient client;

    private Path tmp;
    private TestNode node;
    private KubeletPlugin plugin;
    private PrometheusMeterRegistry registry;
    private EpollEventLoopGroup group;
    private KubeletPluginPaths paths;

    @BeforeEach
    void start() throws IOException {
        tmp = Files.createTempDirectory("kp");
        node = new TestNode(tmp);
        client.resource(new NodeBuilder().withNewMetadata().withName(TestNode.NODE_NAME).endMetadata().build()).create();
        paths = new KubeletPluginPaths(tmp.resolve("plugins"), tmp.resolve("registry"));
        PluginSettings settings = new PluginSettings(TestNode.NODE_NAME, node.driverRoot, Path.of("/usr/local/nvidia"), node.cdiRoot,
                paths, 0, null, "auto", SliceListScope.CLIENT_SIDE);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PluginTelemetry telemetry = new PluginTelemetry(new PluginEvents(client, null, null, null, TestNode.NODE_NAME),
                new PluginMetrics(registry, TestNode.NODE_NAME));
        plugin = KubeletPlugin.start(settings, client, TestNode.inventory(), ServedVersions.fixed("v1"),
                new TestNode.FakeDeviceNodes(), BootIdSource.fixed("boot-1"), telemetry);
        group = new EpollEventLoopGroup(1);
    }

    @AfterEach
    void stop() {
        plugin.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void registersPublishesAndPreparesThroughItsSockets() throws Exception {
        ManagedChannel registration = UdsChannels.open(paths.registrationSocket(), group);
        ManagedChannel dra = UdsChannels.open(paths.draSocket(), group);
        ManagedChannel health = NettyChannelBuilder.forAddress("localhost", plugin.healthPort()).usePlaintext().build();
        try {
            PluginInfo info = RegistrationGrpc.newBlockingStub(registration).getInfo(InfoRequest.getDefaultInstance());
            assertEquals("DRAPlugin", info.getType());
            assertEquals("gpu.nvidia.com", info.getName());
            assertEquals(paths.draSocket().toString(), info.getEndpoint());
            assertEquals(List.of("v1.DRAPlugin", "v1beta1.DRAPlugin"), info.getSupportedVersionsList());
            RegistrationGrpc.newBlockingStub(registration).notifyRegistrationStatus(RegistrationStatus.newBuilder()
                    .setPluginRegistered(true).build());
            assertTrue(plugin.registration().isRegistered());

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<ResourceSlice> slices = client.dynamicResourceAllocation().v1().resourcesSlices().list().getItems();
                assertEquals(1, slices.size());
                assertEquals(TestNode.NODE_NAME, slices.get(0).getSpec().getNodeName());
                assertEquals(TestNode.NODE_NAME, slices.get(0).getSpec().getPool().getName());
                // two whole GPUs and the MIG GPU's two MIG devices (a GPU in MIG mode is published through them)
                assertEquals(List.of("gpu-0", "gpu-1", TestNode.MIG_A, TestNode.MIG_B), slices.get(0).getSpec().getDevices()
                        .stream().map(d -> d.getName()).sorted().toList());
            });

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                    HealthGrpc.newBlockingStub(health).check(HealthCheckRequest.newBuilder().setService("liveness").build()).getStatus()));

            ResourceClaimRef ref = TestClaims.claim("team-a", "train").result("gpu", TestNode.GPU_0).create(client);
            Claim claim = Claim.newBuilder().setNamespace(ref.namespace()).setUid(ref.uid()).setName(ref.name()).build();
            NodePrepareResourceResponse prepared = DRAPluginGrpc.newBlockingStub(dra)
                    .nodePrepareResources(NodePrepareResourcesRequest.newBuilder().addClaims(claim).build()).getClaimsOrThrow(ref.uid());
            assertEquals("", prepared.getError());
            assertEquals(List.of("k8s.gpu.nvidia.com/claim=" + ref.uid() + "-gpu-0"), prepared.getDevices(0).getCdiDeviceIdsList());
            assertTrue(Files.exists(node.specFile(ref.uid())), "the claim's CDI spec is written");
            String scrape = registry.scrape();
            assertTrue(sample(scrape, "nvidia_dra_requests_total", "operation=\"prepare\"", "1.0"), scrape);
            assertTrue(sample(scrape, "nvidia_dra_prepared_devices", "device_type=\"gpu\"", "1.0"), scrape);

            assertEquals("", DRAPluginGrpc.newBlockingStub(dra).nodeUnprepareResources(NodeUnprepareResourcesRequest.newBuilder()
                    .addClaims(claim).build()).getClaimsOrThrow(ref.uid()).getError());
            assertFalse(Files.exists(node.specFile(ref.uid())), "unprepare removes the CDI spec");
        } finally {
            registration.shutdownNow();
            dra.shutdownNow();
            health.shutdownNow();
        }
    }

    private static boolean sample(String scrape, String metric, String label, String value) {
        return scrape.lines().anyMatch(l -> l.startsWith(metric + "{") && l.contains(label) && l.endsWith(" " + value));
    }

    @Test
    void closingRemovesTheRegistrationSocketSoKubeletSeesTheDeregistration() {
        assertTrue(Files.exists(paths.registrationSocket()));
        plugin.close();
        assertFalse(Files.exists(paths.registrationSocket()));
        assertFalse(Files.exists(paths.draSocket()));
    }
}
