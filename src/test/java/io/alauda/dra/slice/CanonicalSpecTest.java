package io.alauda.dra.slice;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceCapacityBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceTaintBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class CanonicalSpecTest {

    private static ResourceSlice golden() {
        return (ResourceSlice) SliceSetBuilder.build(SliceTestDevices.goldenDevices(), "node-a", "uid-1", 1, ResourceApiVersion.V1).get(0);
    }

    @Test
    void quantitiesCompareByAmount() {
        ResourceSlice other = golden();
        // 81559Mi = 83516416Ki
        other.getSpec().getDevices().get(0).getCapacity().put("memory", new DeviceCapacityBuilder().withValue(new Quantity("83516416Ki")).build());
        assertEquals(CanonicalSpec.of(golden()), CanonicalSpec.of(other));

        other.getSpec().getDevices().get(0).getCapacity().put("memory", new DeviceCapacityBuilder().withValue(new Quantity("83516415Ki")).build());
        assertNotEquals(CanonicalSpec.of(golden()), CanonicalSpec.of(other));
    }

    @Test
    void emptyListsAndMapsEqualAbsentOnes() {
        ResourceSlice other = golden();
        other.getSpec().setSharedCounters(new ArrayList<>());
        other.getSpec().getDevices().get(0).setTaints(new ArrayList<>());
        other.getSpec().getDevices().get(1).setConsumesCounters(null);
        other.getSpec().getDevices().get(1).setBindingConditions(new ArrayList<>());
        assertEquals(CanonicalSpec.of(golden()), CanonicalSpec.of(other));
    }

    @Test
    void fieldsTheModelDoesNotKnowAreIgnored() {
        // as a newer API server might return them
        ResourceSlice other = Serialization.unmarshal(Serialization.asJson(golden()).replace("\"driver\"", "\"futureField\":{\"a\":1},\"driver\""),
                ResourceSlice.class);
        assertEquals(1, other.getSpec().getAdditionalProperties().size());
        assertEquals(CanonicalSpec.of(golden()), CanonicalSpec.of(other));
    }

    @Test
    void aTaintAnAttributeOrADeviceOrderChangeIsADifference() {
        ResourceSlice tainted = golden();
        tainted.getSpec().getDevices().get(0).setTaints(List.of(new DeviceTaintBuilder().withKey("k").withEffect("NoSchedule").build()));
        assertNotEquals(CanonicalSpec.of(golden()), CanonicalSpec.of(tainted));

        ResourceSlice extra = golden();
        var attributes = new LinkedHashMap<>(extra.getSpec().getDevices().get(0).getAttributes());
        attributes.put("extra", attributes.get("type"));
        extra.getSpec().getDevices().get(0).setAttributes(attributes);
        assertNotEquals(CanonicalSpec.of(golden()), CanonicalSpec.of(extra));

        ResourceSlice reordered = golden();
        List<Device> devices = new ArrayList<>(reordered.getSpec().getDevices());
        devices.add(devices.remove(0));
        reordered.getSpec().setDevices(devices);
        assertNotEquals(CanonicalSpec.of(golden()), CanonicalSpec.of(reordered));
    }

    @Test
    void metadataIsNotPartOfTheSpec() {
        ResourceSlice renamed = golden();
        renamed.getMetadata().setName("something-else");
        renamed.getMetadata().setResourceVersion("42");
        assertEquals(CanonicalSpec.of(golden()), CanonicalSpec.of(renamed));
    }
}
