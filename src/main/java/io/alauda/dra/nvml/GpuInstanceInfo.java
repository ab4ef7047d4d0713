package io.alauda.dra.nvml;

/**
 * {@code nvmlGpuInstanceInfo_t} of one GPU instance, less the parent device handle.
 *
 * @param id             the GPU instance ID
 * @param profileId      the GPU instance profile ID (as in {@code nvmlGpuInstanceProfileInfo_t.id}, e.g. 19 for
 *                       1g.5gb on an A100), not the profile enum passed to {@code nvmlDeviceGetGpuInstanceProfileInfo}
 * @param placementStart first memory slice
 * @param placementSize  number of memory slices
 */
public record GpuInstanceInfo(int id, int profileId, int placementStart, int placementSize) {
}
