package io.alauda.dra.controller;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.alauda.dra.controller.V1Objects.A100;
import static io.alauda.dra.controller.V1Objects.H100;
import static io.alauda.dra.controller.V1Objects.allNodesSlice;
import static io.alauda.dra.controller.V1Objects.allocated;
import static io.alauda.dra.controller.V1Objects.gpu;
import static io.alauda.dra.controller.V1Objects.mig;
import static io.alauda.dra.controller.V1Objects.otherDriverSlice;
import static io.alauda.dra.controller.V1Objects.pending;
import static io.alauda.dra.controller.V1Objects.result;
import static io.alauda.dra.controller.V1Objects.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A small cluster whose numbers are worked out by hand in the comments: node-a has two H100s (80Gi each), node-b an
 * A100 split into three MIG devices (5Gi, 5Gi, 10Gi), node-c publishes nothing, and an allNodes slice offers one
 * A100 (40Gi). 1Gi = 1,073,741,824 bytes.
 */
class AllocationModelTest {

    private static final long GI = 1L << 30;
    private static final Set<String> CLASSES = ControllerSettings.DEFAULT_DEVICE_CLASSES;

    private final List<SliceView> slices = List.of(
            V1Views.slice(slice("node-a-gpus", "node-a", 2, gpu("gpu-0", H100, "80Gi"), gpu("gpu-1", H100, "80Gi"))),
            // generation 1 of node-a's pool is being replaced: its four devices must not count
            V1Views.slice(slice("node-a-old", "node-a", 1, gpu("gpu-0", H100, "80Gi"), gpu("gpu-1", H100, "80Gi"),
                    gpu("gpu-2", H100, "80Gi"), gpu("gpu-3", H100, "80Gi"))),
            V1Views.slice(slice("node-b-gpus", "node-b", 1, mig("gpu-0-mig-1g5gb-19-0", A100, "5Gi"),
                    mig("gpu-0-mig-1g5gb-19-1", A100, "5Gi"), mig("gpu-0-mig-2g10gb-14-2", A100, "10Gi"))),
            V1Views.slice(otherDriverSlice("node-a-nics", "node-a")),
            V1Views.slice(allNodesSlice("shared-gpus", gpu("shared-gpu", A100, "40Gi"))));

    private final List<ClaimView> claims = List.of(
            V1Views.claim(allocated("team-a", "train-1", "gpu.nvidia.com", result("node-a", "gpu-0"))),
            // shares gpu-0 with train-1: the device still counts once
            V1Views.claim(allocated("team-a", "train-2", "gpu.nvidia.com", result("node-a", "gpu-0"))),
            // admin access (monitoring) does not make gpu-1 allocated, but the claim is an allocated one of ours
            V1Views.claim(allocated("team-a", "monitor", "gpu.nvidia.com", result("gpu.nvidia.com", "node-a", "gpu-1", true))),
            // names a device only the old generation published: the claim counts, the device does not
            V1Views.claim(allocated("team-a", "old", "gpu.nvidia.com", result("node-a", "gpu-3"))),
            V1Views.claim(allocated("team-b", "infer-1", "mig.nvidia.com", result("node-b", "gpu-0-mig-2g10gb-14-2"))),
            V1Views.claim(pending("team-b", "wait-1", "gpu.nvidia.com")),
            V1Views.claim(pending("team-b", "wait-2", "mig.nvidia.com")),
            V1Views.claim(pending("team-c", "nic", "nic.example.com")),
            V1Views.claim(allocated("team-c", "net", "nic.example.com", result("net.example.com", "node-a", "nic-0", false))),
            // its node left with its slice: counted as an allocated claim, not as an allocated device
            V1Views.claim(allocated("team-d", "ghost", "gpu.nvidia.com", result("node-x", "gpu-7"))));

    private final AllocationSnapshot snapshot = AllocationModel.compute(slices, claims, Set.of("node-a", "node-c"), CLASSES);

    @Test
    void countsPublishedAndAllocatedDevicesPerNodeProductAndType() {
        assertEquals(Map.of(
                new DeviceGroup("node-a", H100, "gpu"), new DeviceTotals(2, 1, 160 * GI, 80 * GI),
                new DeviceGroup("node-b", A100, "mig"), new DeviceTotals(3, 1, 20 * GI, 10 * GI),
                new DeviceGroup("", A100, "gpu"), new DeviceTotals(1, 0, 40 * GI, 0)), snapshot.devices());
    }

    @Test
    void countsOnlyClaimsThatConcernTheDriverPerNamespace() {
        assertEquals(Map.of(
                "team-a", new ClaimCounts(4, 0),
                "team-b", new ClaimCounts(1, 2),
                "team-d", new ClaimCounts(1, 0)), snapshot.claimsByNamespace());
    }

    @Test
    void countsCurrentSlicesOfSelectedNodesOnly() {
        assertEquals(Map.of("node-a", 1, "node-c", 0), snapshot.slicesBySelectedNode());
    }

    @Test
    void aNodeWhoseSliceIsGoneDisappearsFromTheDevices() {
        AllocationSnapshot later = AllocationModel.compute(
                slices.stream().filter(s -> !s.name().equals("node-b-gpus")).toList(), claims, Set.of("node-a"), CLASSES);
        assertEquals(Set.of(new DeviceGroup("node-a", H100, "gpu"), new DeviceGroup("", A100, "gpu")), later.devices().keySet());
    }

    @Test
    void anEmptyClusterHasNoRows() {
        AllocationSnapshot empty = AllocationModel.compute(List.of(), List.of(), Set.of(), CLASSES);
        assertEquals(Map.of(), empty.devices());
        assertEquals(Map.of(), empty.claimsByNamespace());
        assertEquals(Map.of(), empty.slicesBySelectedNode());
    }

    @Test
    void aClassOutsideTheConfiguredSetMakesAPendingClaimNotOurs() {
        AllocationSnapshot gpuOnly = AllocationModel.compute(slices, claims, Set.of(), Set.of("gpu.nvidia.com"));
        // wait-2 asks for mig.nvidia.com, which is no longer one of ours; the allocated infer-1 still counts by its result
        assertEquals(new ClaimCounts(1, 1), gpuOnly.claimsByNamespace().get("team-b"));
    }
}
