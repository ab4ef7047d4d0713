package io.alauda.dra.nvml;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The C functions of libnvidia-ml.so.1 that {@link JnaNvml} calls, bound by JNA direct mapping: each method is a JNI
 * native registered once per process against the library file, so a call costs no proxy, no reflection and no
 * argument conversion beyond primitive arrays. Every function returns an {@code nvmlReturn_t}. Out parameters are
 * one-element {@code int[]} or {@code long[]} (a handle; nvml handles are pointers, and only 64-bit platforms are
 * built for); structs are byte arrays decoded by {@link NvmlStructLayout}, which keeps the byte offsets in one
 * reviewable place. A function missing from an old driver is left unbound, and {@link #has} says so.
 */
final class NvmlLibrary {

    private static Path bound;
    private static final Set<Class<?>> ABSENT = ConcurrentHashMap.newKeySet();

    private NvmlLibrary() {
    }

    /**
     * Binds the natives to {@code library} unless they already are; binding another file first unbinds the old one
     * (the plugin binds once; tests bind stand-ins).
     *
     * @throws UnsatisfiedLinkError when the file cannot be loaded or lacks a function every NVML has
     */
    static synchronized void bind(Path library) {
        Path absolute = library.toAbsolutePath();
        if (absolute.equals(bound)) {
            return;
        }
        NativeLibrary loaded = NativeLibrary.getInstance(absolute.toString());
        if (bound != null) {
            Native.unregister(NvmlLibrary.class);
            for (Class<?> optional : NvmlLibrary.class.getDeclaredClasses()) {
                Native.unregister(optional);
            }
            ABSENT.clear();
            bound = null;
        }
        Native.register(NvmlLibrary.class, loaded);
        for (Class<?> optional : NvmlLibrary.class.getDeclaredClasses()) {
            try {
                Native.register(optional, loaded);
            } catch (UnsatisfiedLinkError absent) {
                ABSENT.add(optional);
            }
        }
        bound = absolute;
    }

    /**
     * Whether the library has the function of this holder class. Asked before each call of an optional function: a
     * call of an unbound native would search every loaded library for a JNI symbol before failing, which costs ms.
     */
    static boolean has(Class<?> optional) {
        return !ABSENT.contains(optional);
    }

    static native int nvmlInit_v2();

    static native int nvmlShutdown();

    static native String nvmlErrorString(int result);

    static native int nvmlSystemGetDriverVersion(byte[] version, int length);

    static native int nvmlDeviceGetCount_v2(int[] deviceCount);

    static native int nvmlDeviceGetHandleByIndex_v2(int index, long[] device);

    static native int nvmlDeviceGetMinorNumber(long device, int[] minorNumber);

    static native int nvmlDeviceGetUUID(long device, byte[] uuid, int length);

    static native int nvmlDeviceGetName(long device, byte[] name, int length);

    static native int nvmlDeviceGetMemoryInfo(long device, byte[] memory);

    // Functions an older driver may lack: each in a class of its own, bound on its own, so that a missing one fails
    // only its own calls (JNA's register refuses a whole class for one missing symbol).

    static final class SystemGetCudaDriverVersion_v2 {
        static native int nvmlSystemGetCudaDriverVersion_v2(int[] cudaDriverVersion);
    }

    static final class SystemGetCudaDriverVersion {
        static native int nvmlSystemGetCudaDriverVersion(int[] cudaDriverVersion);
    }

    static final class DeviceGetBrand {
        static native int nvmlDeviceGetBrand(long device, int[] type);
    }

    static final class DeviceGetArchitecture {
        static native int nvmlDeviceGetArchitecture(long device, int[] arch);
    }

    static final class DeviceGetCudaComputeCapability {
        static native int nvmlDeviceGetCudaComputeCapability(long device, int[] major, int[] minor);
    }

    static final class DeviceGetPciInfo_v3 {
        static native int nvmlDeviceGetPciInfo_v3(long device, byte[] pci);
    }

    static final class DeviceGetMigMode {
        static native int nvmlDeviceGetMigMode(long device, int[] currentMode, int[] pendingMode);
    }

    static final class DeviceGetMaxMigDeviceCount {
        static native int nvmlDeviceGetMaxMigDeviceCount(long device, int[] count);
    }

    static final class DeviceGetMigDeviceHandleByIndex {
        static native int nvmlDeviceGetMigDeviceHandleByIndex(long device, int index, long[] migDevice);
    }

    static final class DeviceGetGpuInstanceId {
        static native int nvmlDeviceGetGpuInstanceId(long device, int[] id);
    }

    static final class DeviceGetComputeInstanceId {
        static native int nvmlDeviceGetComputeInstanceId(long device, int[] id);
    }

    static final class DeviceGetAttributes_v2 {
        static native int nvmlDeviceGetAttributes_v2(long device, byte[] attributes);
    }

    static final class DeviceGetGpuInstanceById {
        static native int nvmlDeviceGetGpuInstanceById(long device, int id, long[] gpuInstance);
    }

    static final class GpuInstanceGetInfo {
        static native int nvmlGpuInstanceGetInfo(long gpuInstance, byte[] info);
    }

    static final class DeviceGetGpuInstanceProfileInfo {
        static native int nvmlDeviceGetGpuInstanceProfileInfo(long device, int profile, byte[] info);
    }

    // Events and the lookup by UUID the health monitor uses. nvmlEventSetWait_v2 came with MIG (R450 drivers); the others
    // are older, but each is bound on its own all the same so that discovery never depends on them.

    static final class DeviceGetHandleByUUID {
        // The UUID as a NUL-terminated ASCII byte array, like the other strings, so no JNA string conversion is involved.
        static native int nvmlDeviceGetHandleByUUID(byte[] uuid, long[] device);
    }

    static final class EventSetCreate {
        static native int nvmlEventSetCreate(long[] set);
    }

    static final class DeviceGetSupportedEventTypes {
        static native int nvmlDeviceGetSupportedEventTypes(long device, long[] eventTypes);
    }

    static final class DeviceRegisterEvents {
        static native int nvmlDeviceRegisterEvents(long device, long eventTypes, long set);
    }

    static final class EventSetWait_v2 {
        static native int nvmlEventSetWait_v2(long set, byte[] data, int timeoutms);
    }

    static final class EventSetFree {
        static native int nvmlEventSetFree(long set);
    }
}
