package io.alauda.dra.controller;

import io.alauda.dra.doctor.Device;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.alauda.dra.controller.V1Objects.gpu;
import static io.alauda.dra.controller.V1Objects.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A slice's devices are mapped for the doctor once per resourceVersion while claims stay overdue; a changed slice is
 * mapped again, and a forgotten inventory maps everything again. Identity of the mapped records shows which.
 */
@EnableKubernetesMockClient(crud = true)
class DoctorInventoryTest {

    private static final String H100 = "NVIDIA H100 80GB HBM3";

    KubernetesClient client;
    private DoctorInventory inventory;

    @BeforeEach
    void cluster() {
        client.resource(slice("gpu-1-gpus", "gpu-1", 1, gpu("gpu-0", H100, "80Gi"))).create();
        client.resource(slice("gpu-2-gpus", "gpu-2", 1, gpu("gpu-0", H100, "80Gi"))).create();
        // The mock does not filter by spec.driver; the inventory then filters itself.
        inventory = new DoctorInventory(client, ResourceApiVersion.V1, new ClusterState(Set.of("gpu.nvidia.com"), () -> { }),
                false);
    }

    private Device deviceOf(List<Device> devices, String pool) {
        return devices.stream().filter(d -> d.pool().equals(pool)).findFirst().orElseThrow();
    }

    @Test
    void anUnchangedSliceIsNotMappedAgain() {
        List<Device> first = inventory.load().devices();
        List<Device> second = inventory.load().devices();

        assertEquals(2, second.size());
        assertSame(deviceOf(first, "gpu-1"), deviceOf(second, "gpu-1"));
        assertSame(deviceOf(first, "gpu-2"), deviceOf(second, "gpu-2"));
    }

    @Test
    void aChangedSliceIsMappedAgainWithItsNewDevices() {
        List<Device> first = inventory.load().devices();
        ResourceSlice changed = client.resources(ResourceSlice.class).withName("gpu-2-gpus").get();
        changed.getSpec().setDevices(List.of(gpu("gpu-0", H100, "80Gi"), gpu("gpu-1", H100, "80Gi")));
        client.resource(changed).update();

        List<Device> second = inventory.load().devices();

        assertEquals(3, second.size());
        assertSame(deviceOf(first, "gpu-1"), deviceOf(second, "gpu-1"));
        assertNotSame(deviceOf(first, "gpu-2"), deviceOf(second, "gpu-2"));
    }

    @Test
    void aDeletedSliceLeavesTheInventory() {
        inventory.load();
        client.resources(ResourceSlice.class).withName("gpu-1-gpus").delete();

        assertEquals(List.of("gpu-2"), inventory.load().devices().stream().map(Device::pool).toList());
    }

    @Test
    void aForgottenInventoryMapsEverySliceAgain() {
        List<Device> first = inventory.load().devices();
        inventory.forget();

        assertNotSame(deviceOf(first, "gpu-1"), deviceOf(inventory.load().devices(), "gpu-1"));
    }
}
