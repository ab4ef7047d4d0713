package io.alauda.dra.plugin.sharing;

/** An MPS control daemon could not be started, checked or stopped; the message says which and why. */
public final class MpsException extends Exception {

    public MpsException(String message) {
        super(message);
    }

    public MpsException(String message, Throwable cause) {
        super(message, cause);
    }
}
