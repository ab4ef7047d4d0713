package io.alauda.dra.plugin.sharing;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds nvidia-smi on first use, so a node without it (or without sharing claims) starts as before, and the error
 * of a missing tool reaches the claim that needs it.
 */
public final class LazyGpuSharingControl implements GpuSharingControl {

    private final Supplier<GpuSharingControl> factory;
    private GpuSharingControl delegate;

    public LazyGpuSharingControl(Supplier<GpuSharingControl> factory) {
        this.factory = factory;
    }

    public static LazyGpuSharingControl nvidiaSmi(Path containerDriverRoot) {
        return new LazyGpuSharingControl(() -> NvidiaSmiSharingControl.forDriverRoot(containerDriverRoot));
    }

    private synchronized GpuSharingControl delegate() throws GpuSharingException {
        if (delegate == null) {
            try {
                delegate = factory.get();
            } catch (RuntimeException e) {
                throw new GpuSharingException(e.getMessage(), e);
            }
        }
        return delegate;
    }

    @Override
    public Optional<ComputeMode> computeMode(String gpuUuid) throws GpuSharingException {
        return delegate().computeMode(gpuUuid);
    }

    @Override
    public void setComputeMode(String gpuUuid, ComputeMode mode) throws GpuSharingException {
        delegate().setComputeMode(gpuUuid, mode);
    }

    @Override
    public Optional<Integer> timeSlice(String gpuUuid) throws GpuSharingException {
        return delegate().timeSlice(gpuUuid);
    }

    @Override
    public void setTimeSlice(String gpuUuid, int level) throws GpuSharingException {
        delegate().setTimeSlice(gpuUuid, level);
    }
}
