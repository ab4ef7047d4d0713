package io.alauda.dra.controller;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.alauda.dra.controller.V1Objects.H100;
import static io.alauda.dra.controller.V1Objects.allNodesSlice;
import static io.alauda.dra.controller.V1Objects.gpu;
import static io.alauda.dra.controller.V1Objects.gpuNodeLabels;
import static io.alauda.dra.controller.V1Objects.node;
import static io.alauda.dra.controller.V1Objects.otherDriverSlice;
import static io.alauda.dra.controller.V1Objects.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The cleanup's guards, one at a time and synchronously: the cluster state is filled by hand (standing in for an
 * informer cache that has not seen a node yet), the API server is the mock.
 */
@EnableKubernetesMockClient(crud = true)
class StaleSliceCleanerTest {

    KubernetesClient client;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClusterState state = new ClusterState(ControllerSettings.DEFAULT_DEVICE_CLASSES, () -> { });
    private final AtomicBoolean leading = new AtomicBoolean(true);

    private StaleSliceCleaner cleaner() {
        return new StaleSliceCleaner(client, ResourceApiVersion.V1, state, leading::get,
                new ControllerEvents(client, ResourceApiVersion.V1, "controller-0", Clock.systemUTC()),
                new ControllerMetrics(registry, Clock.systemUTC()), Runnable::run);
    }

    private SliceView stored(ResourceSlice slice) {
        SliceView view = V1Views.slice(client.resource(slice).create());
        state.putSlice(view);
        return view;
    }

    private boolean exists(String slice) {
        return client.resources(ResourceSlice.class).withName(slice).get() != null;
    }

    @Test
    void keepsASliceWhoseNodeTheCacheHasNotSeenButTheApiServerHas() {
        client.resource(node("fresh", gpuNodeLabels())).create();
        stored(slice("fresh-gpus", "fresh", 1, gpu("gpu-0", H100, "80Gi")));

        cleaner().check("fresh-gpus");

        assertNotNull(client.resources(ResourceSlice.class).withName("fresh-gpus").get());
        assertEquals(0, client.v1().events().inNamespace("default").list().getItems().size());
    }

    @Test
    void deletesOnceTheApiServerConfirmsTheNodeIsGone() {
        stored(slice("gone-gpus", "gone", 1, gpu("gpu-0", H100, "80Gi")));

        cleaner().check("gone-gpus");

        assertNull(client.resources(ResourceSlice.class).withName("gone-gpus").get());
        assertEquals(1.0, registry.get("nvidia_dra_controller_stale_resourceslices_deleted").counter().count());
        assertEquals(1, client.v1().events().inNamespace("default").list().getItems().size());
    }

    @Test
    void neverTouchesOtherDriversAllNodesSlicesOrAnythingWhileNotLeading() {
        stored(otherDriverSlice("gone-nics", "gone"));
        stored(allNodesSlice("shared-gpus", gpu("shared-0", H100, "80Gi")));
        stored(slice("gone-gpus", "gone", 1, gpu("gpu-0", H100, "80Gi")));
        leading.set(false);

        StaleSliceCleaner cleaner = cleaner();
        cleaner.sweep();
        for (String name : Set.of("gone-nics", "shared-gpus", "gone-gpus")) {
            cleaner.check(name);
        }

        assertNotNull(client.resources(ResourceSlice.class).withName("gone-nics").get());
        assertNotNull(client.resources(ResourceSlice.class).withName("shared-gpus").get());
        assertNotNull(client.resources(ResourceSlice.class).withName("gone-gpus").get(), "a follower deletes nothing");

        leading.set(true);
        cleaner.sweep();

        assertNull(client.resources(ResourceSlice.class).withName("gone-gpus").get());
        assertNotNull(client.resources(ResourceSlice.class).withName("gone-nics").get());
        assertNotNull(client.resources(ResourceSlice.class).withName("shared-gpus").get());
    }

    @Test
    void aSliceAlreadyDeletedByOthersIsNeitherCountedNorReported() {
        SliceView view = stored(slice("gone-gpus", "gone", 1, gpu("gpu-0", H100, "80Gi")));
        client.resources(ResourceSlice.class).withName(view.name()).delete();

        cleaner().check("gone-gpus");

        assertEquals(0.0, registry.get("nvidia_dra_controller_stale_resourceslices_deleted").counter().count());
        assertEquals(0, client.v1().events().inNamespace("default").list().getItems().size());
    }
}
