package io.alauda.dra.realcluster;

import io.alauda.dra.health.DeviceHealthBoard;
import io.alauda.dra.health.HealthEffect;
import io.alauda.dra.health.HealthProblem;
import io.alauda.dra.plugin.checkpoint.BootIdSource;
import io.alauda.dra.plugin.grpc.KubeletPluginPaths;
import io.alauda.dra.plugin.grpc.UdsChannels;
import io.alauda.dra.plugin.prepare.TestNode;
import io.alauda.dra.plugin.proto.drahealth.DRAResourceHealthGrpc;
import io.alauda.dra.plugin.proto.drahealth.DeviceHealth;
import io.alauda.dra.plugin.proto.drahealth.HealthStatus;
import io.alauda.dra.plugin.proto.drahealth.NodeWatchResourcesRequest;
import io.alauda.dra.plugin.proto.drahealth.NodeWatchResourcesResponse;
import io.alauda.dra.plugin.role.DeviceHealthSettings;
import io.alauda.dra.plugin.role.KubeletPlugin;
import io.alauda.dra.plugin.role.PluginEvents;
import io.alauda.dra.plugin.role.PluginMetrics;
import io.alauda.dra.plugin.role.PluginSettings;
import io.alauda.dra.plugin.role.PluginTelemetry;
import io.alauda.dra.resourceapi.ServedVersions;
import io.alauda.dra.slice.SliceListScope;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.epoll.EpollEventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device health on the real control plane (with DRADeviceTaints on, as {@link ControlPlane} starts it): a device the
 * board calls unhealthy is tainted in the slice the real API server stores, the real kube-scheduler leaves a claim
 * that only that device could satisfy unallocated and its pod Pending, and after recovery the taint goes and the
 * scheduler allocates the device. Meanwhile the test plays kubelet on the plugin's DRA socket and reads the health
 * stream: complete lists, the device UNHEALTHY and then HEALTHY again.
 *
 * <p>The plugin runs in the test's JVM (the plugin code as the jar runs it, from {@link KubeletPlugin#start}) because
 * the test must write on its health board: a child process has no way in for a fault short of a real GPU (the NVML
 * replay raises no events). It talks to the API server as the cluster admin, so the install's RBAC is not what this
 * suite checks (SeedFlowIT does that; health adds no verb).
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceHealthIT {

    private static final String NS = "device-health";
    private static final String NODE = "health-a";
    private static final String DRIVER = "gpu.nvidia.com";
    private static final String CLASS = "health.gpu.nvidia.com";
    private static final String GPU_0_UUID = "GPU-4f1c7d3e-0000-0000-0000-000000000000";
    private static final String GPU_1_UUID = "GPU-4f1c7d3e-0000-0000-0000-000000000001";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private KubernetesClient admin;
    private ResourceApi resources;
    private FakeNodes nodes;
    private Path tmp;
    private KubeletPlugin plugin;
    private DeviceHealthBoard board;
    private EpollEventLoopGroup group;
    private ManagedChannel kubelet;
    private final List<NodeWatchResourcesResponse> heard = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(ControlPlane plane) throws Exception {
        admin = plane.admin();
        resources = ResourceApi.of(plane);
        org.junit.jupiter.api.Assumptions.assumeTrue(plane.devicesTaintable(), "device taints need Kubernetes 1.33 or later");
        nodes = new FakeNodes(admin);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        nodes.create(NODE, Map.of());
        create("DeviceClass", null, CLASS, Map.of("selectors", List.of(Map.of("cel", Map.of("expression",
                "device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'gpu'")))));

        // /tmp keeps the socket paths under the 108-byte limit of a Unix socket address
        tmp = Files.createTempDirectory("dra-health-");
        TestNode node = new TestNode(tmp);
        KubeletPluginPaths paths = new KubeletPluginPaths(tmp.resolve("plugins"), tmp.resolve("registry"));
        PluginSettings settings = new PluginSettings(NODE, node.driverRoot, Path.of("/usr/local/nvidia"), node.cdiRoot, paths, 0,
                null, "auto", SliceListScope.FIELD_SELECTOR);
        PluginTelemetry telemetry = new PluginTelemetry(new PluginEvents(admin, null, null, null, NODE),
                new PluginMetrics(new SimpleMeterRegistry(), NODE));
        plugin = KubeletPlugin.start(settings, admin, TestNode.inventory(), null, ServedVersions.fromApiServer(admin),
                new TestNode.FakeDeviceNodes(), BootIdSource.fixed("boot-1"), telemetry,
                DeviceHealthSettings.on(List.of()).withHeartbeat(Duration.ofSeconds(2)));
        board = plugin.healthBoard().orElseThrow();
        assertTrue(plugin.publisher().awaitFirstPublish(WAIT), "the plugin published its slice");

        group = new EpollEventLoopGroup(1);
        kubelet = UdsChannels.open(paths.draSocket(), group);
        DRAResourceHealthGrpc.newStub(kubelet).nodeWatchResources(NodeWatchResourcesRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(NodeWatchResourcesResponse value) {
                        heard.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    @AfterAll
    void stop() throws Exception {
        if (kubelet != null) {
            kubelet.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (plugin != null) {
            plugin.close();
        }
        if (admin == null || nodes == null) {
            return;
        }
        admin.pods().inNamespace(NS).withGracePeriod(0).delete();
        admin.namespaces().withName(NS).delete();
        admin.genericKubernetesResources(resources.apiVersion(), "DeviceClass").withName(CLASS).delete();
        nodes.delete(NODE);
        // the slices are owned by the Node: garbage collection removes them, as on a cluster
        await("the node's slices are gone").atMost(WAIT).until(() -> resources.slices(DRIVER, NODE).isEmpty());
    }

    @Test
    void anUnhealthyDeviceIsNotAllocatedUntilItRecoversAndKubeletHearsBoth() {
        await("kubelet hears the complete list, all healthy").atMost(WAIT).until(() -> lastHeard().map(m ->
                health(m).equals(Map.of("gpu-0", HealthStatus.HEALTHY, "gpu-1", HealthStatus.HEALTHY,
                        TestNode.MIG_A, HealthStatus.HEALTHY, TestNode.MIG_B, HealthStatus.HEALTHY))).orElse(false));

        board.report(GPU_0_UUID, new HealthProblem("gpu.nvidia.com/xid", "79", HealthEffect.NO_SCHEDULE,
                "GPU has fallen off the bus", Instant.now()));
        await("the API server stores gpu-0's taint, timeAdded set by it").atMost(WAIT).until(() -> taintsOf("gpu-0").stream()
                .anyMatch(t -> "gpu.nvidia.com/xid".equals(t.get("key")) && "79".equals(t.get("value"))
                        && "NoSchedule".equals(t.get("effect")) && t.get("timeAdded") != null));
        assertEquals(List.of(), taintsOf("gpu-1"));
        Object addedAt = taintsOf("gpu-0").get(0).get("timeAdded");
        board.report(GPU_1_UUID, new HealthProblem("gpu.nvidia.com/gpu-lost", "", HealthEffect.NO_SCHEDULE, "GPU is lost",
                Instant.now()));
        await("gpu-1 is tainted too").atMost(WAIT).until(() -> !taintsOf("gpu-1").isEmpty());
        assertEquals(addedAt, taintsOf("gpu-0").get(0).get("timeAdded"), "rewriting the slice kept gpu-0's timeAdded");
        board.clear(GPU_1_UUID, "gpu.nvidia.com/gpu-lost");
        await("gpu-1's taint is gone").atMost(WAIT).until(() -> taintsOf("gpu-1").isEmpty());
        await("kubelet hears gpu-0 unhealthy").atMost(WAIT).until(() -> lastHeard()
                .map(m -> health(m).get("gpu-0") == HealthStatus.UNHEALTHY && health(m).size() == 4).orElse(false));

        createClaim("only-gpu-0", "device.attributes['gpu.nvidia.com'].uuid == '" + GPU_0_UUID + "'");
        admin.pods().inNamespace(NS).resource(pod("only-gpu-0")).create();
        await("the scheduler finds no device for the pod").atMost(WAIT).until(() -> unschedulable("only-gpu-0"));
        assertFalse(allocated("only-gpu-0"), "the claim is not allocated the tainted device");

        board.clear(GPU_0_UUID, "gpu.nvidia.com/xid");
        await("the taint is gone from the slice").atMost(WAIT).until(() -> taintsOf("gpu-0").isEmpty());
        await("the scheduler binds the pod once the device is healthy").atMost(WAIT)
                .until(() -> NODE.equals(boundTo("only-gpu-0")));
        assertTrue(allocated("only-gpu-0"));
        assertEquals("gpu-0", ResourceApi.firstResult(resources.claim(NS, "only-gpu-0")).get("device"));
        await("kubelet hears gpu-0 healthy again").atMost(WAIT).until(() -> lastHeard()
                .map(m -> health(m).get("gpu-0") == HealthStatus.HEALTHY).orElse(false));
    }

    private Optional<NodeWatchResourcesResponse> lastHeard() {
        return heard.isEmpty() ? Optional.empty() : Optional.of(heard.get(heard.size() - 1));
    }

    private static Map<String, HealthStatus> health(NodeWatchResourcesResponse message) {
        return message.getDevicesList().stream().collect(Collectors.toMap(d -> d.getDevice().getDeviceName(), DeviceHealth::getHealth));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> taintsOf(String device) {
        for (GenericKubernetesResource slice : resources.slices(DRIVER, NODE)) {
            for (Map<String, Object> d : ResourceApi.devices(slice)) {
                if (device.equals(d.get("name"))) {
                    Map<String, Object> holder = d.containsKey("basic") ? (Map<String, Object>) d.get("basic") : d;
                    return (List<Map<String, Object>>) holder.getOrDefault("taints", List.of());
                }
            }
        }
        throw new AssertionError("device " + device + " is not published");
    }

    private boolean unschedulable(String pod) {
        Pod p = admin.pods().inNamespace(NS).withName(pod).get();
        return p != null && p.getSpec().getNodeName() == null && p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("PodScheduled")
                && c.getStatus().equals("False") && "Unschedulable".equals(c.getReason()));
    }

    private String boundTo(String pod) {
        Pod p = admin.pods().inNamespace(NS).withName(pod).get();
        return p == null ? null : p.getSpec().getNodeName();
    }

    @SuppressWarnings("unchecked")
    private boolean allocated(String claim) {
        GenericKubernetesResource c = resources.claim(NS, claim);
        Map<String, Object> status = (Map<String, Object>) c.getAdditionalProperties().get("status");
        return status != null && status.get("allocation") != null;
    }

    private void createClaim(String name, String selector) {
        Map<String, Object> exactly = Map.of("deviceClassName", CLASS, "allocationMode", "ExactCount", "count", 1,
                "selectors", List.of(Map.of("cel", Map.of("expression", selector))));
        Map<String, Object> request = "v1".equals(resources.version())
                ? Map.of("name", "gpu", "exactly", exactly)
                : withName("gpu", exactly);
        create("ResourceClaim", NS, name, Map.of("devices", Map.of("requests", List.of(request))));
    }

    private static Map<String, Object> withName(String name, Map<String, Object> body) {
        Map<String, Object> request = new java.util.LinkedHashMap<>(body);
        request.put("name", name);
        return request;
    }

    private void create(String kind, String namespace, String name, Map<String, Object> spec) {
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion(resources.apiVersion());
        o.setKind(kind);
        o.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        o.setAdditionalProperty("spec", spec);
        admin.resource(o).create();
    }

    private static Pod pod(String claim) {
        return new PodBuilder().withNewMetadata().withName(claim).withNamespace(NS).endMetadata()
                .withNewSpec()
                .addNewResourceClaim().withName("gpu").withResourceClaimName(claim).endResourceClaim()
                .addNewContainer().withName("c").withImage("registry.invalid/none:1")
                .withNewResources().addNewClaim().withName("gpu").endClaim().endResources().endContainer()
                .endSpec().build();
    }
}
