package io.alauda.dra.plugin.sharing;

/** A GPU setting could not be read or changed; the message says which GPU, what was run and what it answered. */
public final class GpuSharingException extends Exception {

    public GpuSharingException(String message) {
        super(message);
    }

    public GpuSharingException(String message, Throwable cause) {
        super(message, cause);
    }
}
