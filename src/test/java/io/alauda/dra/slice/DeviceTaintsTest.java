package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.health.DeviceHealthBoard;
import io.alauda.dra.health.HealthEffect;
import io.alauda.dra.health.HealthProblem;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceTaint;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.alauda.dra.slice.SliceTestDevices.NODE;
import static io.alauda.dra.slice.SliceTestDevices.NODE_UID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health problems as device taints: which devices, which taints, and how every served version writes them. */
class DeviceTaintsTest {

    private static final String WHOLE_GPU = "GPU-4f6a3b2c-1d2e-4f5a-8b9c-0d1e2f3a4b5c";
    private static final String MIG_PARENT = "GPU-8e1f2a3b-4c5d-4e6f-9a0b-1c2d3e4f5a6b";
    private static final String MIG = "MIG-7d2c9e41-5b3a-5f6e-9a8b-1c2d3e4f5a6b";
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private final List<AllocatableDevice> devices = SliceTestDevices.goldenDevices();
    private final DeviceHealthBoard board = new DeviceHealthBoard();

    private static HealthProblem xid(String value, HealthEffect effect, Instant since) {
        return new HealthProblem("gpu.nvidia.com/xid", value, effect, "XID " + value, since);
    }

    private Map<String, List<SliceTaint>> taints() {
        return DeviceTaints.byName(board.snapshot(), devices);
    }

    @Test
    void aHealthyNodeHasNoTaints() {
        assertEquals(Map.of(), taints());
    }

    @Test
    void aGpuProblemTaintsTheGpuAndAParentProblemTaintsItsMigDevices() {
        board.report(WHOLE_GPU, xid("79", HealthEffect.NO_SCHEDULE, T0));
        assertEquals(Map.of("gpu-0", List.of(new SliceTaint("gpu.nvidia.com/xid", "79", "NoSchedule"))), taints());

        board.clear(WHOLE_GPU, "gpu.nvidia.com/xid");
        board.report(MIG_PARENT, new HealthProblem("gpu.nvidia.com/gpu-lost", "", HealthEffect.NO_EXECUTE, "lost", T0));
        assertEquals(Map.of("gpu-1-mig-1g10gb-19-0", List.of(new SliceTaint("gpu.nvidia.com/gpu-lost", "", "NoExecute"))), taints());
    }

    @Test
    void aMigDevicesOwnProblemTaintsOnlyIt() {
        board.report(MIG, xid("94", HealthEffect.NO_SCHEDULE, T0));
        assertEquals(List.of("gpu-1-mig-1g10gb-19-0"), List.copyOf(taints().keySet()));
    }

    @Test
    void informationalProblemsAreNoTaintsSince134RefusesTheEffectNone() {
        board.report(WHOLE_GPU, xid("13", HealthEffect.NONE, T0));
        assertEquals(Map.of(), taints());
    }

    @Test
    void atMostFourTaintsTheMostSevereAndOldestFirst() {
        for (int i = 0; i < 5; i++) {
            board.report(WHOLE_GPU, xid(Integer.toString(60 + i), HealthEffect.NO_SCHEDULE, T0.plusSeconds(10 - i)));
        }
        board.report(WHOLE_GPU, new HealthProblem("gpu.nvidia.com/gpu-lost", "", HealthEffect.NO_EXECUTE, "lost", T0.plusSeconds(99)));
        assertEquals(List.of(new SliceTaint("gpu.nvidia.com/gpu-lost", "", "NoExecute"),
                new SliceTaint("gpu.nvidia.com/xid", "64", "NoSchedule"), new SliceTaint("gpu.nvidia.com/xid", "63", "NoSchedule"),
                new SliceTaint("gpu.nvidia.com/xid", "62", "NoSchedule")), taints().get("gpu-0"));
    }

    @Test
    void aMalformedKeyOrValueIsLeftOutRatherThanGettingTheWholeSliceRefused() {
        board.report(WHOLE_GPU, new HealthProblem("Bad Key/x", "1", HealthEffect.NO_SCHEDULE, "", T0));
        board.report(WHOLE_GPU, new HealthProblem("gpu.nvidia.com/xid", "not a label value!", HealthEffect.NO_SCHEDULE, "", T0));
        assertEquals(Map.of(), taints());
    }

