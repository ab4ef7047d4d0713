package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which device goes into which slice of the node's pool: sorted by name (upstream leaves the order to Go map
 * iteration; a stable order means an unchanged node never rewrites its slices), at most 128 per slice, or 64 where
 * devices may carry taints.
 */
final class SliceLayout {

    private SliceLayout() {
    }

    /**
     * @return one list of devices per slice; a node without devices still gets one empty slice, which tells the
     *         scheduler that the driver runs and has nothing to offer (as upstream recommends)
     * @throws SliceLimitException naming the device that cannot be published
     */
    static List<List<AllocatableDevice>> split(List<AllocatableDevice> devices) {
        return split(devices, SliceLimits.MAX_DEVICES_PER_SLICE);
    }

    static List<List<AllocatableDevice>> split(List<AllocatableDevice> devices, int perSlice) {
        if (devices == null) {
            throw new IllegalArgumentException("devices must not be null: pass an empty list for a node without GPUs");
        }
        List<AllocatableDevice> sorted = new ArrayList<>(devices);
        sorted.sort(Comparator.comparing(AllocatableDevice::name));
        for (int i = 0; i < sorted.size(); i++) {
            SliceLimits.check(sorted.get(i));
            if (i > 0 && sorted.get(i - 1).name().equals(sorted.get(i).name())) {
                throw new SliceLimitException("device name " + sorted.get(i).name() + " appears twice: names must be unique in a pool");
            }
        }
        List<List<AllocatableDevice>> slices = new ArrayList<>();
        for (int start = 0; start < sorted.size(); start += perSlice) {
            slices.add(List.copyOf(sorted.subList(start, Math.min(sorted.size(), start + perSlice))));
        }
        if (slices.isEmpty()) {
            slices.add(List.of());
        }
        return List.copyOf(slices);
    }
}
