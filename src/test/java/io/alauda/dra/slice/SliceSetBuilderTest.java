package io.alauda.dra.slice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.AttributeValue;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.discover.SliceDevicesOutput;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttribute;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

import static io.alauda.dra.slice.SliceTestDevices.NODE;
import static io.alauda.dra.slice.SliceTestDevices.NODE_UID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SliceSetBuilderTest {

    @Test
    void v1MatchesTheGoldenFile() throws Exception {
        List<HasMetadata> slices = SliceSetBuilder.build(SliceTestDevices.goldenDevices(), NODE, NODE_UID, 3, ResourceApiVersion.V1);
        assertEquals(1, slices.size());
        assertInstanceOf(ResourceSlice.class, slices.get(0));
        SliceGolden.assertMatches("v1-h100-and-mig.yaml", slices.get(0));
    }

    @Test
    void v1beta2MatchesTheGoldenFile() throws Exception {
        List<HasMetadata> slices = SliceSetBuilder.build(SliceTestDevices.goldenDevices(), NODE, NODE_UID, 3, ResourceApiVersion.V1BETA2);
        assertInstanceOf(io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceSlice.class, slices.get(0));
        SliceGolden.assertMatches("v1beta2-h100-and-mig.yaml", slices.get(0));
    }

    @Test
    void v1beta1WrapsAttributesAndCapacityInBasic() throws Exception {
        List<HasMetadata> slices = SliceSetBuilder.build(SliceTestDevices.goldenDevices(), NODE, NODE_UID, 3, ResourceApiVersion.V1BETA1);
        var slice = assertInstanceOf(io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice.class, slices.get(0));
        assertEquals("Hopper", slice.getSpec().getDevices().get(0).getBasic().getAttributes().get("architecture").getString());
        SliceGolden.assertMatches("v1beta1-h100-and-mig.yaml", slice);
    }

    @Test
    void devicesAreSortedByNameWhateverTheInputOrder() {
        List<AllocatableDevice> devices = new ArrayList<>(SliceTestDevices.gpus(12));
        Collections.reverse(devices);
        ResourceSlice slice = (ResourceSlice) SliceSetBuilder.build(devices, NODE, NODE_UID, 1, ResourceApiVersion.V1).get(0);
        // string order, not numeric: gpu-10 and gpu-11 sort between gpu-1 and gpu-2
        assertEquals(List.of("gpu-0", "gpu-1", "gpu-10", "gpu-11", "gpu-2", "gpu-3", "gpu-4", "gpu-5", "gpu-6", "gpu-7", "gpu-8", "gpu-9"),
                slice.getSpec().getDevices().stream().map(Device::getName).toList());
    }

    @Test
    void eachAttributeKindFillsExactlyItsOwnField() {
        TreeMap<String, AttributeValue> attributes = new TreeMap<>();
        attributes.put("s", AttributeValue.string("text"));
        attributes.put("i", AttributeValue.integer(42));
        attributes.put("b", AttributeValue.bool(true));
        attributes.put("v", AttributeValue.version("1.2.3"));
        AllocatableDevice device = SliceTestDevices.device("gpu-0", attributes, new TreeMap<>());

        ResourceSlice slice = (ResourceSlice) SliceSetBuilder.build(List.of(device), NODE, NODE_UID, 1, ResourceApiVersion.V1).get(0);
        var published = slice.getSpec().getDevices().get(0).getAttributes();
        assertAttribute(published.get("s"), "text", null, null, null);
        assertAttribute(published.get("i"), null, 42L, null, null);
        assertAttribute(published.get("b"), null, null, true, null);
        assertAttribute(published.get("v"), null, null, null, "1.2.3");
        assertNull(slice.getSpec().getDevices().get(0).getCapacity(), "a device without capacities has no capacity field");

        var v1beta1 = (io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceSlice)
                SliceSetBuilder.build(List.of(device), NODE, NODE_UID, 1, ResourceApiVersion.V1BETA1).get(0);
        var basic = v1beta1.getSpec().getDevices().get(0).getBasic().getAttributes();
        assertEquals(42L, basic.get("i").getInt());
        assertNull(basic.get("i").getString());
        assertEquals(true, basic.get("b").getBool());
    }

    private static void assertAttribute(DeviceAttribute attribute, String string, Long integer, Boolean bool, String version) {
        assertEquals(string, attribute.getString());
        assertEquals(integer, attribute.getInt());
        assertEquals(bool, attribute.getBool());
        assertEquals(version, attribute.getVersion());
    }

    @Test
    void moreThan128DevicesSplitIntoSlicesOfOnePool() {
        List<HasMetadata> slices = SliceSetBuilder.build(SliceTestDevices.gpus(130), NODE, NODE_UID, 4, ResourceApiVersion.V1);

        assertEquals(2, slices.size());
        ResourceSlice first = (ResourceSlice) slices.get(0);
        ResourceSlice second = (ResourceSlice) slices.get(1);
        assertEquals(128, first.getSpec().getDevices().size());
        // gpu-0 .. gpu-129 in string order end with gpu-98, gpu-99
        assertEquals(List.of("gpu-98", "gpu-99"), second.getSpec().getDevices().stream().map(Device::getName).toList());
        for (ResourceSlice slice : List.of(first, second)) {
            assertEquals(2L, slice.getSpec().getPool().getResourceSliceCount());
            assertEquals(4L, slice.getSpec().getPool().getGeneration());
            assertEquals(NODE, slice.getSpec().getPool().getName());
        }
        // one generateName for all slices of the node, as upstream's helper; the label tells them apart
        assertEquals("node-a-gpu.nvidia.com-", first.getMetadata().getGenerateName());
        assertEquals("node-a-gpu.nvidia.com-", second.getMetadata().getGenerateName());
        assertEquals("0", first.getMetadata().getLabels().get(SliceNames.LABEL_SLICE_INDEX));
        assertEquals("1", second.getMetadata().getLabels().get(SliceNames.LABEL_SLICE_INDEX));
    }

    @Test
    void exactly128DevicesStillFitOneSlice() {
        assertEquals(1, SliceSetBuilder.build(SliceTestDevices.gpus(128), NODE, NODE_UID, 1, ResourceApiVersion.V1).size());
    }

    @Test
    void aNodeWithoutDevicesPublishesOneEmptySlice() {
        List<HasMetadata> slices = SliceSetBuilder.build(List.of(), NODE, NODE_UID, 1, ResourceApiVersion.V1);
        assertEquals(1, slices.size());
        ResourceSlice slice = (ResourceSlice) slices.get(0);
        assertTrue(slice.getSpec().getDevices() == null || slice.getSpec().getDevices().isEmpty());
        assertEquals(1L, slice.getSpec().getPool().getResourceSliceCount());
    }

    @Test
    void thirtyTwoAttributesAndCapacitiesAreAllowed() {
        AllocatableDevice device = SliceTestDevices.withCounts("gpu-7", 24, 8);
        assertEquals(1, SliceSetBuilder.build(List.of(device), NODE, NODE_UID, 1, ResourceApiVersion.V1).size());
    }

    @Test
    void thirtyThreeAttributesAndCapacitiesFailNamingTheDevice() {
        AllocatableDevice device = SliceTestDevices.withCounts("gpu-7", 25, 8);
        SliceLimitException e = assertThrows(SliceLimitException.class,
                () -> SliceSetBuilder.build(List.of(device), NODE, NODE_UID, 1, ResourceApiVersion.V1));
        assertTrue(e.getMessage().contains("device gpu-7 has 25 attributes and 8 capacities (33 in all)"), e.getMessage());
        assertTrue(e.getMessage().contains("at most 32"), e.getMessage());
    }

    @Test
    void invalidNamesAndValuesFailBeforeAnythingIsBuilt() {
        assertThrows(SliceLimitException.class, () -> build(SliceTestDevices.withCounts("GPU_0", 1, 0)), "not a DNS label");
        TreeMap<String, AttributeValue> longValue = new TreeMap<>();
        longValue.put("productName", AttributeValue.string("x".repeat(65)));
        SliceLimitException tooLong = assertThrows(SliceLimitException.class,
                () -> build(SliceTestDevices.device("gpu-0", longValue, new TreeMap<>())));
        assertTrue(tooLong.getMessage().contains("gpu-0: attribute productName is 65 characters long"), tooLong.getMessage());
        TreeMap<String, AttributeValue> badName = new TreeMap<>();
        badName.put("bad-name", AttributeValue.string("x"));
        SliceLimitException invalid = assertThrows(SliceLimitException.class,
                () -> build(SliceTestDevices.device("gpu-0", badName, new TreeMap<>())));
        assertTrue(invalid.getMessage().contains("attribute name 'bad-name' is invalid"), invalid.getMessage());
        SliceLimitException twice = assertThrows(SliceLimitException.class,
                () -> SliceSetBuilder.build(List.of(SliceTestDevices.withCounts("gpu-0", 1, 0), SliceTestDevices.withCounts("gpu-0", 2, 0)),
                        NODE, NODE_UID, 1, ResourceApiVersion.V1));
        assertTrue(twice.getMessage().contains("gpu-0 appears twice"), twice.getMessage());
        IllegalArgumentException noUid = assertThrows(IllegalArgumentException.class,
                () -> SliceSetBuilder.build(List.of(), NODE, "", 1, ResourceApiVersion.V1));
        assertTrue(noUid.getMessage().contains("nodeUid is empty"), noUid.getMessage());
    }

    private static void build(AllocatableDevice device) {
        SliceSetBuilder.build(List.of(device), NODE, NODE_UID, 1, ResourceApiVersion.V1);
    }

    /** The discover command prints the device list by hand (it must stay free of fabric8); both must agree. */
    @Test
    void discoverSliceOutputEqualsTheV1Devices() throws Exception {
        for (NodeInventory inventory : List.of(SliceTestDevices.h100AndMig(), inventoryOf12Gpus())) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            new SliceDevicesOutput().write(inventory, new PrintStream(printed, true, StandardCharsets.UTF_8));

            ResourceSlice slice = (ResourceSlice) SliceSetBuilder.build(DeviceModel.devices(inventory), NODE, NODE_UID, 1,
                    ResourceApiVersion.V1).get(0);
            ObjectMapper json = new ObjectMapper();
            // through text, so that both sides parse numbers the same way
            JsonNode built = json.readTree(json.writeValueAsString(slice.getSpec().getDevices()));
            assertEquals(json.readTree(printed.toString(StandardCharsets.UTF_8)), built);
        }
    }

    private static NodeInventory inventoryOf12Gpus() {
        return new NodeInventory("580.95.05", 13000, SliceTestDevices.gpus(12).stream().map(AllocatableDevice::gpu).toList());
    }
}
