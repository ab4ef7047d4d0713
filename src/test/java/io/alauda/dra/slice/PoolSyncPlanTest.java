package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttributeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceCapacityBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.alauda.dra.slice.SliceTestDevices.NODE;
import static io.alauda.dra.slice.SliceTestDevices.NODE_UID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upstream helper's rules, worked through case by case on pure data. */
class PoolSyncPlanTest {

    private static final List<List<AllocatableDevice>> ONE_SLICE = SliceLayout.split(SliceTestDevices.goldenDevices());
    private static final List<List<AllocatableDevice>> TWO_SLICES = SliceLayout.split(SliceTestDevices.gpus(130));

    private static ResourceSlice rendered(List<List<AllocatableDevice>> layout, long generation, int index) {
        return (ResourceSlice) SliceSetBuilder.render(layout, NODE, NODE_UID, generation, SliceApiVersion.V1).get(index);
    }

    /** As the API server returns it: named from generateName, with a UID and a resourceVersion. */
    private static ResourceSlice stored(ResourceSlice slice, String suffix) {
        String name = slice.getMetadata().getGenerateName() == null ? suffix : slice.getMetadata().getGenerateName() + suffix;
        slice.getMetadata().setName(name);
        slice.getMetadata().setUid("uid-" + name);
        slice.getMetadata().setResourceVersion("17");
        return slice;
    }

    private static PoolSyncPlan plan(List<List<AllocatableDevice>> wanted, ResourceSlice... existing) {
        List<SliceView> observed = new ArrayList<>();
        for (ResourceSlice slice : existing) {
            observed.add(SliceView.of(slice));
        }
        return PoolSyncPlan.plan(NODE, NODE_UID, SliceApiVersion.V1, wanted, observed);
    }

    private static List<String> names(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }

    @Test
    void anEmptyPoolIsCreatedAtGenerationOne() {
        PoolSyncPlan plan = plan(ONE_SLICE);
        assertEquals(1, plan.generation());
        assertEquals(1, plan.creates().size());
        assertEquals(1L, ((ResourceSlice) plan.creates().get(0)).getSpec().getPool().getGeneration());
        assertTrue(plan.updates().isEmpty() && plan.deletes().isEmpty());
    }

    @Test
    void aMatchingPoolNeedsNoWrite() {
        PoolSyncPlan plan = plan(ONE_SLICE, stored(rendered(ONE_SLICE, 4, 0), "abcde"));
        assertTrue(plan.writesNothing());
        assertEquals(4, plan.generation());
    }

    @Test
    void aQuantityTheServerSpelledDifferentlyIsNoChange() {
        ResourceSlice existing = stored(rendered(ONE_SLICE, 1, 0), "abcde");
        existing.getSpec().getDevices().get(0).getCapacity().put("memory",
                new DeviceCapacityBuilder().withValue(new Quantity("83516416Ki")).build());
        assertTrue(plan(ONE_SLICE, existing).writesNothing());
    }

    @Test
    void oneChangedSliceIsUpdatedInPlaceKeepingTheGeneration() {
        ResourceSlice existing = stored(rendered(ONE_SLICE, 2, 0), "abcde");
        existing.getSpec().getDevices().get(0).getAttributes().put("productName", new DeviceAttributeBuilder().withString("edited").build());
        existing.getMetadata().setLabels(Map.of("team", "ml"));

        PoolSyncPlan plan = plan(ONE_SLICE, existing);

        assertEquals(2, plan.generation());
        assertEquals(List.of("00000-gpu.nvidia.com-node-a-abcde"), names(plan.updates()));
        ResourceSlice update = (ResourceSlice) plan.updates().get(0);
        assertEquals("17", update.getMetadata().getResourceVersion(), "the update must carry the version it read");
        assertEquals("NVIDIA H100 80GB HBM3", update.getSpec().getDevices().get(0).getAttributes().get("productName").getString());
        assertEquals("ml", update.getMetadata().getLabels().get("team"), "someone else's label stays");
        assertEquals("kubelet-plugin", update.getMetadata().getLabels().get("app.kubernetes.io/component"));
        assertTrue(plan.creates().isEmpty() && plan.deletes().isEmpty());
    }

