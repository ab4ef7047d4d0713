package io.alauda.dra.nvml;

/** {@code nvmlDeviceGetCudaComputeCapability}: the CUDA compute capability, e.g. 9.0 for Hopper. */
public record ComputeCapability(int major, int minor) {

    /** {@code major.minor}, the form upstream passes on to its semver normaliser. */
    public String text() {
        return major + "." + minor;
    }
}
