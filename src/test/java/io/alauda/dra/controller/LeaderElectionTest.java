package io.alauda.dra.controller;

import io.alauda.dra.metrics.PrometheusText;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.alauda.dra.controller.V1Objects.H100;
import static io.alauda.dra.controller.V1Objects.gpu;
import static io.alauda.dra.controller.V1Objects.gpuNodeLabels;
import static io.alauda.dra.controller.V1Objects.node;
import static io.alauda.dra.controller.V1Objects.slice;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two replicas sharing one Lease: exactly one exports the allocation series and deletes stale slices; when it
 * stops, it releases the Lease and the other takes over.
 */
@EnableKubernetesMockClient(crud = true)
@SuppressWarnings("deprecation")
class LeaderElectionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DEVICES = "nvidia_dra_controller_devices{device_type=\"gpu\",node=\"gpu-1\",product=\"" + H100 + "\"}";

    KubernetesClient client;

    private final PrometheusMeterRegistry registryA = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PrometheusMeterRegistry registryB = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ControllerRuntime a;
    private ControllerRuntime b;

    private ControllerRuntime replica(String identity, PrometheusMeterRegistry registry) {
        LeaseSettings lease = new LeaseSettings("dra", LeaseSettings.LEASE_NAME, identity,
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200));
        ControllerRuntime runtime = new ControllerRuntime(client, registry,
                ControllerRuntimeTest.settings(ResourceApiVersion.V1, identity, lease), Clock.systemUTC());
        runtime.start();
        ControllerRuntimeTest.awaitWatching(runtime);
        return runtime;
    }

    @AfterEach
    void stop() {
        for (ControllerRuntime runtime : new ControllerRuntime[]{a, b}) {
            if (runtime != null) {
                runtime.close();
            }
        }
    }

    private static double value(PrometheusMeterRegistry registry, String series) {
        Double value = new PrometheusText(registry.scrape()).value(series);
        return value == null ? 0 : value;
    }

    @Test
    void oneReplicaLeadsAndTheOtherTakesOverWhenItStops() {
        client.resource(node("gpu-1", gpuNodeLabels())).create();
        client.resource(node("gpu-2", gpuNodeLabels())).create();
        client.resource(slice("gpu-1-gpus", "gpu-1", 1, gpu("gpu-0", H100, "80Gi"))).create();
        client.resource(slice("gpu-2-gpus", "gpu-2", 1, gpu("gpu-0", H100, "80Gi"))).create();
        a = replica("controller-a", registryA);
        b = replica("controller-b", registryB);

        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(1.0, value(registryA, "nvidia_dra_controller_leader") + value(registryB, "nvidia_dra_controller_leader"));
            assertEquals(1.0, value(registryA, DEVICES) + value(registryB, DEVICES), "only the leader exports allocation");
        });
        boolean aLeads = value(registryA, "nvidia_dra_controller_leader") == 1.0;
        ControllerRuntime leader = aLeads ? a : b;
        PrometheusMeterRegistry followerRegistry = aLeads ? registryB : registryA;
        String follower = aLeads ? "controller-b" : "controller-a";
        assertEquals(List.of(), new PrometheusText(followerRegistry.scrape()).series("nvidia_dra_controller_devices"));

        client.nodes().withName("gpu-2").delete();
        await().atMost(WAIT).until(() -> client.resources(io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice.class)
                .withName("gpu-2-gpus").get() == null);
        assertEquals(0.0, value(followerRegistry, "nvidia_dra_controller_stale_resourceslices_deleted_total"), "the follower deleted");

        leader.close();

        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(1.0, value(followerRegistry, "nvidia_dra_controller_leader"));
            assertEquals(1.0, value(followerRegistry, DEVICES));
            Lease lease = client.leases().inNamespace("dra").withName(LeaseSettings.LEASE_NAME).get();
            assertEquals(follower, lease.getSpec().getHolderIdentity());
        });
        PrometheusMeterRegistry leaderRegistry = aLeads ? registryA : registryB;
        assertNull(new PrometheusText(leaderRegistry.scrape()).value(DEVICES), "a stopped replica exports no allocation");
    }
}
