package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;

import java.util.List;
import java.util.Map;

/**
 * What the node's pool should hold: its devices laid out into slices, and the taints of those that have any.
 *
 * @param taints by device name; a device that is not listed has none
 */
record WantedPool(List<List<AllocatableDevice>> layout, Map<String, List<SliceTaint>> taints) {

    WantedPool {
        layout = List.copyOf(layout);
        taints = Map.copyOf(taints);
    }

    /**
     * @param taintable whether devices may carry taints at some point (health monitoring is on). Such a pool is laid
     *                  out at the API's limit for tainted slices from the start, so that a device turning unhealthy
     *                  changes one slice in place rather than splitting the whole pool anew
     * @throws SliceLimitException naming the device that cannot be published
     */
    static WantedPool of(List<AllocatableDevice> devices, Map<String, List<SliceTaint>> taints, boolean taintable) {
        int perSlice = taintable || !taints.isEmpty() ? SliceLimits.MAX_DEVICES_PER_SLICE_WITH_TAINTS : SliceLimits.MAX_DEVICES_PER_SLICE;
        return new WantedPool(SliceLayout.split(devices, perSlice), taints);
    }

    static WantedPool untainted(List<List<AllocatableDevice>> layout) {
        return new WantedPool(layout, Map.of());
    }

    List<SliceTaint> taintsOf(String device) {
        return taints.getOrDefault(device, List.of());
    }

    int deviceCount() {
        return layout.stream().mapToInt(List::size).sum();
    }

    /** The same devices without taints: what a server that drops them stores. */
    WantedPool withoutTaints() {
        return untainted(layout);
    }
}
