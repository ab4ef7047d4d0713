package io.alauda.dra.nvml;

/**
 * {@code nvmlDeviceAttributes_t} of a MIG device ({@code nvmlDeviceGetAttributes_v2}). Discovery uses the two slice
 * counts: a compute instance smaller than its GPU instance is not a device upstream publishes.
 */
public record MigDeviceAttributes(
        int multiprocessorCount,
        int sharedCopyEngineCount,
        int sharedDecoderCount,
        int sharedEncoderCount,
        int sharedJpegCount,
        int sharedOfaCount,
        int gpuInstanceSliceCount,
        int computeInstanceSliceCount,
        long memorySizeMB) {
}
