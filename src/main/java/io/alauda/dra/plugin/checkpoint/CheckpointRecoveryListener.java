package io.alauda.dra.plugin.checkpoint;

/** Told when a checkpoint had to be moved aside during {@link CheckpointStore#load()}. */
@FunctionalInterface
public interface CheckpointRecoveryListener {

    CheckpointRecoveryListener NONE = recovery -> {
    };

    void onRecovery(CheckpointRecovery recovery);
}
