package io.alauda.dra.nvml;

/**
 * Discovery could not finish. The message is written for the person running the node: it names what failed (path,
 * NVML call, GPU) and the fix, so the discover command and the kubelet plugin print it as it is.
 */
public class DiscoveryException extends RuntimeException {

    public DiscoveryException(String message) {
        super(message);
    }

    public DiscoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
