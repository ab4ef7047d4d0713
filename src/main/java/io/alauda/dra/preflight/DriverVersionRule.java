package io.alauda.dra.preflight;

/** The seed's prerequisite "NvidiaDriver v565+": older drivers lack what DRA with CDI relies on. */
public final class DriverVersionRule {

    public static final int MINIMUM_MAJOR = 565;

    private DriverVersionRule() {
    }

    /** @param driverVersion as NVML reports it, e.g. {@code 580.159.04} */
    public static Finding check(String driverVersion) {
        int major = major(driverVersion);
        if (major < 0) {
            return new Finding(Check.DRIVER_VERSION, Outcome.UNKNOWN, "DriverVersionUnknown", "NVML reported driver version '"
                    + driverVersion + "', which is not <major>.<minor>; cannot check the 565+ prerequisite");
        }
        if (major < MINIMUM_MAJOR) {
            return new Finding(Check.DRIVER_VERSION, Outcome.FAILED, "DriverTooOld", "NVIDIA driver " + driverVersion
                    + " is older than " + MINIMUM_MAJOR + ", the oldest this driver supports (prerequisite \"NvidiaDriver v"
                    + MINIMUM_MAJOR + "+\"), so this node publishes no GPUs. Fix: install NVIDIA driver " + MINIMUM_MAJOR
                    + " or later on the node (https://docs.nvidia.com/cuda/cuda-installation-guide-linux/), then delete"
                    + " this node's kubelet-plugin pod so that it starts again with the new driver");
        }
        return Finding.passed(Check.DRIVER_VERSION, "DriverSupported", "NVIDIA driver " + driverVersion + " (" + MINIMUM_MAJOR
                + " or later)");
    }

    private static int major(String version) {
        if (version == null) {
            return -1;
        }
        int dot = version.indexOf('.');
        String digits = dot < 0 ? version : version.substring(0, dot);
        if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(digits);
    }
}
