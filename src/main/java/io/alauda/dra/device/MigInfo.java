package io.alauda.dra.device;

import java.util.Objects;

/**
 * One MIG device that exists on a GPU.
 *
 * @param uuid              {@code MIG-...}
 * @param parentMinor       minor number of the parent GPU
 * @param parentUuid        UUID of the parent GPU
 * @param gpuInstanceId     GI ID; selects {@code /proc/driver/nvidia/capabilities/gpu<minor>/mig/gi<GI>/access}
 * @param computeInstanceId CI ID inside that GI
 * @param profile           the GI profile
 * @param placementStart    first memory slice of the GI placement
 * @param placementSize     number of memory slices of the placement
 */
public record MigInfo(
        String uuid,
        int parentMinor,
        String parentUuid,
        int gpuInstanceId,
        int computeInstanceId,
        MigProfile profile,
        int placementStart,
        int placementSize) {

    public MigInfo {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(parentUuid, "parentUuid");
        Objects.requireNonNull(profile, "profile");
        if (placementStart < 0 || placementSize < 0) {
            throw new IllegalArgumentException("MIG placement must not be negative: start " + placementStart + ", size " + placementSize);
        }
    }
}
