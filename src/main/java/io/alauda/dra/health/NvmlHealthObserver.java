package io.alauda.dra.health;

import io.alauda.dra.nvml.NvmlEvent;
import io.alauda.dra.nvml.NvmlException;

/**
 * Told what the NVML health monitor does, on the monitor's thread: the kubelet plugin logs it, {@code discover
 * --watch-health} prints it. The board carries the results; this carries the steps, so that a quiet run can be told
 * apart from a run that watched nothing. Implementations must return quickly.
 */
public interface NvmlHealthObserver {

    NvmlHealthObserver SILENT = new NvmlHealthObserver() {
    };

    /** Events were registered for the GPU: {@code registered} is the part of {@code supported} that was asked for. */
    default void registered(String gpuUuid, long supported, long registered) {
    }

    /** The GPU's XIDs cannot be watched; {@code reason} says what NVML answered. */
    default void unmonitored(String gpuUuid, String reason) {
    }

    /** An event arrived; {@code outcome} says what the monitor made of it. */
    default void event(NvmlEvent event, String outcome) {
    }

    /** One reachability check of one GPU; {@code detail} is NVML's answer when it was not success. */
    default void checked(String gpuUuid, Reachability result, String detail) {
    }

    /** A wait for events failed with something other than a timeout; the monitor goes on after a pause. */
    default void waitFailed(NvmlException failure) {
    }

    /** The monitor stopped watching for good (NVML would not open, or an unexpected failure); every GPU is unmonitored. */
    default void failed(RuntimeException failure) {
    }
}
