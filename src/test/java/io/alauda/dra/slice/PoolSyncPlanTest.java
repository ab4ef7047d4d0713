package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.resourceapi.ResourceApiVersion;
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
        return (ResourceSlice) SliceSetBuilder.render(WantedPool.untainted(layout), NODE, NODE_UID, generation, ResourceApiVersion.V1).get(index);
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
        return PoolSyncPlan.plan(NODE, NODE_UID, ResourceApiVersion.V1, wanted, observed);
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
        existing.getMetadata().getLabels().put("team", "ml");

        PoolSyncPlan plan = plan(ONE_SLICE, existing);

        assertEquals(2, plan.generation());
        assertEquals(List.of("node-a-gpu.nvidia.com-abcde"), names(plan.updates()));
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
        assertEquals(List.of("node-a-gpu.nvidia.com-aaaaa"), names(plan.updates()));
        assertEquals(1, plan.creates().size());
        assertEquals("node-a-gpu.nvidia.com-", plan.creates().get(0).getMetadata().getGenerateName());
        assertEquals("1", plan.creates().get(0).getMetadata().getLabels().get(SliceNames.LABEL_SLICE_INDEX));
        assertEquals(2L, ((ResourceSlice) plan.creates().get(0)).getSpec().getPool().getGeneration());
    }

    @Test
    void shrinkingDeletesTheSurplusSlice() {
        ResourceSlice first = stored(rendered(TWO_SLICES, 3, 0), "aaaaa");
        ResourceSlice second = stored(rendered(TWO_SLICES, 3, 1), "bbbbb");
        PoolSyncPlan plan = plan(ONE_SLICE, first, second);
        assertEquals(List.of("node-a-gpu.nvidia.com-bbbbb"), names(plan.deletes()));
        // slice 0 is the only one to change, so as upstream it is updated in place at the same generation
        assertEquals(3, plan.generation());
        assertEquals(List.of("node-a-gpu.nvidia.com-aaaaa"), names(plan.updates()));
    }

    @Test
    void obsoleteSlicesAreDeleted() {
        ResourceSlice current = stored(rendered(ONE_SLICE, 3, 0), "keep1");
        ResourceSlice olderGeneration = stored(rendered(ONE_SLICE, 2, 0), "older");
        ResourceSlice duplicateIndex = stored(rendered(ONE_SLICE, 3, 0), "twice");
        ResourceSlice indexBeyondThePool = stored(rendered(TWO_SLICES, 3, 1), "index");
        ResourceSlice unlabelledNewName = previousRelease(rendered(ONE_SLICE, 3, 0), "node-a-gpu.nvidia.com-nolbl");
        ResourceSlice otherPool = stored(rendered(ONE_SLICE, 9, 0), "pool2");
        otherPool.getSpec().getPool().setName("another-pool");

        PoolSyncPlan plan = plan(ONE_SLICE, current, olderGeneration, duplicateIndex, indexBeyondThePool, unlabelledNewName,
                otherPool);

        assertEquals(List.of("node-a-gpu.nvidia.com-older", "node-a-gpu.nvidia.com-twice", "node-a-gpu.nvidia.com-index",
                "node-a-gpu.nvidia.com-nolbl", "node-a-gpu.nvidia.com-pool2"), names(plan.deletes()));
        assertEquals(3, plan.generation(), "another pool's generation does not count");
        assertTrue(plan.updates().isEmpty() && plan.creates().isEmpty());
    }

    /** A slice as the previous release left it: named {@code <hex index>-gpu.nvidia.com-<node>-xxxxx}, no index label. */
    private static ResourceSlice previousRelease(ResourceSlice slice, String name) {
        slice.getMetadata().setName(name);
        slice.getMetadata().setUid("uid-" + name);
        slice.getMetadata().setResourceVersion("17");
        slice.getMetadata().setGenerateName(name.substring(0, name.length() - 5));
        slice.getMetadata().getLabels().remove(SliceNames.LABEL_SLICE_INDEX);
        return slice;
    }

    /** The previous release did not publish pcieBusID: this is what an upgraded plugin finds. */
    private static ResourceSlice withoutPcieBusId(ResourceSlice slice) {
        slice.getSpec().getDevices().forEach(device -> device.getAttributes().remove("pcieBusID"));
        return slice;
    }

    private static String indexLabel(HasMetadata slice) {
        return slice.getMetadata().getLabels().get(SliceNames.LABEL_SLICE_INDEX);
    }

    @Test
    void aPreviousReleaseSliceIsMatchedByItsNameAndOnlyGainsTheLabel() {
        ResourceSlice old = previousRelease(rendered(ONE_SLICE, 4, 0), "00000-gpu.nvidia.com-node-a-x7k2p");

        PoolSyncPlan plan = plan(ONE_SLICE, old);

        assertEquals(4, plan.generation(), "no device changed");
        assertTrue(plan.deletes().isEmpty() && plan.creates().isEmpty(), "no churn: nothing deleted or created");
        assertEquals(List.of("00000-gpu.nvidia.com-node-a-x7k2p"), names(plan.updates()), "updated in place, keeping its name");
        assertEquals("0", indexLabel(plan.updates().get(0)));
        assertEquals("17", plan.updates().get(0).getMetadata().getResourceVersion());
    }

    @Test
    void aPreviousReleasePoolOfTwoSlicesIsRelabelledWithoutANewGeneration() {
        // reversed on purpose: the order the server lists them in does not matter
        ResourceSlice second = previousRelease(rendered(TWO_SLICES, 5, 1), "00001-gpu.nvidia.com-node-a-bbbbb");
        ResourceSlice first = previousRelease(rendered(TWO_SLICES, 5, 0), "00000-gpu.nvidia.com-node-a-aaaaa");

        PoolSyncPlan plan = plan(TWO_SLICES, second, first);

        assertEquals(5, plan.generation(), "two label-only updates are not two changed slices");
        assertTrue(plan.deletes().isEmpty() && plan.creates().isEmpty());
        assertEquals(List.of("00000-gpu.nvidia.com-node-a-aaaaa", "00001-gpu.nvidia.com-node-a-bbbbb"), names(plan.updates()));
        assertEquals(List.of("0", "1"), plan.updates().stream().map(PoolSyncPlanTest::indexLabel).toList());
    }

    @Test
    void upgradingFromThePreviousReleaseUpdatesItsSlicesInPlace() {
        // the real upgrade: the new attribute changes every device, so both slices change and the generation goes up
        // as upstream's rule says, but each slice is rewritten under its old name and UID instead of replaced
        ResourceSlice first = withoutPcieBusId(previousRelease(rendered(TWO_SLICES, 5, 0), "00000-gpu.nvidia.com-node-a-aaaaa"));
        ResourceSlice second = withoutPcieBusId(previousRelease(rendered(TWO_SLICES, 5, 1), "00001-gpu.nvidia.com-node-a-bbbbb"));

        PoolSyncPlan plan = plan(TWO_SLICES, first, second);

        assertEquals(6, plan.generation());
        assertTrue(plan.deletes().isEmpty() && plan.creates().isEmpty());
        assertEquals(List.of("00000-gpu.nvidia.com-node-a-aaaaa", "00001-gpu.nvidia.com-node-a-bbbbb"), names(plan.updates()));
        assertEquals(List.of("0", "1"), plan.updates().stream().map(PoolSyncPlanTest::indexLabel).toList());
        ResourceSlice updated = (ResourceSlice) plan.updates().get(1);
        // gpu-98 leads the second slice in string order; its bus number is 98 = 0x62
        assertEquals("0000:62:00.0", updated.getSpec().getDevices().get(0).getAttributes().get("pcieBusID").getString());

        // and once written, the next sync finds nothing to do
        PoolSyncPlan after = plan(TWO_SLICES, (ResourceSlice) plan.updates().get(0), (ResourceSlice) plan.updates().get(1));
        assertTrue(after.writesNothing(), () -> "writes " + after);
    }

    @Test
    void aLabelledSliceWinsOverAPreviousReleaseSliceOfTheSameIndex() {
        // listed first, yet it is the one deleted: the label is what this release writes
        ResourceSlice old = previousRelease(rendered(ONE_SLICE, 2, 0), "00000-gpu.nvidia.com-node-a-x7k2p");
        ResourceSlice labelled = stored(rendered(ONE_SLICE, 2, 0), "new01");

        PoolSyncPlan plan = plan(ONE_SLICE, old, labelled);

        assertEquals(List.of("00000-gpu.nvidia.com-node-a-x7k2p"), names(plan.deletes()));
        assertTrue(plan.updates().isEmpty() && plan.creates().isEmpty());
    }

    @Test
    void theLabelDecidesWhateverTheNameSays() {
        // a name the server cut short (long node), and a name that looks like the previous release's but whose label
        // names another index: the label is read, the name is not
        ResourceSlice cut = stored(rendered(TWO_SLICES, 1, 1), "x");
        cut.getMetadata().setName("a-very-long-node-name-that-the-api-server-cut-after-58-chx7k2p");
        ResourceSlice misleading = stored(rendered(TWO_SLICES, 1, 0), "x");
        misleading.getMetadata().setName("00001-gpu.nvidia.com-node-a-x7k2p");

        PoolSyncPlan plan = plan(TWO_SLICES, cut, misleading);

        assertTrue(plan.writesNothing(), () -> "writes " + plan);
    }

    @Test
    void aLabelThatIsNoIndexMakesTheSliceObsoleteEvenWithAPreviousReleaseName() {
        ResourceSlice slice = previousRelease(rendered(ONE_SLICE, 1, 0), "00000-gpu.nvidia.com-node-a-x7k2p");
        slice.getMetadata().getLabels().put(SliceNames.LABEL_SLICE_INDEX, "first");

        PoolSyncPlan plan = plan(ONE_SLICE, slice);

        assertEquals(List.of("00000-gpu.nvidia.com-node-a-x7k2p"), names(plan.deletes()));
        assertEquals(1, plan.creates().size());
        assertEquals(2, plan.generation(), "a missing slice means a new generation");
    }

    @Test
    void aSliceStrippedOfItsIndexLabelIsReplaced() {
        // nothing else says which slice it stands for (its name starts with the node), so it goes like any stranger
        ResourceSlice slice = stored(rendered(ONE_SLICE, 7, 0), "abcde");
        slice.getMetadata().setLabels(Map.of("team", "ml"));

        PoolSyncPlan plan = plan(ONE_SLICE, slice);

        assertEquals(List.of("node-a-gpu.nvidia.com-abcde"), names(plan.deletes()));
        assertEquals(1, plan.creates().size());
        assertEquals(8, plan.generation());
    }

    @Test
    void aLabelSomeoneRemovedIsPutBackInPlace() {
        ResourceSlice slice = stored(rendered(ONE_SLICE, 7, 0), "abcde");
        slice.getMetadata().getLabels().remove(SliceNames.LABEL_MANAGED_BY);

        PoolSyncPlan plan = plan(ONE_SLICE, slice);

        assertEquals(7, plan.generation());
        assertEquals(List.of("node-a-gpu.nvidia.com-abcde"), names(plan.updates()));
        assertEquals(SliceNames.MANAGED_BY, plan.updates().get(0).getMetadata().getLabels().get(SliceNames.LABEL_MANAGED_BY));
    }
}
