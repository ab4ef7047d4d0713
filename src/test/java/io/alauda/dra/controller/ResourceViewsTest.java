package io.alauda.dra.controller;

import io.alauda.dra.resourceapi.V1Shape;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1beta1.BasicDeviceBuilder;
import io.fabric8.kubernetes.api.model.resource.v1beta1.DeviceAttributeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1beta1.DeviceCapacityBuilder;
import io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceClaimBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three resource.k8s.io versions read into the same views. */
class ResourceViewsTest {

    @Test
    void v1beta1DevicesNestTheirFactsUnderBasicAndQualifiedNamesCount() {
        var slice = new io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSliceBuilder()
                .withNewMetadata().withName("node-a-gpus").withUid("u-1").withResourceVersion("7").endMetadata()
                .withNewSpec().withDriver("gpu.nvidia.com").withNodeName("node-a")
                .withNewPool().withName("node-a").withGeneration(3L).withResourceSliceCount(1L).endPool()
                .addNewDevice().withName("gpu-0").withBasic(new BasicDeviceBuilder()
                        .withAttributes(Map.of(
                                "gpu.nvidia.com/type", new DeviceAttributeBuilder().withString("gpu").build(),
                                "gpu.nvidia.com/productName", new DeviceAttributeBuilder().withString("Tesla T4").build()))
                        .withCapacity(Map.of("memory", new DeviceCapacityBuilder().withValue(new Quantity("15360Mi")).build()))
                        .build()).endDevice()
                .addNewDevice().withName("bare").endDevice()
                .endSpec().build();

        SliceView view = V1Views.slice(V1Shape.slice(slice));

        assertEquals(new SliceView("node-a-gpus", "u-1", "7", "gpu.nvidia.com", "node-a", "node-a", 3, List.of(
                new PublishedDevice("gpu-0", "gpu", "Tesla T4", 15360L * 1024 * 1024),
                new PublishedDevice("bare", "unknown", "unknown", 0))), view);
    }

    @Test
    void v1beta1RequestsNameTheirClassDirectly() {
        var claim = new io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaimBuilder()
                .withNewMetadata().withNamespace("ns").withName("c").endMetadata()
                .withNewSpec().withNewDevices()
                .addNewRequest().withName("a").withDeviceClassName("gpu.nvidia.com").endRequest()
                .addNewRequest().withName("b").addNewFirstAvailable().withName("big").withDeviceClassName("mig.nvidia.com").endFirstAvailable().endRequest()
                .endDevices().endSpec().build();

        ClaimView view = V1Views.claim(V1Shape.claim(claim));

        assertEquals(Set.of("gpu.nvidia.com", "mig.nvidia.com"), view.deviceClasses());
        assertFalse(view.allocated());
    }

    @Test
    void v1beta2ResultsOfOtherDriversAndAdminAccessAreNotHeldDevices() {
        var claim = new ResourceClaimBuilder()
                .withNewMetadata().withNamespace("ns").withName("c").endMetadata()
                .withNewSpec().withNewDevices().addNewRequest().withName("a")
                .withNewExactly().withDeviceClassName("gpu.nvidia.com").endExactly().endRequest().endDevices().endSpec()
                .withNewStatus().withNewAllocation().withNewDevices()
                .addNewResult().withRequest("a").withDriver("gpu.nvidia.com").withPool("node-a").withDevice("gpu-0").endResult()
                .addNewResult().withRequest("a").withDriver("gpu.nvidia.com").withPool("node-a").withDevice("gpu-1").withAdminAccess(true).endResult()
                .addNewResult().withRequest("a").withDriver("net.example.com").withPool("node-a").withDevice("nic-0").endResult()
                .endDevices().endAllocation().endStatus()
                .build();

        ClaimView view = V1Views.claim(V1Shape.claim(claim));

        assertTrue(view.allocated());
        assertTrue(view.allocatedToDriver());
        assertEquals(List.of(new DeviceRef("node-a", "gpu-0")), view.devices());
    }

    @Test
    void decimalAndBinaryMemoryQuantitiesReadAsBytes() {
        var slice = V1Objects.slice("s", "n", 1, V1Objects.gpu("gpu-0", "x", "40G"), V1Objects.gpu("gpu-1", "x", "1.5Gi"));

        SliceView view = V1Views.slice(slice);

        assertEquals(40_000_000_000L, view.devices().get(0).memoryBytes());
        assertEquals(1_610_612_736L, view.devices().get(1).memoryBytes());
    }
}
