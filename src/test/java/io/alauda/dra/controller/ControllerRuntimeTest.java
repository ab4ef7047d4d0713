package io.alauda.dra.controller;

import io.alauda.dra.metrics.PrometheusText;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.alauda.dra.controller.V1Objects.H100;
import static io.alauda.dra.controller.V1Objects.allNodesSlice;
import static io.alauda.dra.controller.V1Objects.allocated;
import static io.alauda.dra.controller.V1Objects.gpu;
import static io.alauda.dra.controller.V1Objects.gpuNodeLabels;
import static io.alauda.dra.controller.V1Objects.node;
import static io.alauda.dra.controller.V1Objects.otherDriverSlice;
import static io.alauda.dra.controller.V1Objects.pending;
import static io.alauda.dra.controller.V1Objects.result;
import static io.alauda.dra.controller.V1Objects.slice;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The controller runtime against the fabric8 mock API server in CRUD mode: informers, gauges, the stale-slice
 * cleanup with its event. The mock answers field selectors it does not know with nothing, so the slice informer
 * runs without one here (the client-side driver check stays).
 */
@EnableKubernetesMockClient(crud = true)
@SuppressWarnings("deprecation")
class ControllerRuntimeTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GPU_1 = "{device_type=\"gpu\",node=\"gpu-1\",product=\"" + H100 + "\"}";
    private static final String GPU_2 = "{device_type=\"gpu\",node=\"gpu-2\",product=\"" + H100 + "\"}";

    KubernetesClient client;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<ControllerRuntime> runtimes = new ArrayList<>();

    static ControllerSettings settings(ResourceApiVersion api, String identity, LeaseSettings lease) {
        return new ControllerSettings(api, ControllerSettings.DEFAULT_DEVICE_CLASSES,
                NodeSelection.parse("nvidia-device-enable=pgpu-dra", "gpu=on"), false,
                Duration.ofMillis(50), Duration.ofSeconds(30), Duration.ofMinutes(5), identity, lease,
                new ControllerSettings.ExplainSettings(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(200), 50));
    }

    private ControllerRuntime start(ResourceApiVersion api) {
        ControllerRuntime runtime = new ControllerRuntime(client, registry, settings(api, "controller-0", null), Clock.systemUTC());
        runtimes.add(runtime);
        runtime.start();
        awaitWatching(runtime);
        return runtime;
    }

    @AfterEach
    void stop() {
        runtimes.forEach(ControllerRuntime::close);
    }

    /**
     * The mock API server replays no events from a resourceVersion: a change made after an informer's list but
     * before its watch is open is never seen (a real API server would send it). Tests change objects only once
     * every watch is open.
     */
    static void awaitWatching(ControllerRuntime runtime) {
        await().atMost(WAIT).until(runtime::watching);
    }

    private PrometheusText scrape() {
        return new PrometheusText(registry.scrape());
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T create(T object) {
        return client.resource(object).create();
    }

    @Test
    void followsSlicesClaimsAndNodesAsTheyChange() {
        create(node("gpu-1", gpuNodeLabels()));
        create(node("cpu-1", Map.of()));
        create(node("hami-1", Map.of("nvidia-device-enable", "pgpu-dra", "gpu", "on")));
        create(slice("gpu-1-gpus", "gpu-1", 1, gpu("gpu-0", H100, "80Gi"), gpu("gpu-1", H100, "80Gi")));
        create(pending("ml", "train", "gpu.nvidia.com"));
        start(ResourceApiVersion.V1);

        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText text = scrape();
            assertEquals(2.0, text.value("nvidia_dra_controller_devices" + GPU_1));
            assertEquals(0.0, text.value("nvidia_dra_controller_devices_allocated" + GPU_1));
            assertEquals(1.0, text.value("nvidia_dra_controller_resourceclaims{namespace=\"ml\",state=\"pending\"}"));
            assertEquals(1.0, text.value("nvidia_dra_controller_node_resourceslices{node=\"gpu-1\"}"));
            // cpu-1 is not selected and hami-1 carries the conflicting gpu=on: neither should run the plugin
            assertEquals(1, text.series("nvidia_dra_controller_node_resourceslices").size());
        });

        ResourceClaim claim = client.resources(ResourceClaim.class).inNamespace("ml").withName("train").get();
        claim.setStatus(allocated("ml", "train", "gpu.nvidia.com", result("gpu-1", "gpu-0")).getStatus());
        client.resource(claim).updateStatus();

        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText text = scrape();
            assertEquals(1.0, text.value("nvidia_dra_controller_devices_allocated" + GPU_1));
            assertEquals(80.0 * (1L << 30), text.value("nvidia_dra_controller_memory_allocated_bytes" + GPU_1));
            assertEquals(1.0, text.value("nvidia_dra_controller_resourceclaims{namespace=\"ml\",state=\"allocated\"}"));
            assertEquals(0.0, text.value("nvidia_dra_controller_resourceclaims{namespace=\"ml\",state=\"pending\"}"));
        });

        client.resources(ResourceClaim.class).inNamespace("ml").withName("train").delete();
        client.resources(ResourceSlice.class).withName("gpu-1-gpus").delete();

        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText text = scrape();
            assertEquals(0, text.series("nvidia_dra_controller_resourceclaims").size());
            assertEquals(0, text.series("nvidia_dra_controller_devices").size());
            assertEquals(0.0, text.value("nvidia_dra_controller_node_resourceslices{node=\"gpu-1\"}"));
        });
    }

    @Test
    void deletesOurSlicesOfVanishedNodesOnlyAndRecordsAnEvent() {
        create(node("gpu-1", gpuNodeLabels()));
        create(node("gpu-2", gpuNodeLabels()));
        create(slice("gpu-1-gpus", "gpu-1", 1, gpu("gpu-0", H100, "80Gi")));
        create(slice("gpu-2-gpus", "gpu-2", 1, gpu("gpu-0", H100, "80Gi")));
        create(otherDriverSlice("gpu-2-nics", "gpu-2"));
        create(allNodesSlice("shared-gpus", gpu("shared-0", H100, "80Gi")));
        // left behind before the controller started: its node was never there
        create(slice("gpu-9-gpus", "gpu-9", 1, gpu("gpu-0", H100, "80Gi")));
        start(ResourceApiVersion.V1);

        await().atMost(WAIT).untilAsserted(() -> {
            assertNull(client.resources(ResourceSlice.class).withName("gpu-9-gpus").get());
            assertEquals(1.0, scrape().value("nvidia_dra_controller_devices" + GPU_2));
        });

        client.nodes().withName("gpu-2").delete();

        await().atMost(WAIT).untilAsserted(() -> {
            assertNull(client.resources(ResourceSlice.class).withName("gpu-2-gpus").get());
            assertNull(scrape().value("nvidia_dra_controller_devices" + GPU_2));
            assertEquals(2.0, scrape().value("nvidia_dra_controller_stale_resourceslices_deleted_total"));
        });
        assertNotNull(client.resources(ResourceSlice.class).withName("gpu-1-gpus").get(), "its node exists");
        assertNotNull(client.resources(ResourceSlice.class).withName("gpu-2-nics").get(), "another driver's");
        assertNotNull(client.resources(ResourceSlice.class).withName("shared-gpus").get(), "published for all nodes");

        List<Event> events = client.v1().events().inNamespace("default").list().getItems();
        assertEquals(List.of("gpu-2-gpus", "gpu-9-gpus"), events.stream().map(e -> e.getInvolvedObject().getName()).sorted().toList());
        Event event = events.stream().filter(e -> e.getInvolvedObject().getName().equals("gpu-2-gpus")).findFirst().orElseThrow();
        assertEquals("Normal", event.getType());
        assertEquals("StaleResourceSliceDeleted", event.getReason());
        assertEquals("ResourceSlice", event.getInvolvedObject().getKind());
        assertEquals("resource.k8s.io/v1", event.getInvolvedObject().getApiVersion());
        assertEquals("Deleted ResourceSlice gpu-2-gpus of driver gpu.nvidia.com: its node gpu-2 no longer exists", event.getMessage());
    }

    @Test
    void readsV1beta1ObjectsWhenThatIsTheVersionServed() {
        create(node("gpu-1", gpuNodeLabels()));
        create(new io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSliceBuilder()
                .withNewMetadata().withName("gpu-1-gpus").endMetadata()
                .withNewSpec().withDriver("gpu.nvidia.com").withNodeName("gpu-1")
                .withNewPool().withName("gpu-1").withGeneration(1L).withResourceSliceCount(1L).endPool()
                .addNewDevice().withName("gpu-0").withNewBasic()
                .addToAttributes("type", new io.fabric8.kubernetes.api.model.resource.v1beta1.DeviceAttributeBuilder().withString("gpu").build())
                .addToAttributes("productName", new io.fabric8.kubernetes.api.model.resource.v1beta1.DeviceAttributeBuilder().withString(H100).build())
                .addToCapacity("memory", new io.fabric8.kubernetes.api.model.resource.v1beta1.DeviceCapacityBuilder()
                        .withValue(new io.fabric8.kubernetes.api.model.Quantity("80Gi")).build())
                .endBasic().endDevice().endSpec().build());
        create(new io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaimBuilder()
                .withNewMetadata().withNamespace("ml").withName("train").endMetadata()
                .withNewSpec().withNewDevices().addNewRequest().withName("gpu").withDeviceClassName("gpu.nvidia.com").endRequest()
                .endDevices().endSpec()
                .withNewStatus().withNewAllocation().withNewDevices().addNewResult().withRequest("gpu").withDriver("gpu.nvidia.com")
                .withPool("gpu-1").withDevice("gpu-0").endResult().endDevices().endAllocation().endStatus().build());
        start(ResourceApiVersion.V1BETA1);

        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText text = scrape();
            assertEquals(1.0, text.value("nvidia_dra_controller_devices_allocated" + GPU_1));
            assertEquals(1.0, text.value("nvidia_dra_controller_resourceclaims{namespace=\"ml\",state=\"allocated\"}"));
        });
    }
}
