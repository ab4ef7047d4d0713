package io.alauda.dra.plugin.checkpoint;

/** What {@link CheckpointStore#load()} found. */
public enum LoadOutcome {
    /** No checkpoint file: first start on this node (or after a clean uninstall). */
    NO_CHECKPOINT,
    /** The file was read; its claims are in the store. */
    LOADED,
    /** The file was written before the node last rebooted; its claims were dropped. */
    DISCARDED_AFTER_REBOOT,
    /** The file was unusable and moved aside; a {@link CheckpointRecovery} went to the listener. */
    RECOVERED_FROM_CORRUPTION
}
