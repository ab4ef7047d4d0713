package io.alauda.dra.nvml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link Nvml} that answers from hand-written machines. Any call can be made to fail with a chosen return code
 * ({@link #failing}), keyed like a recording ({@link NvmlCall}), which is how tests make NVML say NOT_SUPPORTED.
 */
public final class FakeNvml implements Nvml {

    /** A GPU as NVML describes it; {@code profiles} is indexed by profile enum, a missing enum answers NOT_SUPPORTED. */
    record Gpu(int minor, String uuid, String name, int brand, int architecture, ComputeCapability computeCapability,
               String busId, long memoryTotal, MigMode migMode, int maxMigDevices,
               Map<Integer, GpuInstanceProfileInfo> profiles, List<Mig> migs) {
    }

    /** A MIG device in slot {@code slot}; its GPU instance has the given profile ID and placement. */
    record Mig(int slot, String uuid, int gpuInstanceId, int computeInstanceId, int profileId, int placementStart,
               int placementSize, int gpuInstanceSlices, int computeInstanceSlices) {
    }

    static final String DRIVER_VERSION = "580.95.05";
    static final int CUDA_DRIVER_VERSION = 13000;
    static final long H100_MEMORY = 85520809984L;
    static final long A100_40GB_MEMORY = 42949672960L;

    private final List<Gpu> gpus;
    private final Map<String, Integer> failures = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private int initialised;

    FakeNvml(List<Gpu> gpus) {
        this.gpus = List.copyOf(gpus);
    }

    /** Eight H100 SXM as in a DGX H100, minor = index, bus IDs as NVML prints them (upper-case hex). */
    public static FakeNvml h100x8() {
        String[] buses = {"18", "2A", "3A", "5D", "9A", "AB", "BA", "DB"};
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < buses.length; i++) {
            gpus.add(new Gpu(i, h100Uuid(i), "NVIDIA H100 80GB HBM3", 14, 9, new ComputeCapability(9, 0),
                    "00000000:" + buses[i] + ":00.0", H100_MEMORY, new MigMode(0, 0), 7, Map.of(), List.of()));
        }
        return new FakeNvml(gpus);
    }

    static String h100Uuid(int i) {
        return "GPU-0d4c1a8e-5f6b-7c8d-9e0f-" + String.format("%012d", i);
    }

    /**
     * An A100-SXM4-40GB in MIG mode with 3g.20gb at slices 4-7, 2g.10gb at 0-1 and 1g.5gb at 2 (a valid A100 layout).
     * Profile IDs, SM/engine counts and sizes are those the A100 40GB lists (nvidia-smi mig -lgip).
     */
    public static FakeNvml a100Mig() {
        return new FakeNvml(List.of(a100(3, 1, List.of(
                new Mig(0, "MIG-3g000000-0000-0000-0000-000000000000", 2, 0, 9, 4, 4, 3, 3),
                new Mig(1, "MIG-2g000000-0000-0000-0000-000000000000", 3, 0, 14, 0, 2, 2, 2),
                new Mig(3, "MIG-1g000000-0000-0000-0000-000000000000", 9, 0, 19, 2, 1, 1, 1)))));
    }

    static final String A100_UUID = "GPU-a100a100-0000-4000-8000-000000000001";

    static Gpu a100(int minor, int migMode, List<Mig> migs) {
        Map<Integer, GpuInstanceProfileInfo> profiles = new HashMap<>();
        profiles.put(0, new GpuInstanceProfileInfo(19, 0, 1, 7, 14, 1, 0, 0, 0, 0, 4864));
        profiles.put(1, new GpuInstanceProfileInfo(14, 0, 2, 3, 28, 2, 1, 0, 0, 0, 9856));
        profiles.put(2, new GpuInstanceProfileInfo(9, 0, 3, 2, 42, 3, 2, 0, 0, 0, 19968));
        profiles.put(3, new GpuInstanceProfileInfo(5, 0, 4, 1, 56, 4, 2, 0, 0, 0, 19968));
        profiles.put(4, new GpuInstanceProfileInfo(0, 0, 7, 1, 98, 7, 5, 0, 1, 1, 40192));
        profiles.put(7, new GpuInstanceProfileInfo(20, 0, 1, 1, 14, 1, 1, 0, 1, 1, 4864));
        profiles.put(9, new GpuInstanceProfileInfo(15, 0, 1, 4, 14, 1, 1, 0, 0, 0, 9856));
        return new Gpu(minor, A100_UUID, "NVIDIA A100-SXM4-40GB", 14, 7, new ComputeCapability(8, 0), "00000000:07:00.0",
                A100_40GB_MEMORY, new MigMode(migMode, migMode), 7, profiles, migs);
    }

    static final String P100_UUID = "GPU-p100p100-0000-4000-8000-000000000002";

    /** A Tesla P100: not MIG-capable, and (as on some virtualised setups) no memory info. */
    public static FakeNvml p100() {
        return new FakeNvml(List.of(new Gpu(0, P100_UUID, "Tesla P100-PCIE-16GB", 2, 4, new ComputeCapability(6, 0),
                "00000000:3B:00.0", 17070817280L, null, 0, Map.of(), List.of())))
                .failing(NvmlCall.gpu(NvmlCall.MEMORY_INFO, 0), NvmlReturn.ERROR_NOT_SUPPORTED)
                .failing(NvmlCall.gpu(NvmlCall.MIG_MODE, 0), NvmlReturn.ERROR_NOT_SUPPORTED);
    }

    public FakeNvml failing(String key, int code) {
        failures.put(key, code);
        return this;
    }

    /** Keys of the calls made, in order. */
    List<String> calls() {
        return calls;
    }

    boolean initialised() {
        return initialised > 0;
    }

    private void call(String function, String key) {
        calls.add(key);
        Integer code = failures.get(key);
        if (code != null) {
            throw new NvmlException(function, code, "fake");
        }
        if (initialised <= 0 && !function.equals(NvmlCall.INIT)) {
            throw new NvmlException(function, NvmlReturn.ERROR_UNINITIALIZED, "fake");
        }
    }

    private Gpu gpu(String function, int gpu) {
        if (gpu < 0 || gpu >= gpus.size()) {
            throw new NvmlException(function, NvmlReturn.ERROR_INVALID_ARGUMENT, "fake");
        }
        return gpus.get(gpu);
    }

    private Mig mig(String function, int gpu, int slot) {
        return gpu(function, gpu).migs().stream().filter(m -> m.slot() == slot).findFirst()
                .orElseThrow(() -> new NvmlException(function, NvmlReturn.ERROR_NOT_FOUND, "fake"));
    }

    @Override
    public void init() {
        call(NvmlCall.INIT, NvmlCall.system(NvmlCall.INIT));
        initialised++;
    }

    @Override
    public void shutdown() {
        call(NvmlCall.SHUTDOWN, NvmlCall.system(NvmlCall.SHUTDOWN));
        initialised--;
    }

    @Override
    public String systemGetDriverVersion() {
        call(NvmlCall.DRIVER_VERSION, NvmlCall.system(NvmlCall.DRIVER_VERSION));
        return DRIVER_VERSION;
    }

    @Override
    public int systemGetCudaDriverVersion() {
        call(NvmlCall.CUDA_DRIVER_VERSION, NvmlCall.system(NvmlCall.CUDA_DRIVER_VERSION));
        return CUDA_DRIVER_VERSION;
    }

    @Override
    public int deviceGetCount() {
        call(NvmlCall.DEVICE_COUNT, NvmlCall.system(NvmlCall.DEVICE_COUNT));
        return gpus.size();
    }

    @Override
    public int deviceGetMinorNumber(int gpu) {
        call(NvmlCall.MINOR_NUMBER, NvmlCall.gpu(NvmlCall.MINOR_NUMBER, gpu));
        return gpu(NvmlCall.MINOR_NUMBER, gpu).minor();
    }

    @Override
    public String deviceGetUuid(int gpu) {
        call(NvmlCall.UUID, NvmlCall.gpu(NvmlCall.UUID, gpu));
        return gpu(NvmlCall.UUID, gpu).uuid();
    }

    @Override
    public String deviceGetName(int gpu) {
        call(NvmlCall.NAME, NvmlCall.gpu(NvmlCall.NAME, gpu));
        return gpu(NvmlCall.NAME, gpu).name();
    }

    @Override
    public int deviceGetBrand(int gpu) {
        call(NvmlCall.BRAND, NvmlCall.gpu(NvmlCall.BRAND, gpu));
        return gpu(NvmlCall.BRAND, gpu).brand();
    }

    @Override
    public int deviceGetArchitecture(int gpu) {
        call(NvmlCall.ARCHITECTURE, NvmlCall.gpu(NvmlCall.ARCHITECTURE, gpu));
        return gpu(NvmlCall.ARCHITECTURE, gpu).architecture();
    }

    @Override
    public ComputeCapability deviceGetCudaComputeCapability(int gpu) {
        call(NvmlCall.COMPUTE_CAPABILITY, NvmlCall.gpu(NvmlCall.COMPUTE_CAPABILITY, gpu));
        return gpu(NvmlCall.COMPUTE_CAPABILITY, gpu).computeCapability();
    }

    @Override
    public PciInfo deviceGetPciInfo(int gpu) {
        call(NvmlCall.PCI_INFO, NvmlCall.gpu(NvmlCall.PCI_INFO, gpu));
        String busId = gpu(NvmlCall.PCI_INFO, gpu).busId();
        int bus = Integer.parseInt(busId.substring(9, 11), 16);
        return new PciInfo(busId, 0, bus, 0, 0x233010de);
    }

    @Override
    public MemoryInfo deviceGetMemoryInfo(int gpu) {
        call(NvmlCall.MEMORY_INFO, NvmlCall.gpu(NvmlCall.MEMORY_INFO, gpu));
        long total = gpu(NvmlCall.MEMORY_INFO, gpu).memoryTotal();
        return new MemoryInfo(total, total - 536870912L, 536870912L);
    }

    @Override
    public MigMode deviceGetMigMode(int gpu) {
        call(NvmlCall.MIG_MODE, NvmlCall.gpu(NvmlCall.MIG_MODE, gpu));
        return gpu(NvmlCall.MIG_MODE, gpu).migMode();
    }

    @Override
    public int deviceGetMaxMigDeviceCount(int gpu) {
        call(NvmlCall.MAX_MIG_DEVICE_COUNT, NvmlCall.gpu(NvmlCall.MAX_MIG_DEVICE_COUNT, gpu));
        return gpu(NvmlCall.MAX_MIG_DEVICE_COUNT, gpu).maxMigDevices();
    }

    @Override
    public void deviceGetMigDeviceHandleByIndex(int gpu, int mig) {
        call(NvmlCall.MIG_HANDLE_BY_INDEX, NvmlCall.mig(NvmlCall.MIG_HANDLE_BY_INDEX, gpu, mig));
        mig(NvmlCall.MIG_HANDLE_BY_INDEX, gpu, mig);
    }

    @Override
    public String migDeviceGetUuid(int gpu, int mig) {
        call(NvmlCall.UUID, NvmlCall.mig(NvmlCall.UUID, gpu, mig));
        return mig(NvmlCall.UUID, gpu, mig).uuid();
    }

    @Override
    public int migDeviceGetGpuInstanceId(int gpu, int mig) {
        call(NvmlCall.GPU_INSTANCE_ID, NvmlCall.mig(NvmlCall.GPU_INSTANCE_ID, gpu, mig));
        return mig(NvmlCall.GPU_INSTANCE_ID, gpu, mig).gpuInstanceId();
    }

    @Override
    public int migDeviceGetComputeInstanceId(int gpu, int mig) {
        call(NvmlCall.COMPUTE_INSTANCE_ID, NvmlCall.mig(NvmlCall.COMPUTE_INSTANCE_ID, gpu, mig));
        return mig(NvmlCall.COMPUTE_INSTANCE_ID, gpu, mig).computeInstanceId();
    }

    @Override
    public MigDeviceAttributes migDeviceGetAttributes(int gpu, int mig) {
        call(NvmlCall.ATTRIBUTES, NvmlCall.mig(NvmlCall.ATTRIBUTES, gpu, mig));
        Mig m = mig(NvmlCall.ATTRIBUTES, gpu, mig);
        return new MigDeviceAttributes(0, 0, 0, 0, 0, 0, m.gpuInstanceSlices(), m.computeInstanceSlices(), 0);
    }

    @Override
    public GpuInstanceInfo gpuInstanceGetInfo(int gpu, int gpuInstanceId) {
        call(NvmlCall.GPU_INSTANCE_INFO, NvmlCall.gpuInstance(NvmlCall.GPU_INSTANCE_INFO, gpu, gpuInstanceId));
        Mig m = gpu(NvmlCall.GPU_INSTANCE_INFO, gpu).migs().stream().filter(x -> x.gpuInstanceId() == gpuInstanceId)
                .findFirst().orElseThrow(() -> new NvmlException(NvmlCall.GPU_INSTANCE_BY_ID, NvmlReturn.ERROR_NOT_FOUND, "fake"));
        return new GpuInstanceInfo(gpuInstanceId, m.profileId(), m.placementStart(), m.placementSize());
    }

    @Override
    public GpuInstanceProfileInfo deviceGetGpuInstanceProfileInfo(int gpu, int profile) {
        call(NvmlCall.GPU_INSTANCE_PROFILE_INFO, NvmlCall.profile(NvmlCall.GPU_INSTANCE_PROFILE_INFO, gpu, profile));
        GpuInstanceProfileInfo info = gpu(NvmlCall.GPU_INSTANCE_PROFILE_INFO, gpu).profiles().get(profile);
        if (info == null) {
            throw new NvmlException(NvmlCall.GPU_INSTANCE_PROFILE_INFO, NvmlReturn.ERROR_NOT_SUPPORTED, "fake");
        }
        return info;
    }
}
