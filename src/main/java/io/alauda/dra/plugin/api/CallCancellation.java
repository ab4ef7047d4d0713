package io.alauda.dra.plugin.api;

import java.util.Optional;

/**
 * Whether the kubelet call that asked for some work still waits for it. Kubelet gives each NodePrepareResources call a
 * deadline and gives up after it; work done after that is answered to nobody, and work started on a closed API client
 * only fails noisily. The gRPC layer adapts the call's context; tests pass their own.
 */
@FunctionalInterface
public interface CallCancellation {

    /** A caller that never stops waiting. */
    CallCancellation NEVER = Optional::empty;

    /** Empty while the caller still waits; otherwise why it stopped, as a phrase for messages ("the call's deadline passed"). */
    Optional<String> reason();

    /** Cancelled when either is. */
    default CallCancellation or(CallCancellation other) {
        return () -> reason().or(other::reason);
    }
}
