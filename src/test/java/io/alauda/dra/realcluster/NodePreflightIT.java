package io.alauda.dra.realcluster;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriverStatus;
import io.alauda.dra.operator.resources.Names;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node checks' status path on the real control plane: three simulated GPU nodes whose kubelet plugins (packaged
 * jar, each as its DaemonSet pod's account) check their node at start. One passes (driver 580, containerd 2.0); one
 * has driver 550, below the seed's 565; one runs containerd 1.7 without {@code enable_cdi = true}. The last two
 * publish no GPUs, say so in their pod's condition (merged beside the kubelet's own conditions), warn on their Node,
 * and the operator gathers all of it into the NvidiaDraDriver's status with Degraded=True.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodePreflightIT {

    private static final String OPERATOR_NAMESPACE = "nvidia-dra-driver-operator";
    private static final String NAMESPACE = "gpu-dra-preflight";
    private static final String CR = "preflight";
    private static final String GOOD = "preflight-580";
    private static final String OLD_DRIVER = "preflight-550";
    private static final String NO_CDI = "preflight-no-cdi";
    private static final Path H100 = Path.of("src/test/resources/nvml/captures/h100-x2/discover-recording.json");
    /** The sample recording of an A100 and a T4 on driver 550.163.01. */
    private static final Path DRIVER_550 = Path.of("src/test/resources/nvml/a100-mig-t4.json");
    private static final Duration WAIT = Duration.ofMinutes(2);

    private ControlPlane plane;
    private KubernetesClient admin;
    private ResourceApi resources;
    private FakeNodes nodes;
    private FakeKubelet kubelet;
    private ChildProcess operator;
    private final List<PluginNode> plugins = new ArrayList<>();
    private Path containerdConfigs;

    @BeforeAll
    void install(ControlPlane plane) throws IOException {
        this.plane = plane;
        admin = plane.admin();
        resources = ResourceApi.of(plane);
        Manifests.apply(admin, Manifests.INSTALL);
        assertEquals(List.of(), admin.resources(NvidiaDraDriver.class).list().getItems().stream()
                .map(d -> d.getMetadata().getName()).toList(), "NvidiaDraDrivers left by another suite");
        nodes = new FakeNodes(admin);
        nodes.create(GOOD, Map.of("nvidia-device-enable", "pgpu-dra"));
        nodes.create(OLD_DRIVER, Map.of("nvidia-device-enable", "pgpu-dra"));
        nodes.create(NO_CDI, Map.of("nvidia-device-enable", "pgpu-dra"));
        runtime(GOOD, "containerd://2.0.5");
        runtime(OLD_DRIVER, "containerd://2.0.5");
        runtime(NO_CDI, "containerd://1.7.27");
        kubelet = new FakeKubelet(admin, NAMESPACE, pod -> pod.getMetadata().getName().startsWith(Names.PREFIX), this::stopping);
        operator = RoleProcess.start("operator-preflight", "operator",
                plane.serviceAccountKubeconfig(OPERATOR_NAMESPACE, "nvidia-dra-driver-operator", null),
                Map.of("RELATED_IMAGE_NVIDIA_DRA_DRIVER", "ghcr.io/alauda/nvidia-dra-driver:e2e", "DRA_OPERATOR_RESYNC", "2s"),
                plane.dir().resolve("logs"));
        // The host's /etc/containerd of each node, as the DaemonSet mounts it: 1.7's defaults leave CDI off.
        containerdConfigs = Files.createTempDirectory("preflight-containerd-");
        for (String node : List.of(GOOD, OLD_DRIVER, NO_CDI)) {
            Files.createDirectories(containerdConfigs.resolve(node));
        }
        Files.writeString(containerdConfigs.resolve(NO_CDI).resolve("config.toml"), """
                version = 2
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "registry.k8s.io/pause:3.9"
                """);
    }

    /** What kubelet reports as the node's runtime: the plugin reads it from the Node. */
    private void runtime(String node, String version) {
        admin.nodes().withName(node).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"nodeInfo\":{\"containerRuntimeVersion\":\"" + version + "\"}}}");
    }

    private void stopping(Pod pod) {
        plugins.stream().filter(p -> p.podName().equals(pod.getMetadata().getName())).forEach(p -> p.process().stop(10));
    }

    @AfterAll
    void stopEverything() {
        try {
            admin.resources(NvidiaDraDriver.class).withName(CR).delete();
            if (operator != null) {
                await("the CR's cleanup done").atMost(WAIT).until(() -> admin.resources(NvidiaDraDriver.class).withName(CR).get() == null);
            }
        } finally {
            plugins.forEach(PluginNode::close);
            if (operator != null) {
                operator.stop(10);
            }
            if (kubelet != null) {
                kubelet.close();
            }
            for (String node : List.of(GOOD, OLD_DRIVER, NO_CDI)) {
                admin.nodes().withName(node).delete();
            }
        }
    }

    @Test
    @Order(1)
    void nodesFailingTheirChecksPublishNoGpusAndTheCrSaysWhichAndWhy() throws IOException {
        NvidiaDraDriver driver = new NvidiaDraDriver();
        driver.getMetadata().setName(CR);
        driver.getSpec().namespace = NAMESPACE;
        admin.resource(driver).create();
        start(GOOD, H100);
        start(OLD_DRIVER, DRIVER_550);
        start(NO_CDI, H100);

        await("the good node's slice").atMost(WAIT).until(() -> devicesOf(GOOD) == 2);
        for (String node : List.of(OLD_DRIVER, NO_CDI)) {
            await("the node check condition on " + node + "'s plugin pod").atMost(WAIT).until(() -> preflight(node).isPresent());
            assertEquals("False", preflight(node).get().getStatus(), node);
        }
        assertEquals("DriverTooOld", preflight(OLD_DRIVER).get().getReason());
        assertTrue(preflight(OLD_DRIVER).get().getMessage().contains("550.163.01"), preflight(OLD_DRIVER).get().getMessage());
        assertEquals("ContainerdCdiDisabled", preflight(NO_CDI).get().getReason());
        assertTrue(preflight(NO_CDI).get().getMessage().contains("enable_cdi = true"), preflight(NO_CDI).get().getMessage());
        assertEquals("True", preflight(GOOD).orElseThrow().getStatus());
        // the strategic merge patch left the kubelet's own conditions as they were
        for (String node : List.of(GOOD, OLD_DRIVER, NO_CDI)) {
            assertTrue(pod(node).getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
                    && c.getStatus().equals("True")), node + ": " + pod(node).getStatus().getConditions());
        }
        assertEquals(0, devicesOf(OLD_DRIVER), "a node with driver 550 publishes no GPUs");
        assertEquals(0, devicesOf(NO_CDI), "a node whose containerd ignores CDI publishes no GPUs");

        await("status.nodes.preflight and Degraded").atMost(WAIT).untilAsserted(() -> {
            operator.assertAlive();
            NvidiaDraDriverStatus status = admin.resources(NvidiaDraDriver.class).withName(CR).get().getStatus();
            assertNotNull(status, "no status yet");
            assertNotNull(status.nodes, "no nodes in status yet");
            assertEquals(2, status.nodes.preflightFailed, () -> "status.nodes: " + status.nodes.preflight);
            List<NvidiaDraDriverStatus.NodePreflight> failed = status.nodes.preflight.stream().filter(e -> !e.devicesPublished).toList();
            assertEquals(List.of(OLD_DRIVER, NO_CDI).stream().sorted().toList(), failed.stream().map(e -> e.node).toList());
            assertEquals(List.of("DriverTooOld", "ContainerdCdiDisabled"), List.of(
                    failed.stream().filter(e -> e.node.equals(OLD_DRIVER)).findFirst().orElseThrow().reason,
                    failed.stream().filter(e -> e.node.equals(NO_CDI)).findFirst().orElseThrow().reason));
            Condition degraded = status.conditions.stream().filter(c -> c.getType().equals("Degraded")).findFirst().orElseThrow();
            assertEquals("True", degraded.getStatus());
            assertEquals("NodeChecksFailed", degraded.getReason());
            assertTrue(degraded.getMessage().startsWith("2 node(s) publish no GPUs"), degraded.getMessage());
        });

        List<Event> warnings = admin.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "Node".equals(e.getInvolvedObject().getKind()) && "Warning".equals(e.getType())).toList();
        assertTrue(warnings.stream().anyMatch(e -> e.getInvolvedObject().getName().equals(OLD_DRIVER) && e.getReason().equals("DriverTooOld")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(e -> e.getInvolvedObject().getName().equals(NO_CDI)
                && e.getReason().equals("ContainerdCdiDisabled")), warnings.toString());
        assertFalse(warnings.stream().anyMatch(e -> e.getInvolvedObject().getName().equals(GOOD)
                && !e.getReason().equals("NoCdiHook") && !e.getReason().equals("DriverFilesNotChecked")), warnings.toString());
        List<AuditEvent> pluginRequests = plane.auditEventsOf(Names.serviceAccountUser(NAMESPACE, Names.kubeletPluginServiceAccount()));
        assertTrue(pluginRequests.stream().anyMatch(e -> e.uri().contains("/pods/") && e.uri().contains("/status")),
                "the plugins patched their pods' status");
        assertEquals(List.of(), pluginRequests.stream().filter(e -> e.code() == 403).map(AuditEvent::toString).toList(),
                "the plugin's pod status patch and Node events are allowed by its roles");
    }

    /**
     * RBAC lets the plugin patch every pod's status in its namespace (kube-system by default); the admission policy
     * lets a plugin's token touch only its own pod's node-check condition.
     */
    @Test
    @Order(2)
    void aPluginsTokenCannotChangeAnotherPodsStatusOrItsOwnReadiness() throws IOException {
        Pod own = await("plugin pod on " + GOOD).atMost(WAIT)
                .until(() -> PluginNode.podOn(admin, NAMESPACE, Names.KUBELET_PLUGIN, GOOD), Optional::isPresent).get();
        Pod other = await("plugin pod on " + NO_CDI).atMost(WAIT)
                .until(() -> PluginNode.podOn(admin, NAMESPACE, Names.KUBELET_PLUGIN, NO_CDI), Optional::isPresent).get();
        await("the pod-status policy").atMost(WAIT).until(() -> admin.admissionRegistration().v1()
                .validatingAdmissionPolicyBindings().withName(Names.KUBELET_PLUGIN_POD_STATUS).get() != null);
        Path kubeconfig = plane.serviceAccountKubeconfig(NAMESPACE, Names.kubeletPluginServiceAccount(), own.getMetadata().getName());
        try (KubernetesClient plugin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
            String preflight = "{\"status\":{\"conditions\":[{\"type\":\"" + Names.NODE_PREFLIGHT_CONDITION
                    + "\",\"status\":\"False\",\"reason\":\"Forged\",\"message\":\"forged\"}]}}";
            String notReady = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}";
            // the policy starts to apply a moment after its binding exists
            await("the other pod's status refused").atMost(WAIT).untilAsserted(() -> {
                KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> patchStatus(plugin, other, preflight));
                assertTrue(refused.getMessage().contains("may only set the status of its own pod"), refused.getMessage());
            });
            KubernetesClientException ownReady = assertThrows(KubernetesClientException.class, () -> patchStatus(plugin, own, notReady));
            assertTrue(ownReady.getMessage().contains("may only change the " + Names.NODE_PREFLIGHT_CONDITION), ownReady.getMessage());
            patchStatus(plugin, own, preflight.replace("Forged", "Allowed"));
            assertEquals("Allowed", preflight(GOOD).orElseThrow().getReason(), "its own node-check condition it may set");
        }
    }

    private static void patchStatus(KubernetesClient client, Pod pod, String patch) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    }

    private void start(String node, Path recording) throws IOException {
        Pod pod = await("plugin pod on " + node).atMost(WAIT)
                .until(() -> PluginNode.podOn(admin, NAMESPACE, Names.KUBELET_PLUGIN, node), Optional::isPresent).get();
        await(node + "'s plugin pod running").atMost(WAIT).until(() -> "Running".equals(pod(node).getStatus().getPhase()));
        plugins.add(PluginNode.start(plane, pod, recording,
                Map.of("CONTAINERD_CONFIG_DIR", containerdConfigs.resolve(node).toString())));
    }

    private Pod pod(String node) {
        return PluginNode.podOn(admin, NAMESPACE, Names.KUBELET_PLUGIN, node).orElseThrow();
    }

    private Optional<PodCondition> preflight(String node) {
        Pod pod = pod(node);
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? Optional.empty()
                : pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(Names.NODE_PREFLIGHT_CONDITION)).findFirst();
    }

    private int devicesOf(String node) {
        // the server leaves out an empty device list
        return resources.slices("gpu.nvidia.com", node).stream()
                .mapToInt(s -> ResourceApi.devices(s) == null ? 0 : ResourceApi.devices(s).size()).sum();
    }
}
