package io.alauda.dra.realcluster;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.operator.resources.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourceResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GPU sharing on the real control plane: the NvidiaDraDriver turns on {@code TimeSlicingSettings}, the operator passes
 * it to the plugin's DaemonSet, two pods name one ResourceClaim that asks for time-slicing, the real scheduler
 * allocates it once and binds both pods to the simulated H100 node, and the test, acting as kubelet, prepares the claim
 * for each pod: both succeed, the GPU is time-sliced once (a stand-in nvidia-smi in the stub driver root records the
 * commands the plugin runs), and unpreparing puts the GPU's settings back.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedClaimIT {

    private static final String OPERATOR_NAMESPACE = "nvidia-dra-driver-operator";
    private static final String NAMESPACE = "gpu-dra-sharing";
    private static final String CR = "sharing";
    private static final String NODE = "sharing-h100";
    private static final String WORKLOADS = "default";
    private static final String CLAIM = "shared-gpu";
    private static final String MPS_CLAIM = "mps-gpu";
    private static final String MPS_POD = "mps-user";
    private static final Path H100 = Path.of("src/test/resources/nvml/captures/h100-x2/discover-recording.json");
    private static final Duration WAIT = Duration.ofMinutes(2);

    private ControlPlane plane;
    private KubernetesClient admin;
    private ResourceApi resources;
    private FakeNodes nodes;
    private FakeKubelet kubelet;
    private ChildProcess operator;
    private PluginNode plugin;
    private final List<String> pods = List.of("sharer-a", "sharer-b");

    @BeforeAll
    void install(ControlPlane plane) throws IOException {
        this.plane = plane;
        admin = plane.admin();
        resources = ResourceApi.of(plane);
        Manifests.apply(admin, Manifests.INSTALL);
        nodes = new FakeNodes(admin);
        nodes.create(NODE, Map.of("nvidia-device-enable", "pgpu-dra"));
        admin.nodes().withName(NODE).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"nodeInfo\":{\"containerRuntimeVersion\":\"containerd://2.0.5\"}}}");
        kubelet = new FakeKubelet(admin, NAMESPACE, pod -> pod.getMetadata().getName().startsWith(Names.PREFIX), pod -> {
            if (plugin != null && plugin.podName().equals(pod.getMetadata().getName())) {
                plugin.process().stop(10);
            }
        });
        operator = RoleProcess.start("operator-sharing", "operator",
                plane.serviceAccountKubeconfig(OPERATOR_NAMESPACE, "nvidia-dra-driver-operator", null),
                Map.of("RELATED_IMAGE_NVIDIA_DRA_DRIVER", "ghcr.io/alauda/nvidia-dra-driver:e2e", "DRA_OPERATOR_RESYNC", "2s"),
                plane.dir().resolve("logs"));
    }

    @AfterAll
    void stopEverything() {
        try {
            for (String pod : pods) {
                admin.pods().inNamespace(WORKLOADS).withName(pod).withGracePeriod(0).delete();
            }
            admin.genericKubernetesResources(resources.apiVersion(), "ResourceClaim").inNamespace(WORKLOADS)
                    .withName(CLAIM).delete();
            admin.resources(NvidiaDraDriver.class).withName(CR).delete();
            if (operator != null) {
                await("the CR's cleanup done").atMost(WAIT).until(() -> admin.resources(NvidiaDraDriver.class).withName(CR).get() == null);
            }
        } finally {
            if (plugin != null) {
                plugin.close();
            }
            if (operator != null) {
                operator.stop(10);
            }
            if (kubelet != null) {
                kubelet.close();
            }
            admin.nodes().withName(NODE).delete();
        }
    }

    @Test
    void twoPodsSharingOneTimeSlicedClaimAreBothPreparedAndTheGpuIsPutBack() throws Exception {
        NvidiaDraDriver driver = new NvidiaDraDriver();
        driver.getMetadata().setName(CR);
        driver.getSpec().namespace = NAMESPACE;
        driver.getSpec().featureGates.put("TimeSlicingSettings", true);
        admin.resource(driver).create();

        Pod pluginPod = await("plugin pod on " + NODE).atMost(WAIT)
                .until(() -> PluginNode.podOn(admin, NAMESPACE, Names.KUBELET_PLUGIN, NODE), Optional::isPresent).get();
        assertTrue(pluginPod.getSpec().getContainers().get(0).getEnv().stream()
                .anyMatch(e -> e.getName().equals("FEATURE_GATES") && e.getValue().contains("TimeSlicingSettings=true")),
                "the operator passes the gate to the plugin");
        await("plugin pod running").atMost(WAIT).until(() -> "Running".equals(
                PluginNode.podOn(admin, NAMESPACE, Names.KUBELET_PLUGIN, NODE).orElseThrow().getStatus().getPhase()));
        Path containerd = Files.createTempDirectory("sharing-containerd-");
        plugin = PluginNode.start(plane, pluginPod, H100, Map.of("CONTAINERD_CONFIG_DIR", containerd.toString()));
        Path commands = standInNvidiaSmi(plugin.root().resolve("driver-root"));
        await("the node's slice").atMost(WAIT).until(() -> resources.slices("gpu.nvidia.com", NODE).stream()
                .mapToInt(s -> ResourceApi.devices(s) == null ? 0 : ResourceApi.devices(s).size()).sum() == 2);

        createClaim();
        for (String pod : pods) {
            admin.resource(pod(pod)).create();
        }
        for (String pod : pods) {
            await(pod + " bound to " + NODE).atMost(WAIT).until(() -> NODE.equals(
                    admin.pods().inNamespace(WORKLOADS).withName(pod).get().getSpec().getNodeName()));
        }
        GenericKubernetesResource claim = admin.genericKubernetesResources(resources.apiVersion(), "ResourceClaim")
                .inNamespace(WORKLOADS).withName(CLAIM).get();
        assertEquals(NODE, ResourceApi.firstResult(claim).get("pool"));

        try (KubeletStandIn standIn = new KubeletStandIn(plugin)) {
            standIn.register();
            // kubelet prepares the claim for each pod that uses it
            NodePrepareResourceResponse first = standIn.prepare(claim);
            NodePrepareResourceResponse second = standIn.prepare(claim);
            assertEquals("", first.getError());
            assertEquals("", second.getError());
            assertEquals(first.getDevicesList(), second.getDevicesList());
            String device = (String) ResourceApi.firstResult(claim).get("device");
            String uuid = ResourceApi.stringAttribute(resources.slices("gpu.nvidia.com", NODE).stream()
                    .flatMap(s -> ResourceApi.devices(s).stream()).filter(d -> device.equals(d.get("name")))
                    .findFirst().orElseThrow(), "uuid");
            List<String> changes = changes(commands);
            assertEquals(List.of("-i " + uuid + " -c DEFAULT", "compute-policy -i " + uuid + " --set-timeslice 3"),
                    changes, "the GPU is time-sliced once, for both pods");

            for (String pod : pods) {
                admin.pods().inNamespace(WORKLOADS).withName(pod).withGracePeriod(0).delete();
            }
            assertEquals("", standIn.unprepare(claim).getError());
            assertEquals(List.of("-i " + uuid + " -c DEFAULT", "compute-policy -i " + uuid + " --set-timeslice 3",
                    "compute-policy -i " + uuid + " --set-timeslice 0", "-i " + uuid + " -c DEFAULT"), changes(commands),
                    "unprepare puts back the time-slice and compute mode the GPU had");
        }
        List<AuditEvent> pluginRequests = plane.auditEventsOf(Names.serviceAccountUser(NAMESPACE,
                Names.kubeletPluginServiceAccount()));
        assertEquals(List.of(), pluginRequests.stream().filter(e -> e.code() == 403).map(AuditEvent::toString).toList());

        mpsSupportGivesThePluginDeploymentRightsInItsNamespaceOnlyThroughTheShippedClusterRole();
    }

    /**
     * MPSSupport on: the operator, holding only {@code bind} on the shipped ClusterRole, binds it for the plugin in the
     * driver namespace; the plugin may then manage Deployments there and nowhere else, its pod template mounts the
     * plugins directory Bidirectional and names its image. Off again: the binding goes.
     */
    private void mpsSupportGivesThePluginDeploymentRightsInItsNamespaceOnlyThroughTheShippedClusterRole() throws IOException {
        String pluginUser = Names.serviceAccountUser(NAMESPACE, Names.kubeletPluginServiceAccount());
        assertFalse(allowed(pluginUser, "create", NAMESPACE), "no Deployment rights before MPSSupport");
        // merge patches carry no resourceVersion: the operator's status writes meanwhile cause no conflict
        admin.resources(NvidiaDraDriver.class).withName(CR).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"featureGates\":{\"MPSSupport\":true}}}");
        await("the operator binds the MPS ClusterRole").atMost(WAIT).until(() -> admin.rbac().roleBindings().inNamespace(NAMESPACE)
                .withName(Names.KUBELET_PLUGIN_MPS).get() != null);
        for (String verb : List.of("get", "list", "watch", "create", "delete")) {
            assertTrue(allowed(pluginUser, verb, NAMESPACE), verb + " deployments in the driver namespace");
        }
        assertFalse(allowed(pluginUser, "update", NAMESPACE), "update is not needed and not granted");
        assertFalse(allowed(pluginUser, "create", WORKLOADS), "no Deployment rights outside the driver namespace");
        await("the plugin's template for MPS").atMost(WAIT).untilAsserted(() -> {
            var container = admin.apps().daemonSets().inNamespace(NAMESPACE).withName(Names.KUBELET_PLUGIN).get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("Bidirectional", container.getVolumeMounts().stream().filter(m -> m.getName().equals("plugins"))
                    .findFirst().orElseThrow().getMountPropagation());
            assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("IMAGE_NAME")
                    && e.getValue().equals("ghcr.io/alauda/nvidia-dra-driver:e2e")), container.getEnv().toString());
        });
        anMpsClaimIsPreparedWithItsDaemonDeploymentMadeByThePlugin();
        admin.resources(NvidiaDraDriver.class).withName(CR).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"featureGates\":{\"MPSSupport\":null}}}");
        await("the MPS binding removed").atMost(WAIT).until(() -> admin.rbac().roleBindings().inNamespace(NAMESPACE)
                .withName(Names.KUBELET_PLUGIN_MPS).get() == null);
        String operatorUser = Names.serviceAccountUser(OPERATOR_NAMESPACE, "nvidia-dra-driver-operator");
        assertEquals(List.of(), plane.auditEventsOf(operatorUser).stream().filter(e -> e.code() == 403)
                .map(AuditEvent::toString).toList(), "the operator was refused nothing");
    }

    /**
     * The DaemonSet rolls to the MPS template; the new plugin (as its own ServiceAccount) prepares an MPS claim by
     * creating the claim's control-daemon Deployment, waits until a stand-in kubelet reports the daemon's pod ready,
     * and hands out CDI edits that point the workload at the daemon's pipe directory; unprepare deletes the Deployment.
     */
    private void anMpsClaimIsPreparedWithItsDaemonDeploymentMadeByThePlugin() throws IOException {
        String oldPod = plugin.podName();
        Pod mpsPluginPod = await("the plugin pod of the MPS template").atMost(WAIT).until(() -> PluginNode.podOn(admin, NAMESPACE,
                Names.KUBELET_PLUGIN, NODE).filter(p -> !p.getMetadata().getName().equals(oldPod)
                && "Running".equals(p.getStatus().getPhase())), Optional::isPresent).get();
        await("the old plugin stopped").atMost(WAIT).until(() -> !plugin.process().isAlive());
        plugin.close();
        Path containerd = Files.createTempDirectory("sharing-containerd-");
        plugin = PluginNode.start(plane, mpsPluginPod, H100, Map.of("CONTAINERD_CONFIG_DIR", containerd.toString()));
        standInNvidiaSmi(plugin.root().resolve("driver-root"));
        try (FakeKubelet daemons = new FakeKubelet(admin, NAMESPACE, p -> p.getMetadata().getName().startsWith("mps-control-daemon-"),
                p -> { });
             KubeletStandIn standIn = new KubeletStandIn(plugin)) {
            // the old plugin's slice may still stand: the new plugin is up once its registration socket answers
            await("the new plugin registers").atMost(WAIT).ignoreExceptions().until(() -> standIn.register() != null);
            createClaim(MPS_CLAIM, Map.of("strategy", "MPS", "mpsConfig", Map.of("defaultActiveThreadPercentage", 50)));
            admin.resource(pod(MPS_POD, MPS_CLAIM)).create();
            await(MPS_POD + " bound").atMost(WAIT).until(() -> NODE.equals(
                    admin.pods().inNamespace(WORKLOADS).withName(MPS_POD).get().getSpec().getNodeName()));
            GenericKubernetesResource claim = admin.genericKubernetesResources(resources.apiVersion(), "ResourceClaim")
                    .inNamespace(WORKLOADS).withName(MPS_CLAIM).get();
            NodePrepareResourceResponse prepared = standIn.prepare(claim);
            assertEquals("", prepared.getError());
            List<io.fabric8.kubernetes.api.model.apps.Deployment> daemonsMade = admin.apps().deployments().inNamespace(NAMESPACE)
                    .list().getItems().stream().filter(d -> d.getMetadata().getName().startsWith("mps-control-daemon-")).toList();
            assertEquals(1, daemonsMade.size(), "one control daemon for the claim's device group");
            String spec;
            try (var files = Files.list(plugin.cdiRoot())) {
                spec = files.filter(f -> f.getFileName().toString().contains(claim.getMetadata().getUid()))
                        .map(f -> {
                            try {
                                return Files.readString(f);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }).findFirst().orElseThrow();
            }
            assertTrue(spec.contains("CUDA_MPS_PIPE_DIRECTORY=/tmp/nvidia-mps"), spec);
            admin.pods().inNamespace(WORKLOADS).withName(MPS_POD).withGracePeriod(0).delete();
            assertEquals("", standIn.unprepare(claim).getError());
            await("the control daemon removed").atMost(WAIT).until(() -> admin.apps().deployments().inNamespace(NAMESPACE)
                    .list().getItems().stream().noneMatch(d -> d.getMetadata().getName().startsWith("mps-control-daemon-")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean allowed(String user, String verb, String namespace) {
        return admin.authorization().v1().subjectAccessReview().create(new io.fabric8.kubernetes.api.model.authorization.v1
                .SubjectAccessReviewBuilder().withNewSpec().withUser(user)
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE, "system:authenticated")
                .withNewResourceAttributes().withGroup("apps").withResource("deployments").withVerb(verb)
                .withNamespace(namespace).endResourceAttributes().endSpec().build()).getStatus().getAllowed();
    }

    /**
     * An nvidia-smi for the stub driver root that records its arguments and answers the read-only queries as a GPU
     * in compute mode Default with the default time-slice would; the library it is run with is a stand-in too.
     */
    private static Path standInNvidiaSmi(Path driverRoot) throws IOException {
        Path log = driverRoot.resolveSibling("nvidia-smi.log");
        Files.writeString(driverRoot.resolve("usr/lib64/libnvidia-ml.so.1"), "stand-in\n");
        Path smi = driverRoot.resolve("usr/bin/nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n"
                + "echo \"$*\" >> '" + log + "'\n"
                + "case \"$*\" in\n"
                + "  *--query-gpu=compute_mode*) echo Default ;;\n"
                + "  *compute-policy*-l) echo 'Timeslice : Default' ;;\n"
                + "esac\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return log;
    }

    /** The commands that change a setting, in order (the read-only queries left out). */
    private static List<String> changes(Path log) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream()
                .filter(l -> !l.contains("--query-gpu") && !l.endsWith(" -l")).toList();
    }

    private void createClaim() {
        createClaim(CLAIM, Map.of("strategy", "TimeSlicing", "timeSlicingConfig", Map.of("interval", "Long")));
    }

    private void createClaim(String name, Map<String, Object> sharing) {
        GenericKubernetesResource claim = new GenericKubernetesResource();
        claim.setApiVersion(resources.apiVersion());
        claim.setKind("ResourceClaim");
        claim.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(WORKLOADS).build());
        Map<String, Object> parameters = Map.of("apiVersion", "resource.nvidia.com/v1beta1", "kind", "GpuConfig",
                "sharing", sharing);
        claim.setAdditionalProperty("spec", Map.of("devices", Map.of(
                "requests", List.of(Map.of("name", "gpu", "exactly", Map.of("deviceClassName", "gpu.nvidia.com"))),
                "config", List.of(Map.of("requests", List.of("gpu"),
                        "opaque", Map.of("driver", "gpu.nvidia.com", "parameters", parameters))))));
        admin.resource(claim).create();
    }

    private static Pod pod(String name) {
        return pod(name, CLAIM);
    }

    private static Pod pod(String name, String claim) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(WORKLOADS).endMetadata()
                .withNewSpec()
                .addNewResourceClaim().withName("gpu").withResourceClaimName(claim).endResourceClaim()
                .addNewContainer().withName("c").withImage("registry.invalid/none:1")
                .withNewResources().addNewClaim().withName("gpu").endClaim().endResources().endContainer()
                .endSpec().build();
    }
}
