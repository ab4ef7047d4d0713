package io.alauda.dra.plugin.prepare;

/** Why preparing or unpreparing one claim failed; the label for metrics and events. */
public enum ClaimErrorType {
    /** The kubelet request itself is unusable: a UID, namespace or name that cannot be a Kubernetes claim. */
    INVALID_REQUEST,
    /** The ResourceClaim does not exist (any more). */
    CLAIM_NOT_FOUND,
    /** The ResourceClaim exists under the same name with another UID: deleted and recreated. */
    CLAIM_REPLACED,
    /** The ResourceClaim has no {@code status.allocation} yet. */
    CLAIM_NOT_ALLOCATED,
    /** The API server could not be asked or answered with an error other than "not found". */
    API_ERROR,
    /** An allocation result names a device this node does not have. */
    UNKNOWN_DEVICE,
    /** The node's checks failed (an old driver, containerd without CDI, no nvidia-cdi-hook), so it serves no GPU. */
    NODE_CHECKS_FAILED,
    /** An allocation result of this driver names another node's pool: the claim was allocated for another node. */
    OTHER_NODE,
    /** An opaque config of this driver is malformed, of an unknown kind, or of the wrong kind for its device. */
    INVALID_CONFIG,
    /** A config asks for a sharing strategy whose feature gate is off on the NvidiaDraDriver. */
    SHARING_GATE_OFF,
    /** Sharing could not be set up or torn down: nvidia-smi failed, or an MPS control daemon did not start or stop. */
    SHARING_SETUP,
    /** The claim's MPS control daemon was not ready in time; prepare is retried by kubelet and waits on. */
    MPS_NOT_READY,
    /** A device is already held exclusively by another claim on this node. */
    DEVICE_IN_USE,
    /** The claim's CDI spec could not be built, written or deleted. */
    CDI_SPEC,
    /** The checkpoint could not be written. */
    CHECKPOINT,
    /** A bug or an unexpected runtime failure; the stack trace is in the log. */
    INTERNAL,
    /**
     * Kubelet stopped waiting for the call (deadline passed, call cancelled) or the plugin is shutting down, so the
     * claim was left alone. Not an error of the claim: it is answered, but not logged or counted as a failure.
     */
    CANCELLED
}
