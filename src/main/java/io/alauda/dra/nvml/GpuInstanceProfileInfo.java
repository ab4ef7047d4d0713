package io.alauda.dra.nvml;

/**
 * {@code nvmlGpuInstanceProfileInfo_t} (version 1), field for field. Counts are unsigned in C; they fit an int.
 *
 * @param id           the profile ID that GPU instances carry ({@link GpuInstanceInfo#profileId()})
 * @param memorySizeMB memory of the profile in MiB
 */
public record GpuInstanceProfileInfo(
        int id,
        int isP2pSupported,
        int sliceCount,
        int instanceCount,
        int multiprocessorCount,
        int copyEngineCount,
        int decoderCount,
        int encoderCount,
        int jpegCount,
        int ofaCount,
        long memorySizeMB) {
}
