package io.alauda.dra.cdi;

/**
 * A CDI spec could not be built, read, validated or written. The message names the field, value or path at fault
 * and what to do about it, so the kubelet plugin can hand it to the user as the claim's error unchanged.
 */
public class CdiException extends Exception {

    public CdiException(String message) {
        super(message);
    }

    public CdiException(String message, Throwable cause) {
        super(message, cause);
    }
}
