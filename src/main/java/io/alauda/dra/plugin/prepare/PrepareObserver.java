package io.alauda.dra.plugin.prepare;

import io.alauda.dra.device.DeviceType;
import io.alauda.dra.plugin.api.ResourceClaimRef;

import java.time.Duration;

/**
 * What the preparer reports for metrics and Kubernetes events. Every method has an empty default, so an adapter
 * implements only what it needs. Calls come from request threads; implementations must be thread-safe and quick.
 * An exception thrown here is logged and otherwise ignored.
 */
public interface PrepareObserver {

    PrepareObserver NONE = new PrepareObserver() {
    };

    enum Operation {
        PREPARE, UNPREPARE
    }

    /** A NodePrepareResources or NodeUnprepareResources call begins. */
    default void requestStarted(Operation operation, int claims) {
    }

    /** The call ends; {@code failedClaims} of its claims got an error. */
    default void requestFinished(Operation operation, Duration duration, int failedClaims) {
    }

    /** Preparing one claim failed; {@code message} is what kubelet was told. */
    default void prepareError(ClaimErrorType type, ResourceClaimRef claim, String message) {
    }

    /** Unpreparing one claim failed; kubelet retries it. */
    default void unprepareError(ClaimErrorType type, ResourceClaimRef claim, String message) {
    }

    /** Devices of a type prepared on this node now (a gauge), after every change and at start. */
    default void preparedDevices(DeviceType type, int count) {
    }

    /** State was repaired at start: a lost checkpoint rebuilt, orphaned specs held, or specs removed after a reboot. */
    default void recovered(RecoveryReport report) {
    }
}
