package io.alauda.dra.slice;

/**
 * A device cannot be published because it breaks a rule the API server enforces on ResourceSlices. Thrown before
 * anything is sent, so the message can name the device and the rule instead of relaying a validation error.
 */
public final class SliceLimitException extends IllegalArgumentException {

    public SliceLimitException(String message) {
        super(message);
    }
}
