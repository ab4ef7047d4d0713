package io.alauda.dra.nvml;

/**
 * The NVML calls discovery needs, with Java types in and out. GPUs are addressed by NVML index and MIG devices by
 * (GPU index, MIG index), never by native handle, so that a recording of the answers can be replayed on a machine
 * without NVML ({@code nvml.replay.NvmlReplay}).
 *
 * <p>Every method throws {@link NvmlException} when NVML answers anything but success; what a code means (leave an
 * attribute out, skip an empty MIG slot, fail) is for the caller to decide. Method names follow the NVML functions
 * they call, listed in {@link NvmlCall}.
 */
public interface Nvml {

    /** {@code nvmlInit_v2}. */
    void init();

    /** {@code nvmlShutdown}; handles obtained before are invalid afterwards. */
    void shutdown();

    /** {@code nvmlSystemGetDriverVersion}, e.g. {@code 580.95.05}. */
    String systemGetDriverVersion();

    /**
     * {@code nvmlSystemGetCudaDriverVersion_v2} ({@code nvmlSystemGetCudaDriverVersion} on libraries without it):
     * 1000 * major + 10 * minor, e.g. 13000.
     */
    int systemGetCudaDriverVersion();

    /** {@code nvmlDeviceGetCount_v2}. */
    int deviceGetCount();

    int deviceGetMinorNumber(int gpu);

    /** {@code nvmlDeviceGetUUID}, e.g. {@code GPU-8e2b...}. */
    String deviceGetUuid(int gpu);

    /** {@code nvmlDeviceGetName}, e.g. {@code NVIDIA H100 80GB HBM3}. */
    String deviceGetName(int gpu);

    /** {@code nvmlDeviceGetBrand}: an {@code nvmlBrandType_t}, see {@link NvmlNames#brand(int)}. */
    int deviceGetBrand(int gpu);

    /** {@code nvmlDeviceGetArchitecture}: an {@code nvmlDeviceArchitecture_t}, see {@link NvmlNames#architecture(int)}. */
    int deviceGetArchitecture(int gpu);

    ComputeCapability deviceGetCudaComputeCapability(int gpu);

    /** {@code nvmlDeviceGetPciInfo_v3}. */
    PciInfo deviceGetPciInfo(int gpu);

    MemoryInfo deviceGetMemoryInfo(int gpu);

    MigMode deviceGetMigMode(int gpu);

    int deviceGetMaxMigDeviceCount(int gpu);

    /**
     * {@code nvmlDeviceGetMigDeviceHandleByIndex}: makes MIG device {@code mig} of GPU {@code gpu} addressable by the
     * {@code migDevice*} methods. An empty slot answers {@code NVML_ERROR_NOT_FOUND}.
     */
    void deviceGetMigDeviceHandleByIndex(int gpu, int mig);

    /** {@code nvmlDeviceGetUUID} on a MIG device handle, e.g. {@code MIG-...}. */
    String migDeviceGetUuid(int gpu, int mig);

    /** {@code nvmlDeviceGetGpuInstanceId} on a MIG device handle. */
    int migDeviceGetGpuInstanceId(int gpu, int mig);

    /** {@code nvmlDeviceGetComputeInstanceId} on a MIG device handle. */
    int migDeviceGetComputeInstanceId(int gpu, int mig);

    /** {@code nvmlDeviceGetAttributes_v2} on a MIG device handle. */
    MigDeviceAttributes migDeviceGetAttributes(int gpu, int mig);

    /** {@code nvmlDeviceGetGpuInstanceById} then {@code nvmlGpuInstanceGetInfo}. */
    GpuInstanceInfo gpuInstanceGetInfo(int gpu, int gpuInstanceId);

    /**
     * {@code nvmlDeviceGetGpuInstanceProfileInfo} for one profile enum ({@code NVML_GPU_INSTANCE_PROFILE_1_SLICE} = 0
     * ... ); profiles the GPU lacks answer NOT_SUPPORTED or INVALID_ARGUMENT.
     */
    GpuInstanceProfileInfo deviceGetGpuInstanceProfileInfo(int gpu, int profile);
}
