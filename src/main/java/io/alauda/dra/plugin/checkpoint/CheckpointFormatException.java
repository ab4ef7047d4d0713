package io.alauda.dra.plugin.checkpoint;

/** A checkpoint file that cannot be used, and why. */
final class CheckpointFormatException extends Exception {

    private final CheckpointRecovery.Reason reason;

    CheckpointFormatException(CheckpointRecovery.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    CheckpointFormatException(CheckpointRecovery.Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    CheckpointRecovery.Reason reason() {
        return reason;
    }
}
