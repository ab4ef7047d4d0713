package io.alauda.dra.preflight;

/** What the kubelet plugin checks on its node before it publishes devices; {@link #label()} names it in metrics. */
public enum Check {
    /** The seed's prerequisite: NVIDIA driver 565 or later. */
    DRIVER_VERSION("driver-version"),
    /** {@code libnvidia-ml.so.1} and the control device node under the driver root. */
    DRIVER_FILES("driver-files"),
    /** The container runtime applies CDI specs (containerd 2.x, or 1.7 with {@code enable_cdi = true}). */
    CONTAINER_RUNTIME_CDI("container-runtime-cdi"),
    /** An {@code nvidia-cdi-hook} the specs can name, without which containers get no library links. */
    CDI_HOOK("cdi-hook");

    private final String label;

    Check(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
