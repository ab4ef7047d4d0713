package io.alauda.dra.controller;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.alauda.dra.controller.V1Objects.H100;
import static io.alauda.dra.controller.V1Objects.allocated;
import static io.alauda.dra.controller.V1Objects.gpu;
import static io.alauda.dra.controller.V1Objects.otherDriverSlice;
import static io.alauda.dra.controller.V1Objects.pending;
import static io.alauda.dra.controller.V1Objects.result;
import static io.alauda.dra.controller.V1Objects.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only changes that can move a gauge wake the publisher; objects that do not concern the driver are not kept. */
class ClusterStateTest {

    private final AtomicInteger changes = new AtomicInteger();
    private final ClusterState state = new ClusterState(ControllerSettings.DEFAULT_DEVICE_CLASSES, changes::incrementAndGet);

    @Test
    void anUnchangedViewIsNotAChange() {
        var claim = allocated("ml", "train", "gpu.nvidia.com", result("gpu-1", "gpu-0"));
        state.putClaim(V1Views.claim(claim));
        claim.getMetadata().setResourceVersion("2"); // e.g. reservedFor changed: nothing we count
        state.putClaim(V1Views.claim(claim));
        state.putNode("gpu-1", true);
        state.putNode("gpu-1", true); // a heartbeat
        assertEquals(2, changes.get());

        state.putNode("gpu-1", false);
        assertEquals(3, changes.get());
    }

    @Test
    void claimsAndSlicesOfOtherDriversAreNotKept() {
        state.putClaim(V1Views.claim(pending("ml", "nic", "nic.example.com")));
        state.putSlice(V1Views.slice(otherDriverSlice("gpu-1-nics", "gpu-1")));
        state.putSlice(V1Views.slice(slice("gpu-1-gpus", "gpu-1", 1, gpu("gpu-0", H100, "80Gi"))));

        assertTrue(state.claims().isEmpty());
        assertEquals(List.of("gpu-1-gpus"), state.slices().stream().map(SliceView::name).toList());
        assertEquals(1, changes.get());
    }

    @Test
    void aClaimThatStopsConcerningTheDriverIsDropped() {
        state.putClaim(V1Views.claim(allocated("ml", "x", "gpu.nvidia.com", result("gpu-1", "gpu-0"))));
        // re-allocated (after deallocation) to another driver's device
        state.putClaim(V1Views.claim(allocated("ml", "x", "gpu.nvidia.com", result("net.example.com", "gpu-1", "nic-0", false))));
        assertTrue(state.claims().isEmpty());
        assertEquals(Set.of(), state.selectedNodes());
    }
}
