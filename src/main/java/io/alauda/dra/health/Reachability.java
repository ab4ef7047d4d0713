package io.alauda.dra.health;

import io.alauda.dra.nvml.NvmlReturn;

/** What one reachability check of a GPU found. */
public enum Reachability {
    /** The GPU answered (an answer of NOT_SUPPORTED or NO_PERMISSION is an answer too). */
    REACHABLE,
    /** NVML says the GPU is gone: GPU_IS_LOST, RESET_REQUIRED, GPU_NOT_FOUND, or its UUID is no longer found. */
    LOST,
    /** NVML failed in a way that says nothing about this GPU (e.g. UNKNOWN); nothing is reported, to avoid a false alarm. */
    INCONCLUSIVE;

    /** The verdict for an NVML return code of the probe. */
    public static Reachability of(int nvmlReturn) {
        return switch (nvmlReturn) {
            case NvmlReturn.SUCCESS, NvmlReturn.ERROR_NOT_SUPPORTED, NvmlReturn.ERROR_NO_PERMISSION -> REACHABLE;
            case NvmlReturn.ERROR_GPU_IS_LOST, NvmlReturn.ERROR_RESET_REQUIRED, NvmlReturn.ERROR_GPU_NOT_FOUND,
                    NvmlReturn.ERROR_NOT_FOUND -> LOST;
            default -> INCONCLUSIVE;
        };
    }
}
