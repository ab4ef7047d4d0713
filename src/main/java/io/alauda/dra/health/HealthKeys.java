package io.alauda.dra.health;

/** The problem keys the node reports, upstream's DeviceTaint keys. */
public final class HealthKeys {

    /** An XID error NVML reported for the device; the value is the XID number. */
    public static final String XID = "gpu.nvidia.com/xid";
    /** The GPU does not answer NVML any more (fell off the bus, needs a reset); no value. */
    public static final String GPU_LOST = "gpu.nvidia.com/gpu-lost";
    /** NVML events could not be registered for the GPU, so XIDs on it go unseen; no value. */
    public static final String UNMONITORED = "gpu.nvidia.com/unmonitored";

    private HealthKeys() {
    }
}
