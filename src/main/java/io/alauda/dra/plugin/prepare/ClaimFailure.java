package io.alauda.dra.plugin.prepare;

import java.util.Objects;

/**
 * One claim could not be prepared or unprepared. The message is what kubelet shows the user (in pod events), so it
 * names the field or object at fault and what to do about it.
 */
public final class ClaimFailure extends Exception {

    private final ClaimErrorType type;

    public ClaimFailure(ClaimErrorType type, String message) {
        super(message);
        this.type = Objects.requireNonNull(type, "type");
    }

    public ClaimFailure(ClaimErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = Objects.requireNonNull(type, "type");
    }

    public ClaimErrorType type() {
        return type;
    }
}
