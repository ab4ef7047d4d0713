package io.alauda.dra.nvml;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * {@link Nvml} on the real libnvidia-ml.so.1 through JNA. Native handles stay inside: GPU, MIG device and GPU
 * instance handles are looked up on first use and dropped at {@link #shutdown()}, when NVML invalidates them.
 * Methods are synchronized because the handle caches are shared; NVML itself is thread-safe.
 */
public final class JnaNvml implements Nvml {

    private static final int NOT_NATIVE = Integer.MIN_VALUE;

    private final NvmlLibrary lib;
    private final Path libraryPath;
    private final Map<Integer, Pointer> gpus = new HashMap<>();
    private final Map<List<Integer>, Pointer> migDevices = new HashMap<>();
    private final Map<List<Integer>, Pointer> gpuInstances = new HashMap<>();

    private JnaNvml(NvmlLibrary lib, Path libraryPath) {
        this.lib = lib;
        this.libraryPath = libraryPath;
    }

    /**
     * Loads the library by absolute path ({@link NvmlLibraryLocator#locate(Path)} finds it).
     *
     * @throws DiscoveryException when the file cannot be loaded, e.g. built for another CPU or missing its dependencies
     */
    public static JnaNvml load(Path library) {
        try {
            return new JnaNvml(Native.load(library.toAbsolutePath().toString(), NvmlLibrary.class), library);
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

    private String errorString(int code) {
        try {
            return lib.nvmlErrorString(code);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    private int intOut(String function, Function<IntByReference, Integer> call) {
        IntByReference out = new IntByReference(NOT_NATIVE);
        check(function, () -> call.apply(out));
        return out.getValue();
    }

    private String stringOut(String function, int size, Function<byte[], Integer> call) {
        byte[] buffer = new byte[size];
        check(function, () -> call.apply(buffer));
        return NvmlStructLayout.cString(buffer, 0, size);
    }

    private ByteBuffer structOut(String function, int size, Function<Pointer, Integer> call) {
        Memory memory = new Memory(size);
        memory.clear();
        check(function, () -> call.apply(memory));
        return ByteBuffer.wrap(memory.getByteArray(0, size)).order(ByteOrder.nativeOrder());
    }

    private Pointer gpu(int index) {
        Pointer handle = gpus.get(index);
        if (handle == null) {
            PointerByReference out = new PointerByReference();
            check(NvmlCall.HANDLE_BY_INDEX, () -> lib.nvmlDeviceGetHandleByIndex_v2(index, out));
            handle = out.getValue();
            gpus.put(index, handle);
        }
        return handle;
    }

    private Pointer migDevice(int gpu, int mig) {
        List<Integer> key = List.of(gpu, mig);
        Pointer handle = migDevices.get(key);
        if (handle == null) {
            Pointer parent = gpu(gpu);
            PointerByReference out = new PointerByReference();
            check(NvmlCall.MIG_HANDLE_BY_INDEX, () -> lib.nvmlDeviceGetMigDeviceHandleByIndex(parent, mig, out));
            handle = out.getValue();
            migDevices.put(key, handle);
        }
        return handle;
    }

    private Pointer gpuInstance(int gpu, int id) {
        List<Integer> key = List.of(gpu, id);
        Pointer handle = gpuInstances.get(key);
        if (handle == null) {
            Pointer parent = gpu(gpu);
            PointerByReference out = new PointerByReference();
            check(NvmlCall.GPU_INSTANCE_BY_ID, () -> lib.nvmlDeviceGetGpuInstanceById(parent, id, out));
            handle = out.getValue();
            gpuInstances.put(key, handle);
        }
        return handle;
    }

    @Override
    public synchronized void init() {
        check(NvmlCall.INIT, lib::nvmlInit_v2);
    }

    @Override
    public synchronized void shutdown() {
        gpus.clear();
        migDevices.clear();
        gpuInstances.clear();
        check(NvmlCall.SHUTDOWN, lib::nvmlShutdown);
    }

    @Override
    public synchronized String systemGetDriverVersion() {
        return stringOut(NvmlCall.DRIVER_VERSION, NvmlStructLayout.DRIVER_VERSION_BUFFER,
                b -> lib.nvmlSystemGetDriverVersion(b, b.length));
    }

    @Override
    public synchronized int systemGetCudaDriverVersion() {
        try {
            return intOut(NvmlCall.CUDA_DRIVER_VERSION, lib::nvmlSystemGetCudaDriverVersion_v2);
        } catch (NvmlException e) {
            if (e.code() != NvmlReturn.ERROR_FUNCTION_NOT_FOUND) {
                throw e;
            }
            return intOut("nvmlSystemGetCudaDriverVersion", lib::nvmlSystemGetCudaDriverVersion);
        }
    }

    @Override
    public synchronized int deviceGetCount() {
        return intOut(NvmlCall.DEVICE_COUNT, lib::nvmlDeviceGetCount_v2);
    }

    @Override
    public synchronized int deviceGetMinorNumber(int gpu) {
        Pointer device = gpu(gpu);
        return intOut(NvmlCall.MINOR_NUMBER, out -> lib.nvmlDeviceGetMinorNumber(device, out));
    }

    @Override
    public synchronized String deviceGetUuid(int gpu) {
        Pointer device = gpu(gpu);
        return stringOut(NvmlCall.UUID, NvmlStructLayout.UUID_BUFFER, b -> lib.nvmlDeviceGetUUID(device, b, b.length));
    }

    @Override
    public synchronized String deviceGetName(int gpu) {
        Pointer device = gpu(gpu);
        return stringOut(NvmlCall.NAME, NvmlStructLayout.NAME_BUFFER, b -> lib.nvmlDeviceGetName(device, b, b.length));
    }

    @Override
    public synchronized int deviceGetBrand(int gpu) {
        Pointer device = gpu(gpu);
        return intOut(NvmlCall.BRAND, out -> lib.nvmlDeviceGetBrand(device, out));
    }

    @Override
    public synchronized int deviceGetArchitecture(int gpu) {
        Pointer device = gpu(gpu);
        return intOut(NvmlCall.ARCHITECTURE, out -> lib.nvmlDeviceGetArchitecture(device, out));
    }

    @Override
    public synchronized ComputeCapability deviceGetCudaComputeCapability(int gpu) {
        Pointer device = gpu(gpu);
        IntByReference major = new IntByReference(NOT_NATIVE);
        IntByReference minor = new IntByReference(NOT_NATIVE);
        check(NvmlCall.COMPUTE_CAPABILITY, () -> lib.nvmlDeviceGetCudaComputeCapability(device, major, minor));
        return new ComputeCapability(major.getValue(), minor.getValue());
    }

    @Override
    public synchronized PciInfo deviceGetPciInfo(int gpu) {
        Pointer device = gpu(gpu);
        return NvmlStructLayout.pciInfo(structOut(NvmlCall.PCI_INFO, NvmlStructLayout.PCI_INFO_SIZE,
                m -> lib.nvmlDeviceGetPciInfo_v3(device, m)));
    }

    @Override
    public synchronized MemoryInfo deviceGetMemoryInfo(int gpu) {
        Pointer device = gpu(gpu);
        return NvmlStructLayout.memory(structOut(NvmlCall.MEMORY_INFO, NvmlStructLayout.MEMORY_SIZE,
                m -> lib.nvmlDeviceGetMemoryInfo(device, m)));
    }

    @Override
    public synchronized MigMode deviceGetMigMode(int gpu) {
        Pointer device = gpu(gpu);
        IntByReference current = new IntByReference(NOT_NATIVE);
        IntByReference pending = new IntByReference(NOT_NATIVE);
        check(NvmlCall.MIG_MODE, () -> lib.nvmlDeviceGetMigMode(device, current, pending));
        return new MigMode(current.getValue(), pending.getValue());
    }

    @Override
    public synchronized int deviceGetMaxMigDeviceCount(int gpu) {
        Pointer device = gpu(gpu);
        return intOut(NvmlCall.MAX_MIG_DEVICE_COUNT, out -> lib.nvmlDeviceGetMaxMigDeviceCount(device, out));
    }

    @Override
    public synchronized void deviceGetMigDeviceHandleByIndex(int gpu, int mig) {
        migDevices.remove(List.of(gpu, mig));
        migDevice(gpu, mig);
    }

    @Override
    public synchronized String migDeviceGetUuid(int gpu, int mig) {
        Pointer device = migDevice(gpu, mig);
        return stringOut(NvmlCall.UUID, NvmlStructLayout.UUID_BUFFER, b -> lib.nvmlDeviceGetUUID(device, b, b.length));
    }

    @Override
    public synchronized int migDeviceGetGpuInstanceId(int gpu, int mig) {
        Pointer device = migDevice(gpu, mig);
        return intOut(NvmlCall.GPU_INSTANCE_ID, out -> lib.nvmlDeviceGetGpuInstanceId(device, out));
    }

    @Override
    public synchronized int migDeviceGetComputeInstanceId(int gpu, int mig) {
        Pointer device = migDevice(gpu, mig);
        return intOut(NvmlCall.COMPUTE_INSTANCE_ID, out -> lib.nvmlDeviceGetComputeInstanceId(device, out));
    }

    @Override
    public synchronized MigDeviceAttributes migDeviceGetAttributes(int gpu, int mig) {
        Pointer device = migDevice(gpu, mig);
        return NvmlStructLayout.deviceAttributes(structOut(NvmlCall.ATTRIBUTES, NvmlStructLayout.DEVICE_ATTRIBUTES_SIZE,
                m -> lib.nvmlDeviceGetAttributes_v2(device, m)));
    }

    @Override
    public synchronized GpuInstanceInfo gpuInstanceGetInfo(int gpu, int gpuInstanceId) {
        Pointer instance = gpuInstance(gpu, gpuInstanceId);
        int pointerSize = Native.POINTER_SIZE;
        return NvmlStructLayout.gpuInstanceInfo(structOut(NvmlCall.GPU_INSTANCE_INFO,
                NvmlStructLayout.gpuInstanceInfoSize(pointerSize), m -> lib.nvmlGpuInstanceGetInfo(instance, m)), pointerSize);
    }

    @Override
    public synchronized GpuInstanceProfileInfo deviceGetGpuInstanceProfileInfo(int gpu, int profile) {
        Pointer device = gpu(gpu);
        return NvmlStructLayout.gpuInstanceProfileInfo(structOut(NvmlCall.GPU_INSTANCE_PROFILE_INFO,
                NvmlStructLayout.GPU_INSTANCE_PROFILE_INFO_SIZE, m -> lib.nvmlDeviceGetGpuInstanceProfileInfo(device, profile, m)));
    }
}
