package io.alauda.dra.nvml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link NvmlEvents} on the real libnvidia-ml.so.1 through {@link NvmlLibrary}. GPU handles are looked up by UUID
 * once and kept: NVML hands out the same handle for the life of the process, and the event data names the GPU only
 * by its handle, which is matched back to the UUID here.
 */
public final class JnaNvmlEvents implements NvmlEvents {

    private static final long NO_SET = 0L;

    private final Path libraryPath;
    private final Map<String, Long> handles = new HashMap<>();
    private final Map<Long, String> uuids = new HashMap<>();
    private final byte[] eventData = new byte[NvmlStructLayout.EVENT_DATA_SIZE];
    private long set = NO_SET;
    private boolean initialised;

    private JnaNvmlEvents(Path libraryPath) {
        this.libraryPath = libraryPath;
    }

    /**
     * Loads the library by absolute path ({@link NvmlLibraryLocator#locate(Path)} finds it); {@link #open()} then
     * initialises NVML.
     *
     * @throws DiscoveryException when the file cannot be loaded
     */
    public static JnaNvmlEvents load(Path library) {
        JnaNvml.bind(library);
        return new JnaNvmlEvents(library);
    }

    public Path libraryPath() {
        return libraryPath;
    }

    private void require(Class<?> holder, String function) {
        if (!NvmlLibrary.has(holder)) {
            throw new NvmlException(function, NvmlReturn.ERROR_FUNCTION_NOT_FOUND, "not in " + libraryPath);
        }
    }

    @Override
    public void open() {
        require(NvmlLibrary.EventSetCreate.class, NvmlCall.EVENT_SET_CREATE);
        JnaNvml.check(NvmlCall.INIT, NvmlLibrary.nvmlInit_v2());
        initialised = true;
        long[] out = new long[1];
        JnaNvml.check(NvmlCall.EVENT_SET_CREATE, NvmlLibrary.EventSetCreate.nvmlEventSetCreate(out));
        set = out[0];
    }

    /**
     * The GPU's handle. {@code nvmlDeviceGetHandleByUUID} answers GPU_IS_LOST when <em>any</em> GPU is lost, so on that
     * answer the GPUs are walked by index, where each lookup answers for its own GPU only: a healthy GPU is never
     * taken for lost because another one is.
     */
    private long handle(String gpuUuid) {
        Long cached = handles.get(gpuUuid);
        if (cached != null) {
            return cached;
        }
        require(NvmlLibrary.DeviceGetHandleByUUID.class, NvmlCall.HANDLE_BY_UUID);
        long[] out = new long[1];
        int code = NvmlLibrary.DeviceGetHandleByUUID.nvmlDeviceGetHandleByUUID(cString(gpuUuid), out);
        long handle = code == NvmlReturn.ERROR_GPU_IS_LOST ? byIndex(gpuUuid) : checked(NvmlCall.HANDLE_BY_UUID, code, out[0]);
        handles.put(gpuUuid, handle);
        uuids.put(handle, gpuUuid);
        return handle;
    }

    private static long checked(String function, int code, long value) {
        JnaNvml.check(function, code);
        return value;
    }

    private static long byIndex(String gpuUuid) {
        int[] count = {0};
        JnaNvml.check(NvmlCall.DEVICE_COUNT, NvmlLibrary.nvmlDeviceGetCount_v2(count));
        long[] device = new long[1];
        byte[] uuid = new byte[NvmlStructLayout.UUID_BUFFER];
        int lost = NvmlReturn.ERROR_NOT_FOUND;
        for (int index = 0; index < count[0]; index++) {
            int code = NvmlLibrary.nvmlDeviceGetHandleByIndex_v2(index, device);
            if (code == NvmlReturn.SUCCESS) {
                code = NvmlLibrary.nvmlDeviceGetUUID(device[0], uuid, uuid.length);
            }
            if (code == NvmlReturn.SUCCESS && gpuUuid.equals(NvmlStructLayout.cString(uuid, 0, uuid.length))) {
                return device[0];
            }
            if (code == NvmlReturn.ERROR_GPU_IS_LOST) {
                lost = code;
            }
        }
        // Not among the GPUs that answered: it is the lost one, or gone.
        throw new NvmlException(NvmlCall.HANDLE_BY_UUID, lost, JnaNvml.errorString(lost));
    }

    private static byte[] cString(String value) {
        byte[] ascii = value.getBytes(StandardCharsets.US_ASCII);
        byte[] terminated = new byte[ascii.length + 1];
        System.arraycopy(ascii, 0, terminated, 0, ascii.length);
        return terminated;
    }

    @Override
    public long supportedEventTypes(String gpuUuid) {
        long device = handle(gpuUuid);
        require(NvmlLibrary.DeviceGetSupportedEventTypes.class, NvmlCall.SUPPORTED_EVENT_TYPES);
        long[] out = new long[1];
        JnaNvml.check(NvmlCall.SUPPORTED_EVENT_TYPES, NvmlLibrary.DeviceGetSupportedEventTypes.nvmlDeviceGetSupportedEventTypes(device, out));
        return out[0];
    }

    @Override
    public void register(String gpuUuid, long eventTypes) {
        long device = handle(gpuUuid);
        require(NvmlLibrary.DeviceRegisterEvents.class, NvmlCall.REGISTER_EVENTS);
        JnaNvml.check(NvmlCall.REGISTER_EVENTS, NvmlLibrary.DeviceRegisterEvents.nvmlDeviceRegisterEvents(device, eventTypes, set));
    }

    @Override
    public Optional<NvmlEvent> await(int timeoutMillis) {
        require(NvmlLibrary.EventSetWait_v2.class, NvmlCall.EVENT_SET_WAIT);
        int code = NvmlLibrary.EventSetWait_v2.nvmlEventSetWait_v2(set, eventData, timeoutMillis);
        if (code == NvmlReturn.ERROR_TIMEOUT) {
            return Optional.empty();
        }
        JnaNvml.check(NvmlCall.EVENT_SET_WAIT, code);
        NvmlStructLayout.EventData data = NvmlStructLayout.eventData(JnaNvml.struct(eventData));
        return Optional.of(new NvmlEvent(uuidOf(data.device()), data.type(), data.data(), data.gpuInstanceId(),
                data.computeInstanceId()));
    }

    /** The UUID of an event's handle: one registered here, else asked of NVML; empty when NVML cannot tell. */
    private String uuidOf(long device) {
        String known = uuids.get(device);
        if (known != null) {
            return known;
        }
        byte[] uuid = new byte[NvmlStructLayout.UUID_BUFFER];
        if (NvmlLibrary.nvmlDeviceGetUUID(device, uuid, uuid.length) != NvmlReturn.SUCCESS) {
            return "";
        }
        return NvmlStructLayout.cString(uuid, 0, uuid.length);
    }

    @Override
    public void probe(String gpuUuid) {
        long device = handle(gpuUuid);
        byte[] memory = new byte[NvmlStructLayout.MEMORY_SIZE];
        JnaNvml.check(NvmlCall.MEMORY_INFO, NvmlLibrary.nvmlDeviceGetMemoryInfo(device, memory));
    }

    @Override
    public void close() {
        if (set != NO_SET && NvmlLibrary.has(NvmlLibrary.EventSetFree.class)) {
            NvmlLibrary.EventSetFree.nvmlEventSetFree(set);
        }
        set = NO_SET;
        handles.clear();
        uuids.clear();
        if (initialised) {
            initialised = false;
            NvmlLibrary.nvmlShutdown();
        }
    }
}