    @Test
    void aMissingOwnerReferenceIsRepaired() {
        ResourceSlice existing = stored(rendered(ONE_SLICE, 1, 0), "abcde");
        existing.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                .withName(NODE).withUid("uid-of-a-deleted-node").withController(true).build()));
        PoolSyncPlan plan = plan(ONE_SLICE, existing);
        assertEquals(1, plan.updates().size());
        assertEquals(NODE_UID, plan.updates().get(0).getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals(1, plan.updates().get(0).getMetadata().getOwnerReferences().size());
    }

    @Test
    void twoChangedSlicesBumpTheGenerationOfBoth() {
        ResourceSlice first = stored(rendered(TWO_SLICES, 5, 0), "aaaaa");
        ResourceSlice second = stored(rendered(TWO_SLICES, 5, 1), "bbbbb");
        first.getSpec().getDevices().remove(0);
        second.getSpec().getDevices().remove(0);

        PoolSyncPlan plan = plan(TWO_SLICES, first, second);

        assertEquals(6, plan.generation());
        assertEquals(2, plan.updates().size());
        plan.updates().forEach(update -> assertEquals(6L, ((ResourceSlice) update).getSpec().getPool().getGeneration()));
    }

    @Test
    void aMissingSliceBumpsTheGenerationAndRewritesTheRest() {
        // growing from one slice to two: slice 0 is unchanged in content but must move to the new generation
        ResourceSlice first = stored(rendered(TWO_SLICES, 1, 0), "aaaaa");

        PoolSyncPlan plan = plan(TWO_SLICES, first);

        assertEquals(2, plan.generation());
        assertEquals(List.of("00000-gpu.nvidia.com-node-a-aaaaa"), names(plan.updates()));
        assertEquals(1, plan.creates().size());
        assertEquals("00001-gpu.nvidia.com-node-a-", plan.creates().get(0).getMetadata().getGenerateName());
        assertEquals(2L, ((ResourceSlice) plan.creates().get(0)).getSpec().getPool().getGeneration());
    }

    @Test
    void shrinkingDeletesTheSurplusSlice() {
        ResourceSlice first = stored(rendered(TWO_SLICES, 3, 0), "aaaaa");
        ResourceSlice second = stored(rendered(TWO_SLICES, 3, 1), "bbbbb");
        PoolSyncPlan plan = plan(ONE_SLICE, first, second);
        assertEquals(List.of("00001-gpu.nvidia.com-node-a-bbbbb"), names(plan.deletes()));
        // slice 0 is the only one to change, so as upstream it is updated in place at the same generation
        assertEquals(3, plan.generation());
        assertEquals(List.of("00000-gpu.nvidia.com-node-a-aaaaa"), names(plan.updates()));
    }

    @Test
    void obsoleteSlicesAreDeleted() {
        ResourceSlice current = stored(rendered(ONE_SLICE, 3, 0), "keep1");
        ResourceSlice olderGeneration = stored(rendered(ONE_SLICE, 2, 0), "older");
        ResourceSlice duplicateIndex = stored(rendered(ONE_SLICE, 3, 0), "twice");
        ResourceSlice oldNaming = stored(rendered(ONE_SLICE, 3, 0), "x");
        oldNaming.getMetadata().setName("node-a-gpu.nvidia.com-x7k2p");
        ResourceSlice otherPool = stored(rendered(ONE_SLICE, 9, 0), "pool2");
        otherPool.getSpec().getPool().setName("another-pool");

        PoolSyncPlan plan = plan(ONE_SLICE, current, olderGeneration, duplicateIndex, oldNaming, otherPool);

        assertEquals(List.of("00000-gpu.nvidia.com-node-a-older", "00000-gpu.nvidia.com-node-a-twice", "node-a-gpu.nvidia.com-x7k2p",
                "00000-gpu.nvidia.com-node-a-pool2"), names(plan.deletes()));
        assertEquals(3, plan.generation(), "another pool's generation does not count");
        assertTrue(plan.updates().isEmpty() && plan.creates().isEmpty());
    }
}
