package io.alauda.dra.nvml;

import java.util.Optional;

/**
 * The NVML event calls the health monitor needs, with Java types in and out. Kept apart from {@link Nvml}, which
 * addresses GPUs by index so that discovery can be recorded and replayed: events are live by nature, and GPUs are
 * addressed here by UUID, which stays right when a lost GPU changes the enumeration order.
 *
 * <p>One event set per instance. Not thread-safe: the monitor makes every call from its own thread, and
 * {@link #close()} must not run while {@link #await(int)} does (freeing the set under a waiting call is undefined in
 * NVML). Every method but {@link #close()} throws {@link NvmlException} when NVML answers anything but success.
 */
public interface NvmlEvents extends AutoCloseable {

    /** {@code nvmlInit_v2}, then {@code nvmlEventSetCreate}. */
    void open();

    /** {@code nvmlDeviceGetHandleByUUID}, then {@code nvmlDeviceGetSupportedEventTypes}: a mask of {@link NvmlEventType}. */
    long supportedEventTypes(String gpuUuid);

    /**
     * {@code nvmlDeviceRegisterEvents} on the set. NVML registers nothing and answers NOT_SUPPORTED when the mask has a
     * type the GPU does not support, so the mask should be cut to {@link #supportedEventTypes} first.
     */
    void register(String gpuUuid, long eventTypes);

    /**
     * {@code nvmlEventSetWait_v2}: the next event, or empty when none came within {@code timeoutMillis}
     * ({@code NVML_ERROR_TIMEOUT}, which NVML also answers early on an interrupt).
     *
     * @throws NvmlException for anything else, e.g. {@code NVML_ERROR_GPU_IS_LOST} when a GPU fell off the bus
     */
    Optional<NvmlEvent> await(int timeoutMillis);

    /**
     * Asks the GPU something that only the GPU can answer ({@code nvmlDeviceGetMemoryInfo}) to learn whether it is
     * still reachable. Returns when it answered.
     *
     * @throws NvmlException with NVML's code otherwise, e.g. {@code NVML_ERROR_GPU_IS_LOST}
     */
    void probe(String gpuUuid);

    /** {@code nvmlEventSetFree}, then {@code nvmlShutdown}; best effort, never throws, safe to call twice. */
    @Override
    void close();
}
