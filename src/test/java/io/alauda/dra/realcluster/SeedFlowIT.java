package io.alauda.dra.realcluster;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.operator.resources.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourceResponse;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's whole flow on a real control plane: the plain install, the operator (packaged jar, as its
 * ServiceAccount) installing everything from the sample CR, two simulated GPU nodes whose kubelet plugins (packaged
 * jar, each with a token bound to its DaemonSet pod) publish ResourceSlices, the seed's verification workload applied
 * verbatim and allocated by the real scheduler from those slices, prepared through the plugin's socket by this test
 * playing the kubelet, then removal of everything with the CR.
 *
 * <p>Ready without kubelets: {@link FakeKubelet} marks the driver's pods Running and Ready once the scheduler has bound
 * them; the real DaemonSet and Deployment controllers count them, and the operator judges Ready from their status.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedFlowIT {

    private static final String OPERATOR_NAMESPACE = "nvidia-dra-driver-operator";
    private static final String DRIVER_NAMESPACE = "kube-system";
    private static final String P100_NODE = "192.168.140.59";
    private static final String H100_NODE = "gpu-h100";
    private static final String CPU_NODE = "cpu-node";
    private static final Path P100 = Path.of("src/test/resources/nvml/replays/p100-x1/discover-recording.json");
    private static final Path H100 = Path.of("src/test/resources/nvml/captures/h100-x2/discover-recording.json");
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String OPERATOR_USER = Names.serviceAccountUser(OPERATOR_NAMESPACE, "nvidia-dra-driver-operator");

    private ControlPlane plane;
    private KubernetesClient admin;
    private ResourceApi resources;
    private FakeNodes nodes;
    private FakeKubelet kubelet;
    private ChildProcess operator;
    private ChildProcess controller;
    private int controllerHttpPort;
    private final List<PluginNode> plugins = new ArrayList<>();
    /** How long each role process took to exit after SIGTERM when its pod was deleted. */
    private final Map<String, Duration> exitTimes = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<HasMetadata> installed = new ArrayList<>();

    @BeforeAll
    void install(ControlPlane plane) throws IOException {
        this.plane = plane;
        admin = plane.admin();
        resources = ResourceApi.of(plane);
        nodes = new FakeNodes(admin);
        nodes.create(P100_NODE, Map.of("nvidia-device-enable", "pgpu-dra"));
        nodes.create(H100_NODE, Map.of("nvidia-device-enable", "pgpu-dra"));
        nodes.create(CPU_NODE, Map.of());
        // What the NVIDIA container toolkit (or the GPU Operator) leaves on a GPU cluster; the seed's pod names it.
        admin.resource(new RuntimeClassBuilder().withNewMetadata().withName("nvidia").endMetadata().withHandler("nvidia").build())
                .serverSideApply();
        installed.addAll(Manifests.apply(admin, Manifests.INSTALL));
        kubelet = new FakeKubelet(admin, DRIVER_NAMESPACE, pod -> pod.getMetadata().getName().startsWith(Names.PREFIX), this::stopProcessOf);
        Path kubeconfig = plane.serviceAccountKubeconfig(OPERATOR_NAMESPACE, "nvidia-dra-driver-operator", null);
        // a short resync, so that the idle check below sees several reconciles with nothing to do
        operator = RoleProcess.start("operator", "operator", kubeconfig, Map.of(
                "RELATED_IMAGE_NVIDIA_DRA_DRIVER", "ghcr.io/alauda/nvidia-dra-driver:e2e", "DRA_OPERATOR_RESYNC", "2s"),
                plane.dir().resolve("logs"));
    }

    /** As kubelet stops a deleted pod's container: SIGTERM to the process that plays it, timed. */
    private void stopProcessOf(Pod pod) {
        String name = pod.getMetadata().getName();
        List<ChildProcess> processes = new ArrayList<>();
        plugins.stream().filter(p -> p.podName().equals(name)).forEach(p -> processes.add(p.process()));
        if (controller != null && name.startsWith(Names.CONTROLLER)) {
            processes.add(controller);
        }
        for (ChildProcess process : processes) {
            if (process.isAlive()) {
                long start = System.nanoTime();
                process.stop(10);
                exitTimes.put(process.name(), Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    @AfterAll
    void stopEverything() {
        plugins.forEach(PluginNode::close);
        if (controller != null) {
            controller.stop(10);
        }
        if (operator != null) {
            operator.stop(10);
        }
        if (kubelet != null) {
            kubelet.close();
        }
        for (String node : List.of(P100_NODE, H100_NODE, CPU_NODE)) {
            admin.nodes().withName(node).delete();
        }
    }

    @Test
    @Order(1)
    void theOperatorInstallsEverythingFromTheSampleAndReportsReady() throws IOException {
        NvidiaDraDriver sample = Serialization.unmarshal(Files.readString(Manifests.SAMPLE), NvidiaDraDriver.class);
        admin.resource(sample).create();
        await("NvidiaDraDriver default Ready=True").atMost(WAIT).untilAsserted(() -> {
            operator.assertAlive();
            NvidiaDraDriver driver = admin.resources(NvidiaDraDriver.class).withName("default").get();
            assertTrue(driver.getStatus() != null && driver.getStatus().conditions.stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")),
                    () -> "status: " + Serialization.asYaml(driver.getStatus()));
        });
        assertTrue(admin.apps().daemonSets().inNamespace(DRIVER_NAMESPACE).withName(Names.KUBELET_PLUGIN).get() != null);
        assertTrue(admin.apps().deployments().inNamespace(DRIVER_NAMESPACE).withName(Names.CONTROLLER).get() != null);
        for (String deviceClass : List.of(Names.GPU_DEVICE_CLASS, Names.MIG_DEVICE_CLASS)) {
            assertTrue(resources.deviceClass(deviceClass).isPresent(), "DeviceClass " + deviceClass + " in " + resources.apiVersion());
        }
        assertTrue(admin.admissionRegistration().v1().validatingAdmissionPolicies().withName(Names.RESOURCE_SLICE_POLICY).get() != null);
        // the plugin pods are on the two GPU nodes only
        List<String> pluginNodes = admin.pods().inNamespace(DRIVER_NAMESPACE).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(Names.KUBELET_PLUGIN)).map(p -> p.getSpec().getNodeName()).sorted().toList();
        assertEquals(List.of(P100_NODE, H100_NODE).stream().sorted().toList(), pluginNodes);
        assertNoForbidden(OPERATOR_USER);
    }

    /**
     * The applier reads, compares and writes only what differs (docs/design-decisions.md, "Server-Side Apply"): on
     * the real server, with its defaulting, reconciles with nothing to do write nothing. Each reconcile's preflight
     * starts with GET /version, which counts them.
     */
    @Test
    @Order(2)
    void reconcilesWithNothingToDoWriteNothing() throws IOException {
        int mark = plane.auditEventsOf(OPERATOR_USER).size();
        await("three reconciles").atMost(WAIT).until(() -> sinceMark(mark).stream().filter(e -> e.uri().equals("/version")).count() >= 3);
        List<String> writes = sinceMark(mark).stream().filter(e -> e.isWrite() && !e.isLease()).map(AuditEvent::toString).toList();
        assertEquals(List.of(), writes, "writes of reconciles with nothing to change");
    }

    private List<AuditEvent> sinceMark(int mark) throws IOException {
        List<AuditEvent> all = plane.auditEventsOf(OPERATOR_USER);
        return all.subList(mark, all.size());
    }

    @Test
    @Order(3)
    void eachGpuNodesPluginPublishesASliceTheServerAccepts() throws IOException {
        plugins.add(PluginNode.start(plane, pluginPod(P100_NODE), P100));
        plugins.add(PluginNode.start(plane, pluginPod(H100_NODE), H100));
        for (PluginNode plugin : plugins) {
            await("ResourceSlice of " + plugin.node()).atMost(WAIT).until(() -> {
                plugin.process().assertAlive();
                return !slicesOf(plugin.node()).isEmpty();
            });
        }
        GenericKubernetesResource p100 = slicesOf(P100_NODE).get(0);
        assertEquals(P100_NODE + "-gpu.nvidia.com-", p100.getMetadata().getGenerateName());
        assertEquals("Tesla P100-PCIE-16GB", ResourceApi.stringAttribute(ResourceApi.devices(p100).get(0), "productName"));
        assertEquals(2, ResourceApi.devices(slicesOf(H100_NODE).get(0)).size());
        assertNoForbidden(Names.serviceAccountUser(DRIVER_NAMESPACE, Names.kubeletPluginServiceAccount()));
    }

    @Test
    @Order(4)
    void theControllerCountsThePublishedGpus() throws IOException {
        Pod pod = await("controller pod bound").atMost(WAIT).until(() -> admin.pods().inNamespace(DRIVER_NAMESPACE).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(Names.CONTROLLER) && p.getSpec().getNodeName() != null).findFirst(),
                Optional::isPresent).get();
        Map<String, String> env = new java.util.HashMap<>(KubeletEnv.of(pod));
        controllerHttpPort = ControlPlane.freePort();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(controllerHttpPort));
        controller = RoleProcess.start("controller", "controller", plane.serviceAccountKubeconfig(DRIVER_NAMESPACE,
                pod.getSpec().getServiceAccountName(), pod.getMetadata().getName()), env, plane.dir().resolve("logs"));
        await("controller metrics of both nodes").atMost(WAIT).untilAsserted(() -> {
            controller.assertAlive();
            String metrics = controllerMetrics();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("nvidia_dra_controller_devices{") && l.contains("node=\"" + P100_NODE + "\"")
                    && l.contains("Tesla P100-PCIE-16GB") && l.endsWith(" 1.0")), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("nvidia_dra_controller_devices{") && l.contains("node=\"" + H100_NODE + "\"")
                    && l.endsWith(" 2.0")), metrics);
        });
        assertNoForbidden(Names.serviceAccountUser(DRIVER_NAMESPACE, Names.controllerServiceAccount()));
    }

    @Test
    @Order(5)
    void thePluginOfOneNodeMayNotWriteAnotherNodesSlice() {
        Pod onP100 = pluginPod(P100_NODE);
        String token = plane.serviceAccountToken(DRIVER_NAMESPACE, onP100.getSpec().getServiceAccountName(), onP100.getMetadata().getName());
        try (KubernetesClient asP100Plugin = new KubernetesClientBuilder().withConfig(plane.config(token)).build()) {
            GenericKubernetesResource forH100 = new GenericKubernetesResource();
            forH100.setApiVersion(resources.apiVersion());
            forH100.setKind("ResourceSlice");
            forH100.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withGenerateName(H100_NODE + "-forged-").build());
            forH100.setAdditionalProperty("spec", Map.of("driver", Names.DRIVER, "nodeName", H100_NODE,
                    "pool", Map.of("name", H100_NODE, "generation", 1, "resourceSliceCount", 1)));
            KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                    () -> asP100Plugin.resource(forH100).create());
            assertTrue(refused.getMessage().contains("may only write ResourceSlices of its own node"), refused.getMessage());
        }
    }

    @Test
    @Order(6)
    void theSeedsWorkloadGetsTheP100AndIsPrepared() throws Exception {
        assertWorkloadPrepared(Files.readString(Manifests.SEED_WORKLOAD), P100_NODE, "GPU-b87512d7-c8a6-5f4b-8d3f-68183df62d66");
    }

    @Test
    @Order(7)
    void theSameWorkloadWithTheH100sNameGetsAnH100() throws Exception {
        String h100 = Files.readString(Manifests.SEED_WORKLOAD).replace("Tesla P100-PCIE-16GB", "NVIDIA H100 80GB HBM3");
        assertWorkloadPrepared(h100, H100_NODE, null);
    }

    @Test
    @Order(8)
    void aSelectorThatMatchesNothingLeavesThePodPending() throws IOException, InterruptedException {
        String typo = Files.readString(Manifests.SEED_WORKLOAD).replace("Tesla P100-PCIE-16GB", "Tesla P100-PCIE-16G");
        List<HasMetadata> objects = admin.load(new java.io.ByteArrayInputStream(typo.getBytes())).items();
        try {
            objects.forEach(o -> admin.resource(o).inNamespace("default").create());
            await("the scheduler reports the pod unschedulable").atMost(WAIT).untilAsserted(() -> {
                Pod pod = admin.pods().inNamespace("default").withName("dra-gpu-workload").get();
                Optional<PodCondition> scheduled = pod.getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals("PodScheduled")).findFirst();
                assertTrue(scheduled.isPresent() && scheduled.get().getStatus().equals("False")
                        && scheduled.get().getReason().equals("Unschedulable"), "PodScheduled: " + scheduled);
                assertTrue(scheduled.get().getMessage().contains("cannot allocate all claims"), scheduled.get().getMessage());
            });
            assertEquals(null, admin.pods().inNamespace("default").withName("dra-gpu-workload").get().getSpec().getNodeName());

            // the controller explains the claim on the claim and on the pod, where kubectl describe shows it
            Kubectl kubectl = new Kubectl(plane, plane.adminKubeconfig());
            String described = await("the controller's explanation on the claim").atMost(WAIT).until(
                    () -> kubectl.run("describe", "resourceclaim", "-n", "default"), d -> d.contains("UnsatisfiableClaim"));
            // kept for docs/troubleshooting.md, whose example is this output
            Files.writeString(Path.of("target", "seed-typo-describe-resourceclaim.txt"), described);
            assertTrue(described.contains("Warning  UnsatisfiableClaim"), described);
            assertTrue(described.contains("request gpu cannot be met: 0 of 3 devices match"), described);
            assertTrue(described.contains("did you mean 'Tesla P100-PCIE-16GB'? Per device: explain default/dra-gpu-workload-gpu-claim-"),
                    described);
            String pod = kubectl.run("describe", "pod", "dra-gpu-workload", "-n", "default");
            assertTrue(pod.contains("UnsatisfiableClaim") && pod.contains("did you mean 'Tesla P100-PCIE-16GB'?"), pod);
            await("the unsatisfiable-claims gauge").atMost(WAIT).untilAsserted(() -> assertTrue(controllerMetrics().lines()
                    .anyMatch(l -> l.startsWith("nvidia_dra_unsatisfiable_claims{reason=\"selector\"") && l.endsWith(" 1.0")), controllerMetrics()));
        } finally {
            deleteWorkload();
        }
    }

    @Test
    @Order(9)
    void aNodeThatIsDeletedLosesItsSlices() {
        PluginNode h100 = plugins.stream().filter(p -> p.node().equals(H100_NODE)).findFirst().orElseThrow();
        h100.close(); // the machine is gone, and its plugin with it
        nodes.delete(H100_NODE);
        await("the H100 node's slices removed").atMost(WAIT).untilAsserted(() -> assertEquals(List.of(), slicesOf(H100_NODE)));
        await("the controller stops counting the H100 node").atMost(WAIT).untilAsserted(() -> assertFalse(controllerMetrics().lines()
                .anyMatch(l -> l.startsWith("nvidia_dra_controller_devices{") && l.contains("node=\"" + H100_NODE + "\"")
                        && !l.endsWith(" 0.0")), "the controller still counts devices of " + H100_NODE));
    }

    @Test
    @Order(10)
    void deletingTheCrRemovesEverythingTheOperatorMade() throws IOException {
        admin.resources(NvidiaDraDriver.class).withName("default").delete();
        await("the install removed").atMost(WAIT).untilAsserted(() -> {
            operator.assertAlive();
            assertEquals(null, admin.resources(NvidiaDraDriver.class).withName("default").get());
            assertEquals(null, admin.apps().daemonSets().inNamespace(DRIVER_NAMESPACE).withName(Names.KUBELET_PLUGIN).get());
            assertEquals(null, admin.apps().deployments().inNamespace(DRIVER_NAMESPACE).withName(Names.CONTROLLER).get());
            assertFalse(resources.deviceClass(Names.GPU_DEVICE_CLASS).isPresent());
            assertEquals(null, admin.admissionRegistration().v1().validatingAdmissionPolicies().withName(Names.RESOURCE_SLICE_POLICY).get());
            assertEquals(List.of(), resources.slices(Names.DRIVER, null));
        });
        assertTrue(admin.namespaces().withName(DRIVER_NAMESPACE).get() != null, "kube-system is not the operator's to delete");
        assertNoForbidden(OPERATOR_USER);
        // the plugin and controller pods went with the DaemonSet and Deployment; kubelet gives a container 30 s, we want 5
        exitTimes.forEach((process, took) -> assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0,
                process + " took " + took.toMillis() + " ms to exit after SIGTERM"));
        assertTrue(exitTimes.containsKey("controller"), "the controller was stopped with its pod: " + exitTimes.keySet());
    }

    @Test
    @Order(11)
    void theOperatorExitsWithinFiveSecondsOfSigtermAndReleasesItsLease() {
        long start = System.nanoTime();
        assertTrue(operator.stop(5), "the operator did not exit within 5 s of SIGTERM");
        System.out.printf("operator exited %d ms after SIGTERM%n", (System.nanoTime() - start) / 1_000_000);
        var lease = admin.leases().inNamespace(OPERATOR_NAMESPACE).withName("nvidia-dra-driver-operator").get();
        String holder = lease.getSpec().getHolderIdentity();
        assertTrue(holder == null || holder.isEmpty(), "the operator's Lease is still held by " + holder);
    }

    private void assertNoForbidden(String user) throws IOException {
        List<AuditEvent> events = plane.auditEventsOf(user);
        assertFalse(events.isEmpty(), "no request of " + user + " in the audit log");
        assertEquals(List.of(), events.stream().filter(e -> e.code() == 403).map(AuditEvent::toString).toList(),
                user + " met a 403");
    }

    private String controllerMetrics() throws IOException, InterruptedException {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + controllerHttpPort + "/q/metrics"))
                .header("Accept", "text/plain;version=0.0.4").build();
        try {
            return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.net.ConnectException notListeningYet) {
            controller.assertAlive();
            return "";
        }
    }

    /**
     * Applies the workload as a user would (namespace default), waits for the claim the controller-manager makes
     * from the template to be allocated on {@code node}, then plays the kubelet: registers the plugin, prepares the
     * claim, and checks the CDI spec; deleting the pod unprepares.
     */
    private void assertWorkloadPrepared(String workload, String node, String expectedUuid) throws Exception {
        PluginNode plugin = plugins.stream().filter(p -> p.node().equals(node)).findFirst().orElseThrow();
        List<HasMetadata> objects = admin.load(new java.io.ByteArrayInputStream(workload.getBytes())).items();
        try (KubeletStandIn standIn = new KubeletStandIn(plugin)) {
            objects.forEach(o -> admin.resource(o).inNamespace("default").create());
            await("pod bound to " + node).atMost(WAIT).untilAsserted(() -> assertEquals(node,
                    admin.pods().inNamespace("default").withName("dra-gpu-workload").get().getSpec().getNodeName()));
            Pod pod = admin.pods().inNamespace("default").withName("dra-gpu-workload").get();
            String claimName = pod.getStatus().getResourceClaimStatuses().get(0).getResourceClaimName();
            GenericKubernetesResource claim = await("claim allocated").atMost(WAIT).ignoreExceptions()
                    .until(() -> resources.claim("default", claimName), c -> ResourceApi.firstResult(c) != null);
            assertEquals(node, ResourceApi.firstResult(claim).get("pool"));

            await("the controller counts the allocated GPU").atMost(WAIT).untilAsserted(() -> assertTrue(controllerMetrics().lines()
                    .anyMatch(l -> l.startsWith("nvidia_dra_controller_devices_allocated{") && l.contains("node=\"" + node + "\"")
                            && l.endsWith(" 1.0")), "nvidia_dra_controller_devices_allocated of " + node));
            assertEquals(Names.DRIVER, standIn.register().getName());
            NodePrepareResourceResponse prepared = standIn.prepare(claim);
            assertEquals("", prepared.getError());
            assertEquals(1, prepared.getDevicesCount());
            String cdiId = prepared.getDevices(0).getCdiDeviceIds(0);
            assertTrue(cdiId.startsWith("k8s.gpu.nvidia.com/claim="), cdiId);
            String spec = cdiSpecOf(plugin, claim.getMetadata().getUid());
            assertTrue(spec.contains(cdiId.substring(cdiId.indexOf('=') + 1)), "the CDI spec names the device " + cdiId + ":\n" + spec);
            if (expectedUuid != null) {
                String device = (String) ResourceApi.firstResult(claim).get("device");
                String uuid = ResourceApi.stringAttribute(slicesOf(node).stream().flatMap(s -> ResourceApi.devices(s).stream())
                        .filter(d -> device.equals(d.get("name"))).findFirst().orElseThrow(), "uuid");
                assertEquals(expectedUuid, uuid, "the allocated device " + device);
            }

            deleteWorkload();
            assertEquals("", standIn.unprepare(claim).getError());
            assertTrue(cdiSpecFiles(plugin, claim.getMetadata().getUid()).isEmpty(), "the claim's CDI spec is still there");
        } finally {
            deleteWorkload();
        }
    }

    /** As kubelet ends a pod that never ran: the API delete, then the final delete kubelet sends once containers are gone. */
    private void deleteWorkload() {
        admin.pods().inNamespace("default").withName("dra-gpu-workload").withGracePeriod(0).delete();
        admin.resources(io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaimTemplate.class).inNamespace("default")
                .withName("gpu-template").delete();
        await("workload gone").atMost(WAIT).until(() -> admin.pods().inNamespace("default").withName("dra-gpu-workload").get() == null
                && admin.resources(io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaimTemplate.class).inNamespace("default")
                .withName("gpu-template").get() == null);
    }

    private Pod pluginPod(String node) {
        return await("plugin pod on " + node).atMost(WAIT)
                .until(() -> PluginNode.podOn(admin, DRIVER_NAMESPACE, Names.KUBELET_PLUGIN, node), Optional::isPresent).get();
    }

    private List<GenericKubernetesResource> slicesOf(String node) {
        return resources.slices(Names.DRIVER, node);
    }

    private static List<Path> cdiSpecFiles(PluginNode plugin, String claimUid) throws IOException {
        if (!Files.isDirectory(plugin.cdiRoot())) {
            return List.of();
        }
        try (var files = Files.list(plugin.cdiRoot())) {
            return files.filter(f -> f.getFileName().toString().contains(claimUid)).toList();
        }
    }

    private static String cdiSpecOf(PluginNode plugin, String claimUid) throws IOException {
        List<Path> files = cdiSpecFiles(plugin, claimUid);
        assertFalse(files.isEmpty(), "no CDI spec for claim " + claimUid + " in " + plugin.cdiRoot());
        return Files.readString(files.get(0));
    }
}
