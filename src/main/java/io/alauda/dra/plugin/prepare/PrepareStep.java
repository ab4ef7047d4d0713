package io.alauda.dra.plugin.prepare;

/** Points between the durable steps of preparing and unpreparing a claim, where a crash can happen. */
enum PrepareStep {
    /** The claim was read from the API server; nothing is written yet. */
    CLAIM_FETCHED,
    /** The checkpoint says PrepareStarted, with the planned devices. */
    CHECKPOINT_STARTED,
    /** The claim's sharing (time-slice, MPS daemon) is in place; the CDI spec is not written yet. */
    SHARING_APPLIED,
    /** The claim's CDI spec is on disk. */
    SPEC_WRITTEN,
    /** The checkpoint says PrepareCompleted; only the answer to kubelet is left. */
    CHECKPOINT_COMPLETED,
    /** Unprepare removed the CDI spec; the checkpoint entry is still there. */
    SPEC_DELETED
}
