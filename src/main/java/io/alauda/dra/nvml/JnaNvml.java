package io.alauda.dra.nvml;

import com.sun.jna.Native;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * {@link Nvml} on the real libnvidia-ml.so.1 through JNA direct mapping ({@link NvmlLibrary}). Native handles stay
 * inside: GPU, MIG device and GPU instance handles are looked up on first use and dropped at {@link #shutdown()}, when
 * NVML invalidates them. Methods are synchronized because the handle caches are shared; NVML itself is thread-safe.
 */
public final class JnaNvml implements Nvml {

    private static final int NOT_NATIVE = Integer.MIN_VALUE;

    private final Path libraryPath;
    private final Map<Integer, Long> gpus = new HashMap<>();
    private final Map<List<Integer>, Long> migDevices = new HashMap<>();
    private final Map<List<Integer>, Long> gpuInstances = new HashMap<>();

    private JnaNvml(Path libraryPath) {
        this.libraryPath = libraryPath;
    }

    /**
     * Loads the library by absolute path ({@link NvmlLibraryLocator#locate(Path)} finds it).
     *
     * @throws DiscoveryException when the file cannot be loaded, e.g. built for another CPU or missing its dependencies
     */
    public static JnaNvml load(Path library) {
        if (Native.POINTER_SIZE != Long.BYTES) {
            throw new DiscoveryException("NVML needs a 64-bit JVM; this one has " + Native.POINTER_SIZE * 8 + "-bit pointers");
        }
        try {
            NvmlLibrary.bind(library);
            return new JnaNvml(library);
        } catch (UnsatisfiedLinkError e) {
            throw new DiscoveryException("could not load " + library + ": " + e.getMessage()
                    + ". Fix: point the driver root at a complete NVIDIA driver installation for this CPU architecture", e);
        }
    }

    public Path libraryPath() {
        return libraryPath;
    }

    /** Runs one native call; a symbol the installed library lacks reads as NVML_ERROR_FUNCTION_NOT_FOUND. */
    private void check(String function, IntSupplier call) {
        int code;
        try {
            code = call.getAsInt();
        } catch (UnsatisfiedLinkError e) {
            throw new NvmlException(function, NvmlReturn.ERROR_FUNCTION_NOT_FOUND, "not in " + libraryPath);
        }
        if (code != NvmlReturn.SUCCESS) {
            throw new NvmlException(function, code, errorString(code));
        }
    }

    private static String errorString(int code) {
        try {
            return NvmlLibrary.nvmlErrorString(code);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    private int intOut(String function, ToIntFunction<int[]> call) {
        int[] out = {NOT_NATIVE};
        check(function, () -> call.applyAsInt(out));
        return out[0];
    }

    private String stringOut(String function, int size, ToIntFunction<byte[]> call) {
        byte[] buffer = new byte[size];
        check(function, () -> call.applyAsInt(buffer));
        return NvmlStructLayout.cString(buffer, 0, size);
    }

    private ByteBuffer structOut(String function, int size, ToIntFunction<byte[]> call) {
        byte[] struct = new byte[size];
        check(function, () -> call.applyAsInt(struct));
        return ByteBuffer.wrap(struct).order(ByteOrder.nativeOrder());
    }

    /** A handle out of {@code call}, cached under {@code key} until shutdown. */
    private <K> long handle(Map<K, Long> cache, K key, String function, ToIntFunction<long[]> call) {
        Long cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        long[] out = new long[1];
        check(function, () -> call.applyAsInt(out));
        cache.put(key, out[0]);
        return out[0];
    }

    private long gpu(int index) {
        return handle(gpus, index, NvmlCall.HANDLE_BY_INDEX, out -> NvmlLibrary.nvmlDeviceGetHandleByIndex_v2(index, out));
    }

    private long migDevice(int gpu, int mig) {
        long parent = gpu(gpu);
        return handle(migDevices, List.of(gpu, mig), NvmlCall.MIG_HANDLE_BY_INDEX,
                out -> NvmlLibrary.DeviceGetMigDeviceHandleByIndex.nvmlDeviceGetMigDeviceHandleByIndex(parent, mig, out));
    }

    private long gpuInstance(int gpu, int id) {
        long parent = gpu(gpu);
        return handle(gpuInstances, List.of(gpu, id), NvmlCall.GPU_INSTANCE_BY_ID,
                out -> NvmlLibrary.DeviceGetGpuInstanceById.nvmlDeviceGetGpuInstanceById(parent, id, out));
    }

    @Override
    public synchronized void init() {
        check(NvmlCall.INIT, NvmlLibrary::nvmlInit_v2);
    }

    @Override
    public synchronized void shutdown() {
        gpus.clear();
        migDevices.clear();
        gpuInstances.clear();
        check(NvmlCall.SHUTDOWN, NvmlLibrary::nvmlShutdown);
    }

    @Override
    public synchronized String systemGetDriverVersion() {
        return stringOut(NvmlCall.DRIVER_VERSION, NvmlStructLayout.DRIVER_VERSION_BUFFER,
                b -> NvmlLibrary.nvmlSystemGetDriverVersion(b, b.length));
    }

    @Override
    public synchronized int systemGetCudaDriverVersion() {
        try {
            return intOut(NvmlCall.CUDA_DRIVER_VERSION, NvmlLibrary.SystemGetCudaDriverVersion_v2::nvmlSystemGetCudaDriverVersion_v2);
        } catch (NvmlException e) {
            if (e.code() != NvmlReturn.ERROR_FUNCTION_NOT_FOUND) {
                throw e;
            }
            return intOut("nvmlSystemGetCudaDriverVersion", NvmlLibrary.SystemGetCudaDriverVersion::nvmlSystemGetCudaDriverVersion);
        }
    }

    @Override
    public synchronized int deviceGetCount() {
        return intOut(NvmlCall.DEVICE_COUNT, NvmlLibrary::nvmlDeviceGetCount_v2);
    }

    @Override
    public synchronized int deviceGetMinorNumber(int gpu) {
        long device = gpu(gpu);
        return intOut(NvmlCall.MINOR_NUMBER, out -> NvmlLibrary.nvmlDeviceGetMinorNumber(device, out));
    }

    @Override
    public synchronized String deviceGetUuid(int gpu) {
        long device = gpu(gpu);
        return stringOut(NvmlCall.UUID, NvmlStructLayout.UUID_BUFFER, b -> NvmlLibrary.nvmlDeviceGetUUID(device, b, b.length));
    }

    @Override
    public synchronized String deviceGetName(int gpu) {
        long device = gpu(gpu);
        return stringOut(NvmlCall.NAME, NvmlStructLayout.NAME_BUFFER, b -> NvmlLibrary.nvmlDeviceGetName(device, b, b.length));
    }

    @Override
    public synchronized int deviceGetBrand(int gpu) {
        long device = gpu(gpu);
        return intOut(NvmlCall.BRAND, out -> NvmlLibrary.DeviceGetBrand.nvmlDeviceGetBrand(device, out));
    }

    @Override
    public synchronized int deviceGetArchitecture(int gpu) {
        long device = gpu(gpu);
        return intOut(NvmlCall.ARCHITECTURE, out -> NvmlLibrary.DeviceGetArchitecture.nvmlDeviceGetArchitecture(device, out));
    }

    @Override
    public synchronized ComputeCapability deviceGetCudaComputeCapability(int gpu) {
        long device = gpu(gpu);
        int[] major = {NOT_NATIVE};
        int[] minor = {NOT_NATIVE};
        check(NvmlCall.COMPUTE_CAPABILITY, () -> NvmlLibrary.DeviceGetCudaComputeCapability.nvmlDeviceGetCudaComputeCapability(device, major, minor));
        return new ComputeCapability(major[0], minor[0]);
    }

    @Override
    public synchronized PciInfo deviceGetPciInfo(int gpu) {
        long device = gpu(gpu);
        return NvmlStructLayout.pciInfo(structOut(NvmlCall.PCI_INFO, NvmlStructLayout.PCI_INFO_SIZE,
                m -> NvmlLibrary.DeviceGetPciInfo_v3.nvmlDeviceGetPciInfo_v3(device, m)));
    }

    @Override
    public synchronized MemoryInfo deviceGetMemoryInfo(int gpu) {
        long device = gpu(gpu);
        return NvmlStructLayout.memory(structOut(NvmlCall.MEMORY_INFO, NvmlStructLayout.MEMORY_SIZE,
                m -> NvmlLibrary.nvmlDeviceGetMemoryInfo(device, m)));
    }

    @Override
    public synchronized MigMode deviceGetMigMode(int gpu) {
        long device = gpu(gpu);
        int[] current = {NOT_NATIVE};
        int[] pending = {NOT_NATIVE};
        check(NvmlCall.MIG_MODE, () -> NvmlLibrary.DeviceGetMigMode.nvmlDeviceGetMigMode(device, current, pending));
        return new MigMode(current[0], pending[0]);
    }

    @Override
    public synchronized int deviceGetMaxMigDeviceCount(int gpu) {
        long device = gpu(gpu);
        return intOut(NvmlCall.MAX_MIG_DEVICE_COUNT, out -> NvmlLibrary.DeviceGetMaxMigDeviceCount.nvmlDeviceGetMaxMigDeviceCount(device, out));
    }

    @Override
    public synchronized void deviceGetMigDeviceHandleByIndex(int gpu, int mig) {
        migDevices.remove(List.of(gpu, mig));
        migDevice(gpu, mig);
    }

    @Override
    public synchronized String migDeviceGetUuid(int gpu, int mig) {
        long device = migDevice(gpu, mig);
        return stringOut(NvmlCall.UUID, NvmlStructLayout.UUID_BUFFER, b -> NvmlLibrary.nvmlDeviceGetUUID(device, b, b.length));
    }

    @Override
    public synchronized int migDeviceGetGpuInstanceId(int gpu, int mig) {
        long device = migDevice(gpu, mig);
        return intOut(NvmlCall.GPU_INSTANCE_ID, out -> NvmlLibrary.DeviceGetGpuInstanceId.nvmlDeviceGetGpuInstanceId(device, out));
    }

    @Override
    public synchronized int migDeviceGetComputeInstanceId(int gpu, int mig) {
        long device = migDevice(gpu, mig);
        return intOut(NvmlCall.COMPUTE_INSTANCE_ID, out -> NvmlLibrary.DeviceGetComputeInstanceId.nvmlDeviceGetComputeInstanceId(device, out));
    }

    @Override
    public synchronized MigDeviceAttributes migDeviceGetAttributes(int gpu, int mig) {
        long device = migDevice(gpu, mig);
        return NvmlStructLayout.deviceAttributes(structOut(NvmlCall.ATTRIBUTES, NvmlStructLayout.DEVICE_ATTRIBUTES_SIZE,
                m -> NvmlLibrary.DeviceGetAttributes_v2.nvmlDeviceGetAttributes_v2(device, m)));
    }

    @Override
    public synchronized GpuInstanceInfo gpuInstanceGetInfo(int gpu, int gpuInstanceId) {
        long instance = gpuInstance(gpu, gpuInstanceId);
        int pointerSize = Native.POINTER_SIZE;
        return NvmlStructLayout.gpuInstanceInfo(structOut(NvmlCall.GPU_INSTANCE_INFO,
                NvmlStructLayout.gpuInstanceInfoSize(pointerSize), m -> NvmlLibrary.GpuInstanceGetInfo.nvmlGpuInstanceGetInfo(instance, m)), pointerSize);
    }

    @Override
    public synchronized GpuInstanceProfileInfo deviceGetGpuInstanceProfileInfo(int gpu, int profile) {
        long device = gpu(gpu);
        return NvmlStructLayout.gpuInstanceProfileInfo(structOut(NvmlCall.GPU_INSTANCE_PROFILE_INFO,
                NvmlStructLayout.GPU_INSTANCE_PROFILE_INFO_SIZE, m -> NvmlLibrary.DeviceGetGpuInstanceProfileInfo.nvmlDeviceGetGpuInstanceProfileInfo(device, profile, m)));
    }
}
