package io.alauda.dra.nvml;

import com.sun.jna.Native;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        bind(library);
        return new JnaNvml(library);
    }

    /** Binds {@link NvmlLibrary} to the file, for this class and {@link JnaNvmlEvents}. */
    static void bind(Path library) {
        if (Native.POINTER_SIZE != Long.BYTES) {
            throw new DiscoveryException("NVML needs a 64-bit JVM; this one has " + Native.POINTER_SIZE * 8 + "-bit pointers");
        }
        try {
            NvmlLibrary.bind(library);
        } catch (UnsatisfiedLinkError e) {
            throw new DiscoveryException("could not load " + library + ": " + e.getMessage()
                    + ". Fix: point the driver root at a complete NVIDIA driver installation for this CPU architecture", e);
        }
    }

    public Path libraryPath() {
        return libraryPath;
    }

    /** Throws for a failed call, with NVML's own text. */
    static void check(String function, int code) {
        if (code != NvmlReturn.SUCCESS) {
            throw new NvmlException(function, code, errorString(code));
        }
    }

    /** Throws FUNCTION_NOT_FOUND when the library lacks the optional function of {@code holder}. */
    private void require(Class<?> holder, String function) {
        if (!NvmlLibrary.has(holder)) {
            throw new NvmlException(function, NvmlReturn.ERROR_FUNCTION_NOT_FOUND, "not in " + libraryPath);
        }
    }

    static String errorString(int code) {
        return NvmlLibrary.nvmlErrorString(code);
    }

    static ByteBuffer struct(byte[] struct) {
        return ByteBuffer.wrap(struct).order(ByteOrder.nativeOrder());
    }

    /*
     * The methods below spell each call out instead of sharing a helper that takes a lambda: every lambda call site is
     * spun into a class on its first use, and the first discovery of a node paid that for some fifty sites.
     */

    private long gpu(int index) {
        Long cached = gpus.get(index);
        if (cached != null) {
            return cached;
        }
        long[] out = new long[1];
        check(NvmlCall.HANDLE_BY_INDEX, NvmlLibrary.nvmlDeviceGetHandleByIndex_v2(index, out));
        gpus.put(index, out[0]);
        return out[0];
    }

    private long migDevice(int gpu, int mig) {
        List<Integer> key = List.of(gpu, mig);
        Long cached = migDevices.get(key);
        if (cached != null) {
            return cached;
        }
        long parent = gpu(gpu);
        require(NvmlLibrary.DeviceGetMigDeviceHandleByIndex.class, NvmlCall.MIG_HANDLE_BY_INDEX);
        long[] out = new long[1];
        check(NvmlCall.MIG_HANDLE_BY_INDEX, NvmlLibrary.DeviceGetMigDeviceHandleByIndex.nvmlDeviceGetMigDeviceHandleByIndex(parent, mig, out));
        migDevices.put(key, out[0]);
        return out[0];
    }

    private long gpuInstance(int gpu, int id) {
        List<Integer> key = List.of(gpu, id);
        Long cached = gpuInstances.get(key);
        if (cached != null) {
            return cached;
        }
        long parent = gpu(gpu);
        require(NvmlLibrary.DeviceGetGpuInstanceById.class, NvmlCall.GPU_INSTANCE_BY_ID);
        long[] out = new long[1];
        check(NvmlCall.GPU_INSTANCE_BY_ID, NvmlLibrary.DeviceGetGpuInstanceById.nvmlDeviceGetGpuInstanceById(parent, id, out));
        gpuInstances.put(key, out[0]);
        return out[0];
    }

    @Override
    public synchronized void init() {
        check(NvmlCall.INIT, NvmlLibrary.nvmlInit_v2());
    }

    @Override
    public synchronized void shutdown() {
        gpus.clear();
        migDevices.clear();
        gpuInstances.clear();
        check(NvmlCall.SHUTDOWN, NvmlLibrary.nvmlShutdown());
    }

    @Override
    public synchronized String systemGetDriverVersion() {
        byte[] version = new byte[NvmlStructLayout.DRIVER_VERSION_BUFFER];
        check(NvmlCall.DRIVER_VERSION, NvmlLibrary.nvmlSystemGetDriverVersion(version, version.length));
        return NvmlStructLayout.cString(version, 0, version.length);
    }

    @Override
    public synchronized int systemGetCudaDriverVersion() {
        int[] out = {NOT_NATIVE};
        if (NvmlLibrary.has(NvmlLibrary.SystemGetCudaDriverVersion_v2.class)) {
            check(NvmlCall.CUDA_DRIVER_VERSION, NvmlLibrary.SystemGetCudaDriverVersion_v2.nvmlSystemGetCudaDriverVersion_v2(out));
        } else {
            require(NvmlLibrary.SystemGetCudaDriverVersion.class, NvmlCall.CUDA_DRIVER_VERSION);
            check("nvmlSystemGetCudaDriverVersion", NvmlLibrary.SystemGetCudaDriverVersion.nvmlSystemGetCudaDriverVersion(out));
        }
        return out[0];
    }

    @Override
    public synchronized int deviceGetCount() {
        int[] out = {NOT_NATIVE};
        check(NvmlCall.DEVICE_COUNT, NvmlLibrary.nvmlDeviceGetCount_v2(out));
        return out[0];
    }

    @Override
    public synchronized int deviceGetMinorNumber(int gpu) {
        int[] out = {NOT_NATIVE};
        check(NvmlCall.MINOR_NUMBER, NvmlLibrary.nvmlDeviceGetMinorNumber(gpu(gpu), out));
        return out[0];
    }

    @Override
    public synchronized String deviceGetUuid(int gpu) {
        return uuid(gpu(gpu));
    }

    private static String uuid(long device) {
        byte[] uuid = new byte[NvmlStructLayout.UUID_BUFFER];
        check(NvmlCall.UUID, NvmlLibrary.nvmlDeviceGetUUID(device, uuid, uuid.length));
        return NvmlStructLayout.cString(uuid, 0, uuid.length);
    }

    @Override
    public synchronized String deviceGetName(int gpu) {
        byte[] name = new byte[NvmlStructLayout.NAME_BUFFER];
        check(NvmlCall.NAME, NvmlLibrary.nvmlDeviceGetName(gpu(gpu), name, name.length));
        return NvmlStructLayout.cString(name, 0, name.length);
    }

    @Override
    public synchronized int deviceGetBrand(int gpu) {
        long device = gpu(gpu);
        require(NvmlLibrary.DeviceGetBrand.class, NvmlCall.BRAND);
        int[] out = {NOT_NATIVE};
        check(NvmlCall.BRAND, NvmlLibrary.DeviceGetBrand.nvmlDeviceGetBrand(device, out));
        return out[0];
    }

    @Override
    public synchronized int deviceGetArchitecture(int gpu) {
        long device = gpu(gpu);
        require(NvmlLibrary.DeviceGetArchitecture.class, NvmlCall.ARCHITECTURE);
        int[] out = {NOT_NATIVE};
        check(NvmlCall.ARCHITECTURE, NvmlLibrary.DeviceGetArchitecture.nvmlDeviceGetArchitecture(device, out));
        return out[0];
    }

    @Override
    public synchronized ComputeCapability deviceGetCudaComputeCapability(int gpu) {
        long device = gpu(gpu);
        require(NvmlLibrary.DeviceGetCudaComputeCapability.class, NvmlCall.COMPUTE_CAPABILITY);
        int[] major = {NOT_NATIVE};
        int[] minor = {NOT_NATIVE};
        check(NvmlCall.COMPUTE_CAPABILITY, NvmlLibrary.DeviceGetCudaComputeCapability.nvmlDeviceGetCudaComputeCapability(device, major, minor));
        return new ComputeCapability(major[0], minor[0]);
    }

    @Override
    public synchronized PciInfo deviceGetPciInfo(int gpu) {
        long device = gpu(gpu);
        require(NvmlLibrary.DeviceGetPciInfo_v3.class, NvmlCall.PCI_INFO);
        byte[] pci = new byte[NvmlStructLayout.PCI_INFO_SIZE];
        check(NvmlCall.PCI_INFO, NvmlLibrary.DeviceGetPciInfo_v3.nvmlDeviceGetPciInfo_v3(device, pci));
        return NvmlStructLayout.pciInfo(struct(pci));
    }

    @Override
    public synchronized MemoryInfo deviceGetMemoryInfo(int gpu) {
        byte[] memory = new byte[NvmlStructLayout.MEMORY_SIZE];
        check(NvmlCall.MEMORY_INFO, NvmlLibrary.nvmlDeviceGetMemoryInfo(gpu(gpu), memory));
        return NvmlStructLayout.memory(struct(memory));
    }

    @Override
    public synchronized MigMode deviceGetMigMode(int gpu) {
        long device = gpu(gpu);
        require(NvmlLibrary.DeviceGetMigMode.class, NvmlCall.MIG_MODE);
        int[] current = {NOT_NATIVE};
        int[] pending = {NOT_NATIVE};
        check(NvmlCall.MIG_MODE, NvmlLibrary.DeviceGetMigMode.nvmlDeviceGetMigMode(device, current, pending));
        return new MigMode(current[0], pending[0]);
    }

    @Override
    public synchronized int deviceGetMaxMigDeviceCount(int gpu) {
        long device = gpu(gpu);
        require(NvmlLibrary.DeviceGetMaxMigDeviceCount.class, NvmlCall.MAX_MIG_DEVICE_COUNT);
        int[] out = {NOT_NATIVE};
        check(NvmlCall.MAX_MIG_DEVICE_COUNT, NvmlLibrary.DeviceGetMaxMigDeviceCount.nvmlDeviceGetMaxMigDeviceCount(device, out));
        return out[0];
    }

    @Override
    public synchronized void deviceGetMigDeviceHandleByIndex(int gpu, int mig) {
        migDevices.remove(List.of(gpu, mig));
        migDevice(gpu, mig);
    }

    @Override
    public synchronized String migDeviceGetUuid(int gpu, int mig) {
        return uuid(migDevice(gpu, mig));
    }

    @Override
    public synchronized int migDeviceGetGpuInstanceId(int gpu, int mig) {
        long device = migDevice(gpu, mig);
        require(NvmlLibrary.DeviceGetGpuInstanceId.class, NvmlCall.GPU_INSTANCE_ID);
        int[] out = {NOT_NATIVE};
        check(NvmlCall.GPU_INSTANCE_ID, NvmlLibrary.DeviceGetGpuInstanceId.nvmlDeviceGetGpuInstanceId(device, out));
        return out[0];
    }

    @Override
    public synchronized int migDeviceGetComputeInstanceId(int gpu, int mig) {
        long device = migDevice(gpu, mig);
        require(NvmlLibrary.DeviceGetComputeInstanceId.class, NvmlCall.COMPUTE_INSTANCE_ID);
        int[] out = {NOT_NATIVE};
        check(NvmlCall.COMPUTE_INSTANCE_ID, NvmlLibrary.DeviceGetComputeInstanceId.nvmlDeviceGetComputeInstanceId(device, out));
        return out[0];
    }

    @Override
    public synchronized MigDeviceAttributes migDeviceGetAttributes(int gpu, int mig) {
        long device = migDevice(gpu, mig);
        require(NvmlLibrary.DeviceGetAttributes_v2.class, NvmlCall.ATTRIBUTES);
        byte[] attributes = new byte[NvmlStructLayout.DEVICE_ATTRIBUTES_SIZE];
        check(NvmlCall.ATTRIBUTES, NvmlLibrary.DeviceGetAttributes_v2.nvmlDeviceGetAttributes_v2(device, attributes));
        return NvmlStructLayout.deviceAttributes(struct(attributes));
    }

    @Override
    public synchronized GpuInstanceInfo gpuInstanceGetInfo(int gpu, int gpuInstanceId) {
        long instance = gpuInstance(gpu, gpuInstanceId);
        require(NvmlLibrary.GpuInstanceGetInfo.class, NvmlCall.GPU_INSTANCE_INFO);
        int pointerSize = Native.POINTER_SIZE;
        byte[] info = new byte[NvmlStructLayout.gpuInstanceInfoSize(pointerSize)];
        check(NvmlCall.GPU_INSTANCE_INFO, NvmlLibrary.GpuInstanceGetInfo.nvmlGpuInstanceGetInfo(instance, info));
        return NvmlStructLayout.gpuInstanceInfo(struct(info), pointerSize);
    }

    @Override
    public synchronized GpuInstanceProfileInfo deviceGetGpuInstanceProfileInfo(int gpu, int profile) {
        long device = gpu(gpu);
        require(NvmlLibrary.DeviceGetGpuInstanceProfileInfo.class, NvmlCall.GPU_INSTANCE_PROFILE_INFO);
        byte[] info = new byte[NvmlStructLayout.GPU_INSTANCE_PROFILE_INFO_SIZE];
        check(NvmlCall.GPU_INSTANCE_PROFILE_INFO,
                NvmlLibrary.DeviceGetGpuInstanceProfileInfo.nvmlDeviceGetGpuInstanceProfileInfo(device, profile, info));
        return NvmlStructLayout.gpuInstanceProfileInfo(struct(info));
    }
}
