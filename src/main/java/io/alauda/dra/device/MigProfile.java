package io.alauda.dra.device;

import java.util.Objects;

/**
 * A GPU-instance profile as NVML describes it ({@code nvmlGpuInstanceProfileInfo_t}); the counts become the MIG
 * device's capacities.
 *
 * @param name            e.g. {@code 1g.10gb} or {@code 1g.10gb+me}
 * @param giProfileId     NVML GPU-instance profile ID (part of the device name)
 * @param memoryBytes     {@code memorySizeMB} times one MiB
 */
public record MigProfile(
        String name,
        int giProfileId,
        int multiprocessors,
        int copyEngines,
        int decoders,
        int encoders,
        int jpegEngines,
        int ofaEngines,
        long memoryBytes) {

    public MigProfile {
        Objects.requireNonNull(name, "name");
    }
}
