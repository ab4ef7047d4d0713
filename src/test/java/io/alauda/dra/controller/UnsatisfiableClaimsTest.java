package io.alauda.dra.controller;

import io.alauda.dra.metrics.PrometheusText;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceClassBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.alauda.dra.controller.V1Objects.H100;
import static io.alauda.dra.controller.V1Objects.gpu;
import static io.alauda.dra.controller.V1Objects.gpuNodeLabels;
import static io.alauda.dra.controller.V1Objects.node;
import static io.alauda.dra.controller.V1Objects.pending;
import static io.alauda.dra.controller.V1Objects.slice;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller says on a pending claim why it cannot be allocated (fabric8 mock API server; the real-scheduler
 * version is SeedFlowIT's typo case): one Warning event on the claim and on its owning pod, written again only when
 * the explanation changes, and the unsatisfiable-claims gauge by cause.
 */
@EnableKubernetesMockClient(crud = true)
@SuppressWarnings("deprecation")
class UnsatisfiableClaimsTest {

    private static final Duration WAIT = ControllerRuntimeTest.WAIT;
    private static final String SEED_SELECTOR = "device.attributes['gpu.nvidia.com'].productName == 'Tesla P100-PCIE-16GB'";

    KubernetesClient client;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ControllerRuntime runtime;

    @BeforeEach
    void cluster() {
        client.resource(node("gpu-1", gpuNodeLabels())).create();
        client.resource(slice("gpu-1-gpus", "gpu-1", 1, gpu("gpu-0", H100, "80Gi"), gpu("gpu-1", H100, "80Gi"))).create();
        client.resource(new DeviceClassBuilder().withNewMetadata().withName("gpu.nvidia.com").endMetadata()
                .withNewSpec().addNewSelector().withNewCel()
                .withExpression("device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'gpu'")
                .endCel().endSelector().endSpec().build()).create();
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private void start() {
        start(ControllerRuntimeTest.settings(ResourceApiVersion.V1, "controller-0", null));
    }

    private void start(ControllerSettings settings) {
        runtime = new ControllerRuntime(client, registry, settings, Clock.systemUTC());
        runtime.start();
        ControllerRuntimeTest.awaitWatching(runtime);
    }

    private static ResourceClaim withSelector(ResourceClaim claim, String expression) {
        claim.getSpec().getDevices().getRequests().get(0).getExactly().setSelectors(List.of(
                new io.fabric8.kubernetes.api.model.resource.v1.DeviceSelectorBuilder().withNewCel().withExpression(expression)
                        .endCel().build()));
        return claim;
    }

    private List<Event> eventsOf(String namespace, String kind, String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getKind().equals(kind) && e.getInvolvedObject().getName().equals(name))
                .toList();
    }

    @Test
    void theSeedsSelectorOnAnH100ClusterGetsOneWarningOnTheClaimAndItsPodNamingWhatIsPublished() {
        ResourceClaim claim = withSelector(pending("ml", "train-gpu-x7k2p", "gpu.nvidia.com"), SEED_SELECTOR);
        claim.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withName("train").withUid("pod-uid-1").withController(true).build()));
        client.resource(claim).create();
        start();

        await().atMost(WAIT).untilAsserted(() -> {
            List<Event> onClaim = eventsOf("ml", "ResourceClaim", "train-gpu-x7k2p");
            assertEquals(1, onClaim.size(), "events on the claim: " + onClaim);
            Event event = onClaim.get(0);
            assertEquals("Warning", event.getType());
            assertEquals("UnsatisfiableClaim", event.getReason());
            String message = event.getMessage();
            assertTrue(message.startsWith("ResourceClaim ml/train-gpu-x7k2p cannot be allocated: request gpu cannot be met: "
                    + "0 of 2 devices match (2 selector false)"), message);
            assertTrue(message.contains("gpu.nvidia.com/productName is '" + H100 + "' on 2 devices"), message);
            assertTrue(message.endsWith("no device has 'Tesla P100-PCIE-16GB'. Per device: explain ml/train-gpu-x7k2p"), message);
            List<Event> onPod = eventsOf("ml", "Pod", "train");
            assertEquals(1, onPod.size(), "events on the pod: " + onPod);
            assertEquals("pod-uid-1", onPod.get(0).getInvolvedObject().getUid());
            assertEquals(message, onPod.get(0).getMessage());
            assertEquals(1.0, new PrometheusText(registry.scrape()).value("nvidia_dra_unsatisfiable_claims{reason=\"selector\"}"));
        });
        // the explanation does not change, so later passes (every 100 ms here) write nothing new
        await().during(Duration.ofSeconds(1)).atMost(WAIT)
                .until(() -> eventsOf("ml", "ResourceClaim", "train-gpu-x7k2p").size() == 1);
    }

    @Test
    void aNewExplanationIsWrittenWhenTheReasonChangesAndTheGaugeFollowsTheCause() {
        client.resource(withSelector(pending("ml", "big", "gpu.nvidia.com"), "device.attributes['gpu.nvidia.com'].productName == '" + H100 + "'"))
                .create();
        ResourceClaim big = client.resources(ResourceClaim.class).inNamespace("ml").withName("big").get();
        big.getSpec().getDevices().getRequests().get(0).getExactly().setCount(3L);
        client.resource(big).update();
        start();
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(1, eventsOf("ml", "ResourceClaim", "big").size());
            assertTrue(eventsOf("ml", "ResourceClaim", "big").get(0).getMessage()
                    .contains("3 wanted on one node, the most on one node is 2 (gpu-1)"));
            assertEquals(1.0, new PrometheusText(registry.scrape()).value("nvidia_dra_unsatisfiable_claims{reason=\"count\"}"));
        });

        // a third GPU on another node does not help a claim that wants three on one node, but the explanation changes
        client.resource(node("gpu-2", gpuNodeLabels())).create();
        client.resource(slice("gpu-2-gpus", "gpu-2", 1, gpu("gpu-0", H100, "80Gi"))).create();
        await().atMost(WAIT).untilAsserted(() -> {
            List<Event> events = eventsOf("ml", "ResourceClaim", "big");
            assertEquals(2, events.size(), "events: " + events);
            assertTrue(events.stream().anyMatch(e -> e.getMessage().contains("3 of 3 devices match")), events.toString());
        });
    }

    @Test
    void withOneClaimPerPassEveryStuckClaimStillGetsItsTurn() {
        for (String name : List.of("stuck-a", "stuck-b", "stuck-c")) {
            client.resource(withSelector(pending("ml", name, "gpu.nvidia.com"), SEED_SELECTOR)).create();
        }
        ControllerSettings base = ControllerRuntimeTest.settings(ResourceApiVersion.V1, "controller-0", null);
        start(new ControllerSettings(base.api(), base.deviceClasses(), base.nodeSelection(), base.sliceFieldSelector(),
                base.metricsInterval(), base.heartbeat(), base.cleanupInterval(), base.identity(), base.lease(),
                new ControllerSettings.ExplainSettings(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ZERO, 1)));
        await().atMost(WAIT).untilAsserted(() -> {
            for (String name : List.of("stuck-a", "stuck-b", "stuck-c")) {
                assertEquals(1, eventsOf("ml", "ResourceClaim", name).size(), name);
            }
            assertEquals(3.0, new PrometheusText(registry.scrape()).value("nvidia_dra_unsatisfiable_claims{reason=\"selector\"}"));
        });
    }

    @Test
    void aClaimThatCanBeAllocatedGetsNoEventAndAnAllocatedOneLeavesTheGauge() {
        client.resource(pending("ml", "waiting-for-a-pod", "gpu.nvidia.com")).create();
        client.resource(withSelector(pending("ml", "typo", "gpu.nvidia.com"), SEED_SELECTOR)).create();
        start();
        await().atMost(WAIT).until(() -> eventsOf("ml", "ResourceClaim", "typo").size() == 1);
        assertEquals(List.of(), eventsOf("ml", "ResourceClaim", "waiting-for-a-pod"));

        client.resources(ResourceClaim.class).inNamespace("ml").withName("typo").delete();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(
                new PrometheusText(registry.scrape()).series("nvidia_dra_unsatisfiable_claims").isEmpty(),
                () -> registry.scrape()));
        assertEquals(List.of(), eventsOf("ml", "ResourceClaim", "waiting-for-a-pod"));
    }
}
