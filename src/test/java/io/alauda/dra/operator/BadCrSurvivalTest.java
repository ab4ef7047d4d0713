package io.alauda.dra.operator;

import io.alauda.dra.operator.resources.Labels;
import io.alauda.dra.operator.resources.Names;
import io.alauda.dra.testing.BadDrivers;
import io.alauda.dra.testing.FakeCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.alauda.dra.testing.OperatorAwait.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CR the operator cannot read as its Java types (what a CRD of another version lets through; the mock accepts
 * anything) must not end its watch: before the tolerant read, each of these stopped the informer of every
 * NvidiaDraDriver for good while liveness stayed UP. Now the bad CR is refused with a condition that names the field
 * and the fix, it creates nothing, and good CRs created beside it and after it are reconciled.
 */
@QuarkusTest
@WithKubernetesTestServer(setup = FakeCluster.class)
class BadCrSurvivalTest {

    /** The name of OperatorWatchLiveness (spelled out, so that this test also runs, and fails, without it). */
    private static final String LIVENESS_CHECK = "NvidiaDraDriver operator watches";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger RUN = new AtomicInteger();

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/q/health/live")
    URL live;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void cluster() {
        FakeCluster.reset();
        if (client.nodes().withName("gpu-1").get() == null) {
            client.resource(new NodeBuilder().withNewMetadata().withName("gpu-1").withLabels(Map.of("nvidia-device-enable", "pgpu-dra"))
                    .endMetadata().build()).create();
        }
        if (client.namespaces().withName("kube-system").get() == null) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName("kube-system").endMetadata().build()).create();
        }
    }

    @AfterEach
    void deleteDrivers() {
        BadDrivers.raw(client).delete();
        await().atMost(WAIT).until(() -> BadDrivers.raw(client).list().getItems().isEmpty());
    }

    static Stream<BadDrivers.Entry> catalogue() {
        return BadDrivers.CATALOGUE.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void aBadCrIsRefusedByFieldAndGoodCrsBesideAndAfterItAreReconciled(BadDrivers.Entry entry) throws Exception {
        int run = RUN.incrementAndGet();
        String bad = "bad-" + run;
        String good = "good-" + run;
        BadDrivers.raw(client).resource(BadDrivers.object(bad, entry.spec())).create();

        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> ready = BadDrivers.condition(BadDrivers.raw(client).withName(bad).get(), "Ready");
            assertNotNull(ready, "the bad CR got no Ready condition: its watch event was not read");
            assertEquals("False", ready.get("status"));
            assertEquals("InvalidSpec", ready.get("reason"));
            String message = String.valueOf(ready.get("message"));
            assertTrue(message.contains(entry.field()), () -> "the condition does not name " + entry.field() + ": " + message);
            assertTrue(message.contains(entry.fix()), () -> "the condition does not say '" + entry.fix() + "': " + message);
        });
        assertNull(daemonSet(), "a refused spec created the kubelet-plugin DaemonSet");

        // a good CR created while the bad one exists: the watch still delivers it (it is a duplicate of the older bad one)
        BadDrivers.raw(client).resource(BadDrivers.object(good, "{}")).create();
        await().atMost(WAIT).untilAsserted(() -> assertEquals("Duplicate", reason(good)));

        // the bad CR goes (its cleanup runs and removes the finalizer), and the good one takes over and installs
        BadDrivers.raw(client).withName(bad).delete();
        await().atMost(WAIT).until(() -> BadDrivers.raw(client).withName(bad).get() == null);
        await().atMost(WAIT).untilAsserted(() -> {
            String reason = reason(good);
            assertTrue("RollingOut".equals(reason) || "Installed".equals(reason), "good CR after the bad one went: " + reason);
            assertNotNull(daemonSet());
            assertEquals(good, daemonSet().getMetadata().getLabels().get(Labels.OWNER));
        });
        assertLiveUp();
    }

    @Test
    void aBadSpecOnTheActiveCrLeavesItsInstallAsItWas() throws Exception {
        String name = "live-" + RUN.incrementAndGet();
        BadDrivers.raw(client).resource(BadDrivers.object(name, "{}")).create();
        await().atMost(WAIT).untilAsserted(() -> assertNotNull(daemonSet()));
        await().atMost(WAIT).untilAsserted(() -> assertEquals("RollingOut", reason(name)));
        DaemonSet before = daemonSet();

        GenericKubernetesResource edited = BadDrivers.raw(client).withName(name).get();
        edited.getAdditionalProperties().put("spec", Map.of("logLevel", "VERBOSE", "kubeletPlugin", Map.of("priority", 5)));
        BadDrivers.raw(client).resource(edited).update();

        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> degraded = BadDrivers.condition(BadDrivers.raw(client).withName(name).get(), "Degraded");
            assertNotNull(degraded);
            assertEquals("InvalidSpec", degraded.get("reason"));
            String message = String.valueOf(degraded.get("message"));
            assertTrue(message.contains("spec.logLevel") && message.contains("spec.kubeletPlugin.priority"), message);
            assertTrue(message.contains("Nothing was changed on the cluster"), message);
        });
        DaemonSet after = daemonSet();
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion(),
                "the DaemonSet was written for a refused spec");
        assertLiveUp();
    }

    @Test
    void aStatusAndTopLevelFieldsFromANewerOperatorDoNotStopTheWatchAndTheStatusIsRewritten() throws Exception {
        String name = "newer-" + RUN.incrementAndGet();
        GenericKubernetesResource object = BadDrivers.object(name, "{}");
        object.getAdditionalProperties().put("rollout", Map.of("paused", false));
        BadDrivers.raw(client).resource(object).create();
        await().atMost(WAIT).untilAsserted(() -> assertEquals("RollingOut", reason(name)));

        GenericKubernetesResource current = BadDrivers.raw(client).withName(name).get();
        current.getAdditionalProperties().put("status", Map.of("phase", "Running", "nodes", "2/2",
                "conditions", java.util.List.of(Map.of("type", "Ready", "status", "True", "reason", "FromTheFuture",
                        "lastTransitionTime", "2030-01-01T00:00:00Z", "message", "written by a newer operator"))));
        BadDrivers.raw(client).resource(current).updateStatus();

        await().atMost(WAIT).untilAsserted(() -> {
            GenericKubernetesResource now = BadDrivers.raw(client).withName(name).get();
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) now.getAdditionalProperties().get("status");
            assertFalse(status.containsKey("phase"), "the unreadable status was not rewritten: " + status);
            assertEquals("RollingOut", reason(name));
        });
        // and the watch still works: a second CR is seen
        String second = "second-" + RUN.incrementAndGet();
        BadDrivers.raw(client).resource(BadDrivers.object(second, "{}")).create();
        await().atMost(WAIT).untilAsserted(() -> assertEquals("Duplicate", reason(second)));
        assertLiveUp();
    }

    private String reason(String name) {
        Map<String, Object> ready = BadDrivers.condition(BadDrivers.raw(client).withName(name).get(), "Ready");
        return ready == null ? null : String.valueOf(ready.get("reason"));
    }

    private DaemonSet daemonSet() {
        return client.apps().daemonSets().inNamespace("kube-system").withName(Names.KUBELET_PLUGIN).get();
    }

    private void assertLiveUp() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(live.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains(LIVENESS_CHECK), "no watch check in " + response.body());
    }
}
