package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.LogLevel;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.operator.resources.DesiredState;
import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.operator.resources.Labels;
import io.alauda.dra.operator.resources.Names;
import io.alauda.dra.testing.FakeCluster;
import io.alauda.dra.testing.FakeWorkloadController;
import io.alauda.dra.testing.TestDrivers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.alauda.dra.testing.OperatorAwait.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator, running in Quarkus, against the fabric8 mock API server in CRUD mode. The mock runs no
 * controllers, so {@link FakeWorkloadController} writes DaemonSet and Deployment status as a cluster would.
 */
@QuarkusTest
@WithKubernetesTestServer(setup = FakeCluster.class)
class OperatorReconcileTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @KubernetesTestServer
    KubernetesServer mock;

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    NvidiaDraDriverReconciler reconciler;

    private static final AtomicInteger DRIVERS = new AtomicInteger();

    private FakeWorkloadController workloads;
    /**
     * A new NvidiaDraDriver name in every test. Re-creating a CR under the name just deleted is covered on purpose
     * (aStaleCleanup…); elsewhere it would let JOSDK's per-name state from the last test leak into the next.
     */
    private String name;

    @BeforeEach
    void start() {
        FakeCluster.reset();
        name = "driver-" + DRIVERS.incrementAndGet();
        client.nodes().delete(); // what a failed test left behind must not fail the next one
        client.pods().inNamespace("kube-system").delete();
        workloads = new FakeWorkloadController(client);
        node("gpu-1", Map.of("nvidia-device-enable", "pgpu-dra"));
        node("gpu-2", Map.of("nvidia-device-enable", "pgpu-dra"));
        node("cpu-1", Map.of());
        if (client.namespaces().withName("kube-system").get() == null) {
            client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("kube-system")
                    .endMetadata().build()).create();
        }
    }

    @AfterEach
    void cleanUp() {
        workloads.close();
        client.resources(NvidiaDraDriver.class).delete();
        await().atMost(WAIT).until(() -> client.resources(NvidiaDraDriver.class).list().getItems().isEmpty());
        client.nodes().delete();
        client.pods().inNamespace("kube-system").delete();
    }

    @Test
    void installsEverythingAndTurnsReadyOnceTheWorkloadsAreUp() {
        workloads.pause(true);
        create(TestDrivers.withDefaults(name));
        InstallContext ctx = contextFor(name);
        await().atMost(WAIT).untilAsserted(() -> {
            for (HasMetadata desired : DesiredState.build(ctx)) {
                assertNotNull(client.resource(desired).get(), desired.getKind() + " " + desired.getMetadata().getName() + " missing");
            }
        });
        await().atMost(WAIT).untilAsserted(() -> {
            Condition ready = condition(name, "Ready");
            assertEquals("False", ready.getStatus(), () -> workloadsState());
            assertEquals("RollingOut", ready.getReason());
            assertEquals("True", condition(name, "Progressing").getStatus());
        });
        workloads.pause(false);
        workloads.settleAll();
        await().atMost(WAIT).untilAsserted(() -> {
            var status = status(name);
            assertEquals("True", condition(name, "Ready").getStatus(), () -> String.valueOf(status.conditions));
            assertEquals("Installed", condition(name, "Ready").getReason());
            assertEquals("False", condition(name, "Degraded").getStatus());
            assertEquals("False", condition(name, "Progressing").getStatus());
            assertNotNull(status.nodes, "no node counts in status yet");
            assertEquals(2, status.nodes.selected);
            assertEquals(2, status.nodes.ready);
            assertEquals("2/2", status.nodes.summary);
            assertEquals("v1.34.2", status.kubernetesVersion);
            assertEquals(List.of("v1", "v1beta2", "v1beta1"), status.servedResourceApiVersions);
            assertEquals("v1", status.resourceApiVersion);
            assertNotNull(status.kubeletPlugin, "no plugin rollout in status yet");
            assertNotNull(status.controller, "no controller rollout in status yet");
            assertEquals(2, status.kubeletPlugin.available);
            assertEquals(1, status.controller.available);
        });
    }

    @Test
    void aSpecChangeRollsOutToTheDaemonSet() {
        create(TestDrivers.withDefaults(name));
        awaitReady(name);
        NvidiaDraDriver driver = get(name);
        driver.getSpec().logLevel = LogLevel.DEBUG;
        driver.getSpec().driverRoot = "/run/nvidia/driver";
        client.resource(driver).update();
        await().atMost(WAIT).untilAsserted(() -> {
            DaemonSet ds = daemonSet();
            var env = ds.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
            assertTrue(env.stream().anyMatch(e -> e.getName().equals("QUARKUS_LOG_LEVEL") && e.getValue().equals("DEBUG")));
            assertTrue(ds.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .anyMatch(v -> v.getHostPath() != null && v.getHostPath().getPath().equals("/run/nvidia/driver")));
        });
    }

    @Test
    void objectsEditedOrDeletedByHandArePutBack() {
        create(TestDrivers.withDefaults(name));
        awaitReady(name);
        client.resources(DeviceClass.class).withName(Names.GPU_DEVICE_CLASS).delete();
        DaemonSet ds = daemonSet();
        ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil.example.com/miner:latest");
        client.resource(ds).update();
        await().atMost(WAIT).untilAsserted(() -> {
            assertNotNull(client.resources(DeviceClass.class).withName(Names.GPU_DEVICE_CLASS).get(), "DeviceClass recreated");
            assertEquals("registry.example.com/nvidia-dra-driver:test",
                    daemonSet().getSpec().getTemplate().getSpec().getContainers().get(0).getImage(), "image restored");
        });
    }

    @Test
    void aStaleCleanupOfADeletedDriverLeavesTheRecreatedOnesInstallAlone() throws InterruptedException {
        create(TestDrivers.withDefaults(name));
        awaitReady(name);
        // What JOSDK hands the cleaner when it retries for a CR that was deleted and then created again by name
        NvidiaDraDriver deleted = get(name);
        deleted.getMetadata().setUid("00000000-0000-0000-0000-00000000dead");
        deleted.getMetadata().setDeletionTimestamp("2026-11-26T00:00:00Z");
        drainRequests();

        DeleteControl control = reconciler.cleanup(deleted, null);

        List<String> deletes = drainRequests().stream().filter(r -> r.getMethod().equals("DELETE")).map(RecordedRequest::getPath).toList();
        assertEquals(List.of(), deletes, "a cleanup for the deleted CR removed objects of the new one");
        assertFalse(control.isRemoveFinalizer(), "the finalizer of the new CR is not the stale cleanup's to remove");
        assertNotNull(daemonSet());
    }

    @Test
    void aCleanupForADriverThatIsGoneAlreadyEndsWithoutWrites() throws InterruptedException {
        create(TestDrivers.withDefaults(name));
        awaitReady(name);
        NvidiaDraDriver gone = TestDrivers.withDefaults("removed");
        gone.getMetadata().setUid("00000000-0000-0000-0000-00000000dead");
        drainRequests();

        DeleteControl control = reconciler.cleanup(gone, null);

        assertFalse(control.isRemoveFinalizer(), "there is no object left to remove a finalizer from");
        assertEquals(List.of(), drainRequests().stream().filter(r -> !r.getMethod().equals("GET"))
                .map(r -> r.getMethod() + " " + r.getPath()).filter(r -> !r.contains("/leases/")).toList());
    }

    @Test
    void aReconcileWithNothingToChangeWritesNothing() throws InterruptedException {
        create(TestDrivers.withDefaults(name));
        awaitReady(name);
        double before = reconciles();
        drainRequests();
        // resync is 2s in tests: wait for two full reconciles of the settled install
        await().atMost(WAIT).until(() -> reconciles() >= before + 2);
        List<String> writes = new ArrayList<>();
        for (RecordedRequest r : drainRequests()) {
            if (!r.getMethod().equals("GET")) {
                writes.add(r.getMethod() + " " + r.getPath());
            }
        }
        assertEquals(List.of(), writes, "a reconcile with nothing to change must not write");
    }

    @Test
    void deletingTheCrRemovesEverythingItCreatedDaemonSetFirst() throws InterruptedException {
        create(TestDrivers.withDefaults(name));
        awaitReady(name);
        InstallContext ctx = contextFor(name);
        drainRequests();
        client.resources(NvidiaDraDriver.class).withName(name).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            for (HasMetadata desired : DesiredState.build(ctx)) {
                assertNull(client.resource(desired).get(), desired.getKind() + " " + desired.getMetadata().getName() + " left behind");
            }
        });
        List<String> deletes = drainRequests().stream().filter(r -> r.getMethod().equals("DELETE"))
                .map(RecordedRequest::getPath).filter(p -> !p.contains("nvidiadradrivers")).toList();
        assertFalse(deletes.isEmpty());
        assertTrue(deletes.get(0).contains("/daemonsets/" + Names.KUBELET_PLUGIN), "DaemonSet goes first, got " + deletes);
        assertNotNull(client.namespaces().withName("kube-system").get(), "a namespace the operator did not create is never deleted");
    }

    @Test
    void onlyTheOldestDriverActsAndTheOtherSaysDuplicate() {
        create(TestDrivers.withDefaults(name));
        awaitReady(name);
        create(TestDrivers.withDefaults("second"));
        await().atMost(WAIT).untilAsserted(() -> {
            Condition ready = condition("second", "Ready");
            assertEquals("False", ready.getStatus());
            assertEquals("Duplicate", ready.getReason());
            assertTrue(ready.getMessage().contains(name), ready.getMessage());
        });
        assertEquals(name, daemonSet().getMetadata().getLabels().get(Labels.OWNER), "the duplicate took nothing over");
        client.resources(NvidiaDraDriver.class).withName("second").delete();
        await().atMost(WAIT).until(() -> client.resources(NvidiaDraDriver.class).withName("second").get() == null);
        assertNotNull(daemonSet(), "deleting the duplicate removes nothing of the active install");
    }

    @Test
    void aClusterTooOldForDraGetsDegradedWithTheFixAndNoObjects() {
        FakeCluster.kubernetesMinor("31");
        create(TestDrivers.withDefaults(name));
        await().atMost(WAIT).untilAsserted(() -> {
            Condition degraded = condition(name, "Degraded");
            assertEquals("True", degraded.getStatus());
            assertEquals("KubernetesTooOld", degraded.getReason());
            assertTrue(degraded.getMessage().contains("1.32 or newer"), degraded.getMessage());
        });
        assertNull(daemonSet());
    }

    @Test
    void dRANotServedNamesTheFlagsForThatVersion() {
        FakeCluster.kubernetesMinor("33");
        FakeCluster.servedResourceVersions(List.of());
        create(TestDrivers.withDefaults(name));
        await().atMost(WAIT).untilAsserted(() -> {
            Condition degraded = condition(name, "Degraded");
            assertEquals("DRANotServed", degraded.getReason());
            assertTrue(degraded.getMessage().contains("--runtime-config=resource.k8s.io/v1beta1=true,resource.k8s.io/v1beta2=true"),
                    degraded.getMessage());
        });
        assertNull(daemonSet());
    }

    @Test
    void olderServersGetDeviceClassesInTheirNewestVersion() {
        FakeCluster.kubernetesMinor("32");
        FakeCluster.servedResourceVersions(List.of("v1beta1"));
        create(TestDrivers.withDefaults(name));
        await().atMost(WAIT).untilAsserted(() -> {
            var dc = client.resources(io.fabric8.kubernetes.api.model.resource.v1beta1.DeviceClass.class)
                    .withName(Names.GPU_DEVICE_CLASS).get();
            assertNotNull(dc);
            assertEquals("resource.k8s.io/v1beta1", dc.getApiVersion());
            assertEquals("v1beta1", status(name).resourceApiVersion);
        });
    }

    @Test
    void nodesClaimedByAnotherGpuStackAreListedWarnedAboutAndGetNoPlugin() {
        node("gpu-hami", Map.of("nvidia-device-enable", "pgpu-dra", "gpu", "on"));
        create(TestDrivers.withDefaults(name));
        await().atMost(WAIT).untilAsserted(() -> {
            var nodes = status(name).nodes;
            assertNotNull(nodes, "no node counts in status yet");
            assertEquals(3, nodes.selected);
            assertEquals(1, nodes.conflicting);
            assertEquals(List.of("gpu-hami"), nodes.conflictingNodes);
            assertEquals(2, nodes.ready, "the plugin runs on the two clean GPU nodes only");
            assertEquals("2/2", nodes.summary);
            Condition degraded = condition(name, "Degraded");
            assertEquals("NodeLabelConflict", degraded.getReason());
            assertTrue(degraded.getMessage().contains("gpu-hami"));
            assertTrue(client.v1().events().inNamespace("default").list().getItems().stream()
                    .anyMatch(e -> "Warning".equals(e.getType()) && "NodeLabelConflict".equals(e.getReason())
                            && e.getMessage().contains("gpu-hami")));
        });
    }

    @Test
    void aNodeSelectorThatMatchesNoNodeTurnsReadyFalseNamingTheSelectorAndTheLabelToSet() {
        NvidiaDraDriver driver = TestDrivers.withDefaults(name);
        driver.getSpec().nodeSelector = new java.util.LinkedHashMap<>(Map.of("gpu-vendor", "nvidia"));
        create(driver);
        await().atMost(WAIT).untilAsserted(() -> {
            Condition ready = condition(name, "Ready");
            assertEquals("False", ready.getStatus());
            assertEquals("NoMatchingNodes", ready.getReason());
            assertTrue(ready.getMessage().contains("spec.nodeSelector gpu-vendor=nvidia"), ready.getMessage());
            assertTrue(ready.getMessage().contains("kubectl label node <node> gpu-vendor=nvidia"), ready.getMessage());
            assertEquals("0/0", status(name).nodes.summary);
        });
        node("gpu-3", Map.of("gpu-vendor", "nvidia"));
        awaitReady(name);
    }

    @Test
    void anInvalidSpecIsReportedByFieldAndLeavesTheInstallRunning() {
        create(TestDrivers.withDefaults(name));
        awaitReady(name);
        NvidiaDraDriver driver = get(name);
        driver.getSpec().driverRoot = "run/nvidia/../driver";
        driver.getSpec().featureGates = Map.of("NoSuchGate", true);
        client.resource(driver).update();
        await().atMost(WAIT).untilAsserted(() -> {
            Condition degraded = condition(name, "Degraded");
            assertEquals("InvalidSpec", degraded.getReason());
            assertTrue(degraded.getMessage().contains("spec.driverRoot"), degraded.getMessage());
            assertTrue(degraded.getMessage().contains("spec.featureGates.NoSuchGate"), degraded.getMessage());
            assertTrue(degraded.getMessage().contains("TimeSlicingSettings"), "the known gates are listed: " + degraded.getMessage());
        });
        DaemonSet ds = daemonSet();
        assertNotNull(ds, "an invalid spec never removes what was installed");
        assertTrue(ds.getSpec().getTemplate().getSpec().getVolumes().stream()
                .noneMatch(v -> v.getHostPath() != null && v.getHostPath().getPath().contains("..")));
    }

    @Test
    void anInstallUnderTheOldNamesIsTakenOverWithoutEverTwoPluginsOnANode() throws InterruptedException {
        List<HasMetadata> previous = previousRelease(name);
        previous.forEach(o -> client.resource(o).create());
        Pod onGpu1 = client.resource(pod(Names.Legacy.KUBELET_PLUGIN + "-7xk2p", "gpu-1", Labels.COMPONENT_KUBELET_PLUGIN,
                "DaemonSet", Names.Legacy.KUBELET_PLUGIN, Names.Legacy.KUBELET_PLUGIN_SERVICE_ACCOUNT)).create();
        Pod onGpu2 = client.resource(pod(Names.Legacy.KUBELET_PLUGIN + "-q9v4m", "gpu-2", Labels.COMPONENT_KUBELET_PLUGIN,
                "DaemonSet", Names.Legacy.KUBELET_PLUGIN, Names.Legacy.KUBELET_PLUGIN_SERVICE_ACCOUNT)).create();
        Pod oldController = client.resource(pod(Names.Legacy.CONTROLLER + "-5d9f8c7b6-t8wzr", "cpu-1", Labels.COMPONENT_CONTROLLER,
                "ReplicaSet", Names.Legacy.CONTROLLER + "-5d9f8c7b6", Names.Legacy.CONTROLLER_SERVICE_ACCOUNT)).create();

        create(TestDrivers.withDefaults(name));

        // The old workloads go at once; everything new but the DaemonSet is installed; the old accounts, roles and
        // policy stay for the old pods, which still run.
        await().atMost(WAIT).untilAsserted(() -> {
            assertNull(client.apps().daemonSets().inNamespace("kube-system").withName(Names.Legacy.KUBELET_PLUGIN).get());
            assertNull(client.apps().deployments().inNamespace("kube-system").withName(Names.Legacy.CONTROLLER).get());
            assertNull(client.services().inNamespace("kube-system").withName(Names.Legacy.KUBELET_PLUGIN_METRICS).get());
            assertNull(client.services().inNamespace("kube-system").withName(Names.Legacy.CONTROLLER_METRICS).get());
            assertNotNull(client.apps().deployments().inNamespace("kube-system").withName(Names.CONTROLLER).get());
            assertNotNull(client.serviceAccounts().inNamespace("kube-system").withName(Names.kubeletPluginServiceAccount()).get());
            Condition ready = condition(name, "Ready");
            assertEquals("False", ready.getStatus());
            assertEquals("WaitingForOldPlugin", ready.getReason());
            assertTrue(ready.getMessage().contains("kube-system/" + onGpu1.getMetadata().getName() + " on gpu-1"), ready.getMessage());
            assertTrue(ready.getMessage().contains("kube-system/" + onGpu2.getMetadata().getName() + " on gpu-2"), ready.getMessage());
            assertEquals("WaitingForOldPlugin", condition(name, "Progressing").getReason());
            assertEquals("True", condition(name, "Progressing").getStatus());
        });
        double before = reconciles();
        await().atMost(WAIT).until(() -> reconciles() >= before + 2);
        assertNull(daemonSet(), "the new DaemonSet started while old plugin pods still run");
        assertLegacyAccountsAndRolesRemain();

        // kubelet has stopped the old plugin on gpu-1: gpu-2 still runs one, so still no new DaemonSet anywhere
        client.resource(onGpu1).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            String message = condition(name, "Ready").getMessage();
            assertFalse(message.contains(onGpu1.getMetadata().getName()), message);
            assertTrue(message.contains(onGpu2.getMetadata().getName()), message);
        });
        assertNull(daemonSet(), "the new DaemonSet started while an old plugin pod still runs on gpu-2");

        client.resource(onGpu2).delete();
        await().atMost(WAIT).untilAsserted(() -> assertNotNull(daemonSet(), "no new DaemonSet once the old plugin pods are gone"));
        double afterDaemonSet = reconciles();
        await().atMost(WAIT).until(() -> reconciles() >= afterDaemonSet + 2);
        assertLegacyAccountsAndRolesRemain(); // the old controller pod still runs as its account

        client.resource(oldController).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            for (HasMetadata old : previous) {
                assertNull(client.resource(old).get(), old.getKind() + " " + old.getMetadata().getName() + " of the previous install left behind");
            }
        });
        awaitReady(name);
        assertEquals(Names.kubeletPluginServiceAccount(), daemonSet().getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    @Test
    @org.junit.jupiter.api.Disabled("flaky against the mock: once in three full runs (2026-12-03) no reconcile followed the "
            + "DaemonSet's deletion for a minute and the reason stayed Installed; passes alone. To be proven on the real "
            + "control plane instead, where watches replay")
    void aPluginDaemonSetDeletedWithoutWaitingForItsPodsComesBackOnlyOnceTheyAreGone() {
        create(TestDrivers.withDefaults(name));
        awaitReady(name);
        Pod running = client.resource(pod(Names.KUBELET_PLUGIN + "-h5r2n", "gpu-1", Labels.COMPONENT_KUBELET_PLUGIN,
                "DaemonSet", Names.KUBELET_PLUGIN, Names.kubeletPluginServiceAccount())).create();
        // kubectl delete's default: the DaemonSet goes at once, its pods after it
        client.apps().daemonSets().inNamespace("kube-system").withName(Names.KUBELET_PLUGIN)
                .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            Condition ready = condition(name, "Ready");
            assertEquals("WaitingForOldPlugin", ready.getReason());
            assertTrue(ready.getMessage().contains(running.getMetadata().getName() + " on gpu-1"), ready.getMessage());
        });
        assertNull(daemonSet(), "the DaemonSet came back while the deleted one's pod still runs");

        client.resource(running).delete();
        await().atMost(WAIT).untilAsserted(() -> assertNotNull(daemonSet(), "the DaemonSet is put back once the pod is gone"));
        awaitReady(name);
    }

    @Test
    void deletingTheCrWhileTheOldPluginStopsRemovesTheOldObjectsToo() {
        List<HasMetadata> previous = previousRelease(name);
        previous.forEach(o -> client.resource(o).create());
        client.resource(pod(Names.Legacy.KUBELET_PLUGIN + "-7xk2p", "gpu-1", Labels.COMPONENT_KUBELET_PLUGIN,
                "DaemonSet", Names.Legacy.KUBELET_PLUGIN, Names.Legacy.KUBELET_PLUGIN_SERVICE_ACCOUNT)).create();
        create(TestDrivers.withDefaults(name));
        await().atMost(WAIT).untilAsserted(() -> assertEquals("WaitingForOldPlugin", condition(name, "Ready").getReason()));

        client.resources(NvidiaDraDriver.class).withName(name).delete();

        await().atMost(WAIT).untilAsserted(() -> {
            assertNull(get(name));
            for (HasMetadata old : previous) {
                assertNull(client.resource(old).get(), old.getKind() + " " + old.getMetadata().getName() + " left behind");
            }
            for (HasMetadata desired : DesiredState.build(contextForDeleted(name))) {
                assertNull(client.resource(desired).get(), desired.getKind() + " " + desired.getMetadata().getName() + " left behind");
            }
        });
    }

    // --- helpers

    /**
     * What an operator from before the rename created for this CR: today's objects under the old names. DeviceClasses
     * kept their names, so they are not part of it, and the plugin's pod-status Role came after the rename.
     */
    private static List<HasMetadata> previousRelease(String name) {
        InstallContext ctx = new InstallContext(TestDrivers.withDefaults(name), "registry.example.com/nvidia-dra-driver:previous", "v1", false);
        List<HasMetadata> objects = new ArrayList<>();
        for (HasMetadata object : DesiredState.build(ctx)) {
            if (object.getMetadata().getName().equals(Names.GPU_DEVICE_CLASS) || object.getMetadata().getName().equals(Names.MIG_DEVICE_CLASS)
                    || object.getMetadata().getName().equals(Names.KUBELET_PLUGIN_POD_STATUS)) {
                continue;
            }
            String json = Serialization.asJson(object)
                    .replace(Names.kubeletPluginServiceAccount(), Names.Legacy.KUBELET_PLUGIN_SERVICE_ACCOUNT)
                    .replace(Names.controllerServiceAccount(), Names.Legacy.CONTROLLER_SERVICE_ACCOUNT)
                    .replace("\"" + Names.PREFIX, "\"" + Names.LEGACY_PREFIX)
                    .replace(":" + Names.PREFIX, ":" + Names.LEGACY_PREFIX);
            HasMetadata old = Serialization.unmarshal(json, object.getClass());
            old.getMetadata().setOwnerReferences(null);
            objects.add(old);
        }
        assertTrue(objects.stream().anyMatch(o -> o instanceof DaemonSet && o.getMetadata().getName().equals(Names.Legacy.KUBELET_PLUGIN)));
        assertTrue(objects.stream().noneMatch(o -> Serialization.asJson(o).contains(Names.PREFIX)), "a new name left in " + objects);
        return objects;
    }

    private static Pod pod(String podName, String node, String component, String ownerKind, String ownerName, String account) {
        return new PodBuilder()
                .withNewMetadata().withName(podName).withNamespace("kube-system").withLabels(Labels.selector(component))
                .addNewOwnerReference().withApiVersion("apps/v1").withKind(ownerKind).withName(ownerName)
                .withUid("00000000-0000-0000-0000-0000000000aa").withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName(node).withServiceAccountName(account)
                .addNewContainer().withName(component).withImage("registry.example.com/nvidia-dra-driver:previous").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").endStatus()
                .build();
    }

    private void assertLegacyAccountsAndRolesRemain() {
        for (String account : Names.Legacy.SERVICE_ACCOUNTS) {
            assertNotNull(client.serviceAccounts().inNamespace("kube-system").withName(account).get(), account + " removed while pods run as it");
        }
        assertNotNull(client.rbac().clusterRoles().withName(Names.Legacy.KUBELET_PLUGIN).get());
        assertNotNull(client.rbac().clusterRoleBindings().withName(Names.Legacy.KUBELET_PLUGIN).get());
        assertNotNull(client.admissionRegistration().v1().validatingAdmissionPolicies().withName(Names.Legacy.RESOURCE_SLICE_POLICY).get());
    }

    private InstallContext contextForDeleted(String name) {
        return new InstallContext(TestDrivers.withDefaults(name), "registry.example.com/nvidia-dra-driver:test", "v1", false);
    }

    private void create(NvidiaDraDriver driver) {
        driver.getMetadata().setUid(null);
        driver.getMetadata().setGeneration(null);
        client.resource(driver).create();
    }

    private NvidiaDraDriver get(String name) {
        return client.resources(NvidiaDraDriver.class).withName(name).get();
    }

    private InstallContext contextFor(String name) {
        return new InstallContext(get(name), "registry.example.com/nvidia-dra-driver:test", "v1", false);
    }

    private DaemonSet daemonSet() {
        return client.apps().daemonSets().inNamespace("kube-system").withName(Names.KUBELET_PLUGIN).get();
    }

    private io.alauda.dra.api.v1alpha1.NvidiaDraDriverStatus status(String name) {
        NvidiaDraDriver driver = get(name);
        assertNotNull(driver, name + " does not exist");
        assertNotNull(driver.getStatus(), "no status yet");
        return driver.getStatus();
    }

    private Condition condition(String name, String type) {
        NvidiaDraDriver driver = get(name);
        assertNotNull(driver.getStatus(), "no status yet");
        return driver.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " condition in " + driver.getStatus().conditions));
    }

    private void awaitReady(String name) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals("True", condition(name, "Ready").getStatus(),
                () -> get(name).getStatus().conditions + "\n" + workloadsState()));
    }

    private String workloadsState() {
        var deployment = client.apps().deployments().inNamespace("kube-system").withName(Names.CONTROLLER).get();
        DaemonSet ds = daemonSet();
        return "DaemonSet generation " + (ds == null ? null : ds.getMetadata().getGeneration() + " status " + ds.getStatus())
                + "\nDeployment generation " + (deployment == null ? null : deployment.getMetadata().getGeneration() + " status "
                + deployment.getStatus()) + "\nnodes " + client.nodes().list().getItems().size();
    }

    private void node(String name, Map<String, String> labels) {
        client.resource(new NodeBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build()).build())
                .create();
    }

    private double reconciles() {
        double started = registry.getMeters().stream().filter(m -> m.getId().getName().contains("reconciliations.started"))
                .flatMap(m -> java.util.stream.StreamSupport.stream(m.measure().spliterator(), false))
                .mapToDouble(ms -> ms.getValue()).sum();
        assertTrue(registry.getMeters().stream().anyMatch(m -> m.getId().getName().contains("reconciliations.started")),
                () -> "no reconciliations.started meter among " + registry.getMeters().stream().map(m -> m.getId().getName()).toList());
        return started;
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest r;
        while ((r = mock.getKubernetesMockServer().takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            requests.add(r);
        }
        return requests;
    }
}
