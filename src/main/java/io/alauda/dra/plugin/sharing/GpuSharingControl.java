package io.alauda.dra.plugin.sharing;

import java.util.Optional;

/**
 * The GPU settings sharing changes. Upstream changes them with the driver's nvidia-smi
 * ({@link NvidiaSmiSharingControl}); tests use a fake. Calls for one GPU are made one at a time by the caller.
 */
public interface GpuSharingControl {

    /** The GPU's compute mode, or empty when this driver cannot tell. */
    Optional<ComputeMode> computeMode(String gpuUuid) throws GpuSharingException;

    void setComputeMode(String gpuUuid, ComputeMode mode) throws GpuSharingException;

    /** The GPU's time-slice level (0 Default to 3 Long), or empty when this driver cannot tell. */
    Optional<Integer> timeSlice(String gpuUuid) throws GpuSharingException;

    void setTimeSlice(String gpuUuid, int level) throws GpuSharingException;

    /** For nodes where sharing is off: any call is a bug, since the planner refuses sharing claims there. */
    GpuSharingControl NONE = new GpuSharingControl() {
        @Override
        public Optional<ComputeMode> computeMode(String gpuUuid) throws GpuSharingException {
            throw new GpuSharingException("GPU sharing is not enabled on this node");
        }

        @Override
        public void setComputeMode(String gpuUuid, ComputeMode mode) throws GpuSharingException {
            throw new GpuSharingException("GPU sharing is not enabled on this node");
        }

        @Override
        public Optional<Integer> timeSlice(String gpuUuid) throws GpuSharingException {
            throw new GpuSharingException("GPU sharing is not enabled on this node");
        }

        @Override
        public void setTimeSlice(String gpuUuid, int level) throws GpuSharingException {
            throw new GpuSharingException("GPU sharing is not enabled on this node");
        }
    };
}
