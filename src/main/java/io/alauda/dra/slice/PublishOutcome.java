package io.alauda.dra.slice;

import io.alauda.dra.resourceapi.ResourceApiVersion;

import java.time.Duration;

/**
 * One successful sync: the node's slices now match its devices.
 *
 * @param generation the pool generation the slices carry
 * @param slices     slices in the pool
 * @param devices    devices in all of them
 * @param created    slices created by this sync (likewise {@code updated}, {@code deleted}); all zero when the
 *                   published slices already matched and nothing was written
 * @param sinceStart time from {@link ResourceSlicePublisher#start} to the end of this sync
 */
public record PublishOutcome(ResourceApiVersion apiVersion, long generation, int slices, int devices, int created, int updated,
                             int deleted, Duration sinceStart) {

    public boolean wroteAnything() {
        return created + updated + deleted > 0;
    }
}
