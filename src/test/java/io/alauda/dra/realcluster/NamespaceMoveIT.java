package io.alauda.dra.realcluster;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.operator.resources.Labels;
import io.alauda.dra.operator.resources.Names;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Changing {@code spec.namespace} on a running install, on the real control plane: the real DaemonSet, Deployment,
 * garbage-collector and namespace controllers delete what the operator deletes. A node must never hold plugin pods of
 * both namespaces at once, the old plugin pods must keep their ServiceAccount until they are stopped (a terminating
 * plugin unprepares claims and removes its slice as that account), and the namespace the operator created for the
 * old value must be gone at the end. Before all that, a nodeSelector that matches no node must say so in status.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamespaceMoveIT {

    private static final String OPERATOR_NAMESPACE = "nvidia-dra-driver-operator";
    private static final String FIRST = "gpu-dra-first";
    private static final String SECOND = "gpu-dra-second";
    private static final String NODE = "move-gpu-1";
    private static final Duration WAIT = Duration.ofMinutes(2);

    private KubernetesClient admin;
    private FakeNodes nodes;
    private final List<FakeKubelet> kubelets = new ArrayList<>();
    private ChildProcess operator;
    private SharedIndexInformer<Pod> pluginPods;
    /** Plugin pods that exist (created, not yet finally deleted), by node. */
    private final Map<String, Set<String>> podsOnNode = new ConcurrentHashMap<>();
    private final List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stoppedWithoutAccount = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stopped = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void install(ControlPlane plane) throws IOException {
        admin = plane.admin();
        Manifests.apply(admin, Manifests.INSTALL);
        assertEquals(List.of(), admin.resources(NvidiaDraDriver.class).list().getItems().stream()
                .map(d -> d.getMetadata().getName()).toList(), "NvidiaDraDrivers left by another suite");
        nodes = new FakeNodes(admin);
        nodes.create(NODE, Map.of("nvidia-device-enable", "pgpu-dra"));
        for (String ns : List.of(FIRST, SECOND)) {
            kubelets.add(new FakeKubelet(admin, ns, pod -> pod.getMetadata().getName().startsWith(Names.PREFIX), this::stopping));
        }
        pluginPods = admin.pods().inAnyNamespace().withLabels(Labels.selector(Labels.COMPONENT_KUBELET_PLUGIN))
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        seen(pod);
                    }

                    @Override
                    public void onUpdate(Pod old, Pod pod) {
                        seen(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknown) {
                        String node = pod.getSpec().getNodeName();
                        if (node != null) {
                            podsOnNode.getOrDefault(node, Set.of()).remove(id(pod));
                        }
                    }
                });
        operator = RoleProcess.start("operator-move", "operator",
                plane.serviceAccountKubeconfig(OPERATOR_NAMESPACE, "nvidia-dra-driver-operator", null),
                Map.of("RELATED_IMAGE_NVIDIA_DRA_DRIVER", "ghcr.io/alauda/nvidia-dra-driver:e2e", "DRA_OPERATOR_RESYNC", "2s"),
                plane.dir().resolve("logs"));
    }

    private void seen(Pod pod) {
        String node = pod.getSpec().getNodeName();
        if (node == null) {
            return;
        }
        Set<String> onNode = podsOnNode.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet());
        onNode.add(id(pod));
        if (onNode.stream().map(p -> p.substring(0, p.indexOf('/'))).distinct().count() > 1) {
            overlaps.add(node + ": " + onNode);
        }
    }

    /** As kubelet stops the container: a plugin being stopped still needs its account to clean up. */
    private void stopping(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        stopped.add(id(pod));
        if (admin.serviceAccounts().inNamespace(ns).withName(pod.getSpec().getServiceAccountName()).get() == null) {
            stoppedWithoutAccount.add(id(pod) + " (account " + pod.getSpec().getServiceAccountName() + ")");
        }
    }

    private static String id(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    @AfterAll
    void stopEverything() {
        try {
            admin.resources(NvidiaDraDriver.class).withName("move").delete();
            if (operator != null) {
                await("the CR's cleanup done").atMost(WAIT).until(() -> admin.resources(NvidiaDraDriver.class).withName("move").get() == null);
            }
        } finally {
            if (operator != null) {
                operator.stop(10);
            }
            kubelets.forEach(FakeKubelet::close);
            if (pluginPods != null) {
                pluginPods.close();
            }
            admin.nodes().withName(NODE).delete();
        }
    }

    @Test
    void movingTheInstallStopsTheOldPluginsFirstKeepsTheirAccountsToTheEndAndRemovesTheOldNamespace() {
        NvidiaDraDriver driver = new NvidiaDraDriver();
        driver.getMetadata().setName("move");
        driver.getSpec().namespace = FIRST;
        // first a selector that no node matches: installed, but Ready=False saying so, not Ready with 0/0 nodes
        driver.getSpec().nodeSelector = new LinkedHashMap<>(Map.of("nvidia-device-enable", "no-such-value"));
        admin.resource(driver).create();
        await("NoMatchingNodes").atMost(WAIT).untilAsserted(() -> {
            operator.assertAlive();
            NvidiaDraDriver current = admin.resources(NvidiaDraDriver.class).withName("move").get();
            assertNotNull(current.getStatus(), "no status yet");
            var ready = current.getStatus().conditions.stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
            assertEquals("False", ready.getStatus());
            assertEquals("NoMatchingNodes", ready.getReason(), ready.getMessage());
            assertTrue(ready.getMessage().contains("nvidia-device-enable=no-such-value"), ready.getMessage());
        });
        // merge patches carry no resourceVersion: the operator's status writes meanwhile cause no conflict
        admin.resources(NvidiaDraDriver.class).withName("move").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"nodeSelector\":{\"nvidia-device-enable\":\"pgpu-dra\"}}}");
        awaitReadyIn(FIRST);
        assertNotNull(admin.namespaces().withName(FIRST).get(), "the operator did not create " + FIRST);

        admin.resources(NvidiaDraDriver.class).withName("move").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"namespace\":\"" + SECOND + "\"}}");
        awaitReadyIn(SECOND);
        await("the namespace the operator created for the old value is gone").atMost(WAIT)
                .untilAsserted(() -> assertNull(admin.namespaces().withName(FIRST).get()));

        assertEquals(List.of(), overlaps, "a node held plugin pods of both namespaces at once");
        assertEquals(List.of(), stoppedWithoutAccount, "old plugin pods lost their ServiceAccount before they were stopped");
        assertEquals(1, stopped.stream().filter(p -> p.startsWith(FIRST + "/" + Names.KUBELET_PLUGIN)).distinct().count(),
                "the old plugin pod was not stopped: " + stopped);
    }

    private void awaitReadyIn(String namespace) {
        await("Ready in " + namespace).atMost(WAIT).untilAsserted(() -> {
            operator.assertAlive();
            NvidiaDraDriver current = admin.resources(NvidiaDraDriver.class).withName("move").get();
            assertNotNull(current.getStatus(), "no status yet");
            assertEquals(namespace, current.getStatus().namespace);
            var ready = current.getStatus().conditions.stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
            assertEquals("True", ready.getStatus(), ready.getReason() + ": " + ready.getMessage());
            assertEquals(1, admin.pods().inNamespace(namespace).withLabels(Labels.selector(Labels.COMPONENT_KUBELET_PLUGIN))
                    .list().getItems().size());
        });
    }
}
