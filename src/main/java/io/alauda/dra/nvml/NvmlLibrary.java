package io.alauda.dra.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The C functions of libnvidia-ml.so.1 that {@link JnaNvml} calls. Every function returns an {@code nvmlReturn_t}.
 * Structs are passed as raw memory ({@link Pointer}) and decoded by {@link NvmlStructLayout}, which keeps the byte
 * offsets in one reviewable place. JNA resolves each symbol on first call, so a function missing from an old driver
 * only fails when used.
 */
interface NvmlLibrary extends Library {

    int nvmlInit_v2();

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlSystemGetDriverVersion(byte[] version, int length);

    int nvmlSystemGetCudaDriverVersion_v2(IntByReference cudaDriverVersion);

    int nvmlSystemGetCudaDriverVersion(IntByReference cudaDriverVersion);

    int nvmlDeviceGetCount_v2(IntByReference deviceCount);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetMinorNumber(Pointer device, IntByReference minorNumber);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetBrand(Pointer device, IntByReference type);

    int nvmlDeviceGetArchitecture(Pointer device, IntByReference arch);

    int nvmlDeviceGetCudaComputeCapability(Pointer device, IntByReference major, IntByReference minor);

    int nvmlDeviceGetPciInfo_v3(Pointer device, Pointer pci);

    int nvmlDeviceGetMemoryInfo(Pointer device, Pointer memory);

    int nvmlDeviceGetMigMode(Pointer device, IntByReference currentMode, IntByReference pendingMode);

    int nvmlDeviceGetMaxMigDeviceCount(Pointer device, IntByReference count);

    int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int index, PointerByReference migDevice);

    int nvmlDeviceGetGpuInstanceId(Pointer device, IntByReference id);

    int nvmlDeviceGetComputeInstanceId(Pointer device, IntByReference id);

    int nvmlDeviceGetAttributes_v2(Pointer device, Pointer attributes);

    int nvmlDeviceGetGpuInstanceById(Pointer device, int id, PointerByReference gpuInstance);

    int nvmlGpuInstanceGetInfo(Pointer gpuInstance, Pointer info);

    int nvmlDeviceGetGpuInstanceProfileInfo(Pointer device, int profile, Pointer info);
}