    @Test
    void everyServedVersionCarriesTheTaintsAndLeavesTimeAddedToTheServer() {
        board.report(WHOLE_GPU, xid("79", HealthEffect.NO_SCHEDULE, T0));
        WantedPool pool = WantedPool.of(devices, taints(), true);
        for (ResourceApiVersion version : ResourceApiVersion.values()) {
            HasMetadata slice = SliceSetBuilder.render(pool, NODE, NODE_UID, 1, version).get(0);
            String json = Serialization.asJson(slice);
            String expected = version == ResourceApiVersion.V1BETA1
                    ? "\"basic\":{\"attributes\""
                    : "\"name\":\"gpu-0\"";
            assertTrue(json.contains(expected), version + ": " + json);
            DeviceTaint taint = io.alauda.dra.resourceapi.V1Shape.slice(slice).getSpec().getDevices().get(0).getTaints().get(0);
            assertEquals("gpu.nvidia.com/xid", taint.getKey(), version.id());
            assertEquals("79", taint.getValue(), version.id());
            assertEquals("NoSchedule", taint.getEffect(), version.id());
            assertNull(taint.getTimeAdded(), version.id());
            List<DeviceTaint> untainted = io.alauda.dra.resourceapi.V1Shape.slice(slice).getSpec().getDevices().get(1).getTaints();
            assertTrue(untainted == null || untainted.isEmpty(), version.id());
        }
        String beta1 = Serialization.asJson(SliceSetBuilder.render(pool, NODE, NODE_UID, 1, ResourceApiVersion.V1BETA1).get(0));
        // under basic: the taint list closes basic before the device's name follows
        assertTrue(beta1.contains("\"taints\":[{\"effect\":\"NoSchedule\",\"key\":\"gpu.nvidia.com/xid\",\"value\":\"79\"}]},\"name\":\"gpu-0\""), beta1);
    }

    @Test
    void theServersTimeAddedIsNoDifferenceToRepair() {
        board.report(WHOLE_GPU, xid("79", HealthEffect.NO_SCHEDULE, T0));
        ResourceSlice ours = (ResourceSlice) SliceSetBuilder.render(WantedPool.of(devices, taints(), true), NODE, NODE_UID, 1,
                ResourceApiVersion.V1).get(0);
        ResourceSlice stored = Serialization.clone(ours);
        stored.getSpec().getDevices().get(0).getTaints().get(0).setTimeAdded("2026-12-04T10:00:01Z");
        assertEquals(CanonicalSpec.of(ours), CanonicalSpec.of(stored));
        stored.getSpec().getDevices().get(0).getTaints().get(0).setValue("48");
        assertTrue(!CanonicalSpec.of(ours).equals(CanonicalSpec.of(stored)), "a changed taint is a difference");
    }

    @Test
    void aPoolThatMayCarryTaintsHoldsAtMost64DevicesPerSlice() {
        List<AllocatableDevice> many = SliceTestDevices.gpus(100);
        assertEquals(List.of(100), WantedPool.of(many, Map.of(), false).layout().stream().map(List::size).toList());
        assertEquals(List.of(64, 36), WantedPool.of(many, Map.of(), true).layout().stream().map(List::size).toList());
        Map<String, List<SliceTaint>> one = Map.of("gpu-5", List.of(new SliceTaint("gpu.nvidia.com/xid", "79", "NoSchedule")));
        assertEquals(List.of(64, 36), WantedPool.of(many, one, false).layout().stream().map(List::size).toList(),
                "a taint forces the smaller limit even when the pool was not declared taintable");
    }

    @Test
    void anUpdateKeepsTheServersTimeOfTaintsThatStandOn() {
        for (ResourceApiVersion version : ResourceApiVersion.values()) {
            DeviceHealthBoard health = new DeviceHealthBoard();
            health.report(WHOLE_GPU, xid("79", HealthEffect.NO_SCHEDULE, T0));
            HasMetadata stored = SliceSetBuilder.render(WantedPool.of(devices, DeviceTaints.byName(health.snapshot(), devices), true),
                    NODE, NODE_UID, 1, version).get(0);
            ResourceSlice storedV1 = io.alauda.dra.resourceapi.V1Shape.slice(stored);
            storedV1.getSpec().getDevices().get(0).getTaints().get(0).setTimeAdded("2026-12-04T10:00:01Z");
            stored = io.alauda.dra.resourceapi.V1Shape.as(version, storedV1);
            stored.getMetadata().setName("slice-0");
            stored.getMetadata().setResourceVersion("5");
            stored.getMetadata().getLabels().put(SliceNames.LABEL_SLICE_INDEX, "0");

            health.report(MIG, xid("94", HealthEffect.NO_SCHEDULE, T0));
            PoolSyncPlan plan = PoolSyncPlan.plan(NODE, NODE_UID, version,
                    WantedPool.of(devices, DeviceTaints.byName(health.snapshot(), devices), true), List.of(SliceView.of(stored)));
            assertEquals(1, plan.updates().size(), version.id());
            ResourceSlice update = io.alauda.dra.resourceapi.V1Shape.slice(plan.updates().get(0));
            assertEquals("2026-12-04T10:00:01Z", update.getSpec().getDevices().get(0).getTaints().get(0).getTimeAdded(), version.id());
            assertNull(update.getSpec().getDevices().get(1).getTaints().get(0).getTimeAdded(), "the new taint's time is the server's to set");
            assertEquals("slice-0", update.getMetadata().getName());
        }
    }
}
