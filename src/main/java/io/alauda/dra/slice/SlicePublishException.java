package io.alauda.dra.slice;

/** One publishing attempt failed; the message says which step and what to check. The publisher retries. */
public final class SlicePublishException extends RuntimeException {

    public SlicePublishException(String message) {
        super(message);
    }

    public SlicePublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
