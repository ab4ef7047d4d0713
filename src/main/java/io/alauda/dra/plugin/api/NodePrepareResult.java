package io.alauda.dra.plugin.api;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of preparing one claim: either its devices, or an error that kubelet shows and retries on.
 *
 * @param devices devices to hand to the container runtime; ignored by kubelet when {@code error} is set
 * @param error   empty on success; otherwise why this claim could not be prepared
 */
public record NodePrepareResult(List<KubeletDevice> devices, String error) {

    public NodePrepareResult {
        devices = devices == null ? List.of() : List.copyOf(devices);
        error = Objects.requireNonNullElse(error, "");
    }

    public static NodePrepareResult prepared(List<KubeletDevice> devices) {
        return new NodePrepareResult(devices, "");
    }

    public static NodePrepareResult failed(String error) {
        if (error == null || error.isBlank()) {
            throw new IllegalArgumentException("a failed claim needs an error text for kubelet to report");
        }
        return new NodePrepareResult(List.of(), error);
    }

    public boolean isError() {
        return !error.isEmpty();
    }
}
