package io.alauda.dra.nvml;

/** {@code nvmlDeviceGetMigMode}: 1 is enabled ({@code NVML_DEVICE_MIG_ENABLE}), 0 disabled. */
public record MigMode(int current, int pending) {

    public static final int ENABLED = 1;

    public boolean currentlyEnabled() {
        return current == ENABLED;
    }
}
