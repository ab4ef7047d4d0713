package io.alauda.dra.doctor;

import io.alauda.dra.doctor.kube.InputException;
import io.alauda.dra.doctor.kube.KubeObjects;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttribute;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceCapacity;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typed fabric8 resource.k8s.io/v1 objects map into the doctor's records. */
class KubeObjectsTest {

    @Test
    void typedV1ClaimAndSlice() throws InputException {
        ResourceClaim claim = new ResourceClaimBuilder()
                .withNewMetadata().withName("c").withNamespace("ns").endMetadata()
                .withNewSpec().withNewDevices()
                .addNewRequest().withName("gpu").withNewExactly().withDeviceClassName("gpu.nvidia.com").withCount(2L)
                .addNewSelector().withNewCel("device.attributes['gpu.nvidia.com'].productName == 'Tesla P100-PCIE-16GB'")
                .endSelector().endExactly().endRequest()
                .addNewConstraint().withRequests("gpu").withMatchAttribute("gpu.nvidia.com/productName").endConstraint()
                .endDevices().endSpec().build();
        Claim c = KubeObjects.claim(KubeObjects.tree(claim));
        assertEquals("ns/c", c.ref());
        assertEquals(2, c.requests().get(0).count());
        assertEquals("gpu.nvidia.com", c.requests().get(0).deviceClassName());
        assertEquals(List.of(new Constraint(List.of("gpu"), "gpu.nvidia.com/productName")), c.constraints());

        DeviceAttribute product = new DeviceAttribute();
        product.setString(Fakes.H100);
        DeviceAttribute version = new DeviceAttribute();
        version.setVersion("570.124.6");
        DeviceAttribute type = new DeviceAttribute();
        type.setString("gpu");
        ResourceSlice slice = new ResourceSliceBuilder()
                .withNewMetadata().withName("s").endMetadata()
                .withNewSpec().withDriver("gpu.nvidia.com").withNodeName("node-a")
                .withNewPool().withName("node-a").withGeneration(1L).withResourceSliceCount(1L).endPool()
                .addNewDevice().withName("gpu-0")
                .withAttributes(Map.of("productName", product, "driverVersion", version, "type", type))
                .withCapacity(Map.of("memory", new DeviceCapacity(null, new Quantity("81559Mi"))))
                .endDevice().endSpec().build();
        List<Device> devices = KubeObjects.devices(KubeObjects.tree(slice));
        assertEquals(1, devices.size());
        assertEquals(AttributeValue.version("570.124.6"), devices.get(0).attributes().get("driverVersion"));
        assertEquals(io.alauda.dra.doctor.Quantity.parse("81559Mi"), devices.get(0).capacity().get("memory"));

        Inventory inv = new Inventory(devices, List.of(Fakes.GPU_CLASS), List.of(), null, null);
        ClaimReport r = new ClaimDoctor(inv).explain(c);
        assertFalse(r.satisfiable());
        assertEquals(Reason.SELECTOR_FALSE, r.requests().get(0).devices().get(0).reason());
    }

    @Test
    void badAttributeNamesTheField() {
        Map<String, Object> slice = Map.of("kind", "ResourceSlice", "metadata", Map.of("name", "s"),
                "spec", Map.of("driver", "gpu.nvidia.com", "pool", Map.of("name", "p"),
                        "devices", List.of(Map.of("name", "gpu-0", "attributes",
                                Map.of("driverVersion", Map.of("version", "570.124.06"))))));
        InputException e = assertThrows(InputException.class, () -> KubeObjects.devices(slice));
        assertTrue(e.getMessage().startsWith("ResourceSlice s: spec.devices[0].attributes.driverVersion.version: "
                + "invalid number '06'"), e.getMessage());
    }
}
