package io.alauda.dra.plugin.checkpoint;

import io.alauda.dra.plugin.api.KubeletDevice;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the checkpoint remembers about one claim (keyed by claim UID in the store).
 *
 * @param devices for {@link EntryState#PREPARE_COMPLETED}: what kubelet was given; for
 *                {@link EntryState#PREPARE_STARTED}: whatever the prepare step recorded before it began (may be empty)
 * @param sharing what the claim's sharing changes (or changed) on the node; {@link SharingRecord#NONE} for none
 */
public record CheckpointEntry(EntryState state, String namespace, String name, List<KubeletDevice> devices,
                              Instant updatedAt, SharingRecord sharing) {

    public CheckpointEntry(EntryState state, String namespace, String name, List<KubeletDevice> devices,
                           Instant updatedAt) {
        this(state, namespace, name, devices, updatedAt, SharingRecord.NONE);
    }

    public CheckpointEntry {
        sharing = sharing == null ? SharingRecord.NONE : sharing;
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        devices = devices == null ? List.of() : List.copyOf(devices);
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean isCompleted() {
        return state == EntryState.PREPARE_COMPLETED;
    }
}
