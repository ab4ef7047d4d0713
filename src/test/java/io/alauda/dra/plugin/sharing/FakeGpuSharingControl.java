package io.alauda.dra.plugin.sharing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** GPUs in memory: each starts in compute mode Default with time-slice 0; every change is logged in order. */
public final class FakeGpuSharingControl implements GpuSharingControl {

    private final Map<String, ComputeMode> modes = new HashMap<>();
    private final Map<String, Integer> slices = new HashMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> failing = new HashSet<>();
    private boolean unreadable;

    public synchronized ComputeMode mode(String uuid) {
        return modes.getOrDefault(uuid, ComputeMode.DEFAULT);
    }

    public synchronized int slice(String uuid) {
        return slices.getOrDefault(uuid, 0);
    }

    /** Sets the GPU as an admin would have before any claim. */
    public synchronized void preset(String uuid, ComputeMode mode, int slice) {
        modes.put(uuid, mode);
        slices.put(uuid, slice);
    }

    /** Changes to this GPU fail from now on, as nvidia-smi does on a GPU without compute policies. */
    public synchronized void failChanges(String uuid) {
        failing.add(uuid);
    }

    public synchronized void healChanges(String uuid) {
        failing.remove(uuid);
    }

    /** Reading settings fails from now on, as on a driver whose nvidia-smi output is not understood. */
    public synchronized void makeUnreadable() {
        unreadable = true;
    }

    /** Every change made, e.g. {@code GPU-x -c EXCLUSIVE_PROCESS} or {@code GPU-x timeslice 3}. */
    public List<String> changes() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private void refuseIfUnreadable() throws GpuSharingException {
        if (unreadable) {
            throw new GpuSharingException("unreadable");
        }
    }

    @Override
    public synchronized Optional<ComputeMode> computeMode(String gpuUuid) throws GpuSharingException {
        refuseIfUnreadable();
        return Optional.of(mode(gpuUuid));
    }

    @Override
    public synchronized void setComputeMode(String gpuUuid, ComputeMode mode) throws GpuSharingException {
        refuseIfFailing(gpuUuid);
        calls.add(gpuUuid + " -c " + mode.argument());
        modes.put(gpuUuid, mode);
    }

    @Override
    public synchronized Optional<Integer> timeSlice(String gpuUuid) throws GpuSharingException {
        refuseIfUnreadable();
        return Optional.of(slice(gpuUuid));
    }

    @Override
    public synchronized void setTimeSlice(String gpuUuid, int level) throws GpuSharingException {
        refuseIfFailing(gpuUuid);
        calls.add(gpuUuid + " timeslice " + level);
        slices.put(gpuUuid, level);
    }

    private void refuseIfFailing(String gpuUuid) throws GpuSharingException {
        if (failing.contains(gpuUuid)) {
            throw new GpuSharingException("nvidia-smi failed for " + gpuUuid + ": Not Supported");
        }
    }
}
