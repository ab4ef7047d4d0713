package io.alauda.dra.resourceapi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceClass;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceClassBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class V1ShapeTest {

    @Test
    void anObjectAlreadyInTheWantedVersionIsReturnedAsItIs() {
        ResourceSlice slice = v1Slice();
        assertSame(slice, V1Shape.slice(slice));
        assertSame(slice, V1Shape.as(ResourceApiVersion.V1, slice));
    }

    @Test
    void v1beta1DevicesHaveTheirBasicFactsLifted() {
        var slice = new KubernetesSerialization().unmarshal("""
                {"apiVersion": "resource.k8s.io/v1beta1", "kind": "ResourceSlice",
                 "metadata": {"name": "s", "uid": "u-1", "resourceVersion": "7"},
                 "spec": {"driver": "gpu.nvidia.com", "nodeName": "node-a",
                          "pool": {"name": "node-a", "generation": 3, "resourceSliceCount": 1},
                          "devices": [{"name": "gpu-0", "basic": {"attributes": {"type": {"string": "gpu"}},
                                                                  "capacity": {"memory": {"value": "16Gi"}}}},
                                      {"name": "bare"}]}}
                """, io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice.class);

        ResourceSlice v1 = V1Shape.slice(slice);

        assertEquals("resource.k8s.io/v1", v1.getApiVersion());
        assertEquals("u-1", v1.getMetadata().getUid());
        assertEquals(3L, v1.getSpec().getPool().getGeneration());
        assertEquals("gpu", v1.getSpec().getDevices().get(0).getAttributes().get("type").getString());
        assertEquals(new Quantity("16Gi"), v1.getSpec().getDevices().get(0).getCapacity().get("memory").getValue());
        assertEquals("bare", v1.getSpec().getDevices().get(1).getName());
    }

    @Test
    void v1SlicesWrittenAsV1beta1NestEveryDeviceUnderBasicAndComeBackTheSame() {
        ResourceSlice v1 = v1Slice();

        var v1beta1 = assertInstanceOf(io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice.class,
                V1Shape.as(ResourceApiVersion.V1BETA1, v1));

        assertEquals("resource.k8s.io/v1beta1", v1beta1.getApiVersion());
        assertEquals(42L, v1beta1.getSpec().getDevices().get(0).getBasic().getAttributes().get("cores").getInt());
        assertNotNull(v1beta1.getSpec().getDevices().get(1).getBasic(), "a device without facts still has its basic");
        assertEquals(v1, V1Shape.slice(v1beta1));
        assertEquals(v1, V1Shape.slice(V1Shape.as(ResourceApiVersion.V1BETA2, v1)));
    }

    @Test
    void v1beta1RequestsMoveUnderExactlyAndAllocationsKeepTheirOpaqueParameters() {
        var claim = new io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaimBuilder()
                .withNewMetadata().withNamespace("ns").withName("c").withUid("uid-1").endMetadata()
                .withNewSpec().withNewDevices()
                .addNewRequest().withName("a").withDeviceClassName("gpu.nvidia.com").withCount(2L).endRequest()
                .addNewRequest().withName("b").addNewFirstAvailable().withName("big").withDeviceClassName("mig.nvidia.com").endFirstAvailable().endRequest()
                .endDevices().endSpec()
                .withNewStatus().withNewAllocation().withNewDevices()
                .addNewResult().withRequest("a").withDriver("gpu.nvidia.com").withPool("node-a").withDevice("gpu-0").withAdminAccess(true).endResult()
                .addNewConfig().withSource("FromClaim").withRequests("a").withNewOpaque().withDriver("gpu.nvidia.com")
                .withParameters(Map.of("apiVersion", "resource.nvidia.com/v1beta1", "kind", "GpuConfig")).endOpaque().endConfig()
                .endDevices().endAllocation().endStatus()
                .build();

        ResourceClaim v1 = V1Shape.claim(claim);

        DeviceRequest exact = v1.getSpec().getDevices().getRequests().get(0);
        assertEquals("a", exact.getName());
        assertEquals("gpu.nvidia.com", exact.getExactly().getDeviceClassName());
        assertEquals(2L, exact.getExactly().getCount());
        DeviceRequest alternatives = v1.getSpec().getDevices().getRequests().get(1);
        assertNull(alternatives.getExactly());
        assertEquals("mig.nvidia.com", alternatives.getFirstAvailable().get(0).getDeviceClassName());
        var result = v1.getStatus().getAllocation().getDevices().getResults().get(0);
        assertEquals(List.of("node-a", "gpu-0", true), List.of(result.getPool(), result.getDevice(), result.getAdminAccess()));
        var opaque = v1.getStatus().getAllocation().getDevices().getConfig().get(0).getOpaque();
        Object parameters = opaque.getParameters();
        Map<?, ?> fields = parameters instanceof GenericKubernetesResource generic
                ? Map.of("apiVersion", generic.getApiVersion(), "kind", generic.getKind()) : (Map<?, ?>) parameters;
        assertEquals(Map.of("apiVersion", "resource.nvidia.com/v1beta1", "kind", "GpuConfig"), fields);
        var back = assertInstanceOf(io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaim.class,
                V1Shape.as(ResourceApiVersion.V1BETA1, v1));
        assertEquals(claim.getSpec(), back.getSpec());
    }

    @Test
    void deviceClassesAreWrittenInAnyVersion() {
        DeviceClass v1 = new DeviceClassBuilder().withNewMetadata().withName("gpu.nvidia.com").endMetadata()
                .withNewSpec().addNewSelector().withNewCel("device.driver == 'gpu.nvidia.com'").endSelector().endSpec().build();

        var v1beta2 = assertInstanceOf(io.fabric8.kubernetes.api.model.resource.v1beta2.DeviceClass.class,
                V1Shape.as(ResourceApiVersion.V1BETA2, v1));
        var v1beta1 = assertInstanceOf(io.fabric8.kubernetes.api.model.resource.v1beta1.DeviceClass.class,
                V1Shape.as(ResourceApiVersion.V1BETA1, v1));

        assertEquals("resource.k8s.io/v1beta2", v1beta2.getApiVersion());
        assertEquals("device.driver == 'gpu.nvidia.com'", v1beta1.getSpec().getSelectors().get(0).getCel().getExpression());
    }

    @Test
    void objectsOfOtherGroupsAreRefused() {
        HasMetadata pod = new Pod();
        assertThrows(IllegalArgumentException.class, () -> V1Shape.as(ResourceApiVersion.V1, pod));
    }

    private static ResourceSlice v1Slice() {
        return new ResourceSliceBuilder()
                .withNewMetadata().withName("s").endMetadata()
                .withNewSpec().withDriver("gpu.nvidia.com").withNodeName("node-a")
                .withNewPool().withName("node-a").withGeneration(1L).withResourceSliceCount(1L).endPool()
                .addNewDevice().withName("gpu-0")
                .addToAttributes("cores", new io.fabric8.kubernetes.api.model.resource.v1.DeviceAttributeBuilder().withInt(42L).build())
                .addToCapacity("memory", new io.fabric8.kubernetes.api.model.resource.v1.DeviceCapacityBuilder()
                        .withValue(new Quantity("16Gi")).build())
                .endDevice()
                .addNewDevice().withName("bare").endDevice()
                .endSpec().build();
    }
}
