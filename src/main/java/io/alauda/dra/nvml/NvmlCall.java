package io.alauda.dra.nvml;

/**
 * Names of the NVML functions behind {@link Nvml}, and the keys a recording files their answers under:
 * {@code nvmlDeviceGetName(gpu=0)}, {@code nvmlDeviceGetUUID(gpu=0,mig=2)}. The keys name the real C function so a
 * reader can look each answer up in nvml.h.
 */
public final class NvmlCall {

    public static final String INIT = "nvmlInit_v2";
    public static final String SHUTDOWN = "nvmlShutdown";
    public static final String DRIVER_VERSION = "nvmlSystemGetDriverVersion";
    public static final String CUDA_DRIVER_VERSION = "nvmlSystemGetCudaDriverVersion_v2";
    public static final String DEVICE_COUNT = "nvmlDeviceGetCount_v2";
    public static final String HANDLE_BY_INDEX = "nvmlDeviceGetHandleByIndex_v2";
    public static final String MINOR_NUMBER = "nvmlDeviceGetMinorNumber";
    public static final String UUID = "nvmlDeviceGetUUID";
    public static final String NAME = "nvmlDeviceGetName";
    public static final String BRAND = "nvmlDeviceGetBrand";
    public static final String ARCHITECTURE = "nvmlDeviceGetArchitecture";
    public static final String COMPUTE_CAPABILITY = "nvmlDeviceGetCudaComputeCapability";
    public static final String PCI_INFO = "nvmlDeviceGetPciInfo_v3";
    public static final String MEMORY_INFO = "nvmlDeviceGetMemoryInfo";
    public static final String MIG_MODE = "nvmlDeviceGetMigMode";
    public static final String MAX_MIG_DEVICE_COUNT = "nvmlDeviceGetMaxMigDeviceCount";
    public static final String MIG_HANDLE_BY_INDEX = "nvmlDeviceGetMigDeviceHandleByIndex";
    public static final String GPU_INSTANCE_ID = "nvmlDeviceGetGpuInstanceId";
    public static final String COMPUTE_INSTANCE_ID = "nvmlDeviceGetComputeInstanceId";
    public static final String ATTRIBUTES = "nvmlDeviceGetAttributes_v2";
    public static final String GPU_INSTANCE_BY_ID = "nvmlDeviceGetGpuInstanceById";
    public static final String GPU_INSTANCE_INFO = "nvmlGpuInstanceGetInfo";
    public static final String GPU_INSTANCE_PROFILE_INFO = "nvmlDeviceGetGpuInstanceProfileInfo";
    public static final String HANDLE_BY_UUID = "nvmlDeviceGetHandleByUUID";
    public static final String EVENT_SET_CREATE = "nvmlEventSetCreate";
    public static final String SUPPORTED_EVENT_TYPES = "nvmlDeviceGetSupportedEventTypes";
    public static final String REGISTER_EVENTS = "nvmlDeviceRegisterEvents";
    public static final String EVENT_SET_WAIT = "nvmlEventSetWait_v2";
    public static final String EVENT_SET_FREE = "nvmlEventSetFree";

    private NvmlCall() {
    }

    public static String system(String function) {
        return function + "()";
    }

    public static String gpu(String function, int gpu) {
        return function + "(gpu=" + gpu + ")";
    }

    public static String mig(String function, int gpu, int mig) {
        return function + "(gpu=" + gpu + ",mig=" + mig + ")";
    }

    public static String gpuInstance(String function, int gpu, int gpuInstanceId) {
        return function + "(gpu=" + gpu + ",gi=" + gpuInstanceId + ")";
    }

    public static String profile(String function, int gpu, int profile) {
        return function + "(gpu=" + gpu + ",profile=" + profile + ")";
    }
}
