package io.alauda.dra.nvml.replay;

import io.alauda.dra.nvml.ComputeCapability;
import io.alauda.dra.nvml.GpuInstanceInfo;
import io.alauda.dra.nvml.GpuInstanceProfileInfo;
import io.alauda.dra.nvml.MemoryInfo;
import io.alauda.dra.nvml.MigDeviceAttributes;
import io.alauda.dra.nvml.MigMode;
import io.alauda.dra.nvml.Nvml;
import io.alauda.dra.nvml.NvmlCall;
import io.alauda.dra.nvml.NvmlException;
import io.alauda.dra.nvml.PciInfo;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Passes every call to another {@link Nvml} and files its answer, success or error, in a {@link Recording}. Wraps
 * the real library for {@code discover --record}, so a GPU node's answers can be replayed in tests.
 */
public final class NvmlRecorder implements Nvml {

    private final Nvml delegate;
    private final Recording recording;

    public NvmlRecorder(Nvml delegate, Recording recording) {
        this.delegate = delegate;
        this.recording = recording;
    }

    private <T> T record(String key, Supplier<T> call, Function<T, Object> encode) {
        T answer;
        try {
            answer = call.get();
        } catch (NvmlException e) {
            recording.putError(key, e);
            throw e;
        }
        recording.putValue(key, encode.apply(answer));
        return answer;
    }

    private void recordVoid(String key, Runnable call) {
        record(key, () -> {
            call.run();
            return null;
        }, ignored -> null);
    }

    @Override
    public void init() {
        recordVoid(NvmlCall.system(NvmlCall.INIT), delegate::init);
    }

    @Override
    public void shutdown() {
        recordVoid(NvmlCall.system(NvmlCall.SHUTDOWN), delegate::shutdown);
    }

    @Override
    public String systemGetDriverVersion() {
        return record(NvmlCall.system(NvmlCall.DRIVER_VERSION), delegate::systemGetDriverVersion, v -> v);
    }

    @Override
    public int systemGetCudaDriverVersion() {
        return record(NvmlCall.system(NvmlCall.CUDA_DRIVER_VERSION), delegate::systemGetCudaDriverVersion, RecordedAnswers::signed);
    }

    @Override
    public int deviceGetCount() {
        return record(NvmlCall.system(NvmlCall.DEVICE_COUNT), delegate::deviceGetCount, RecordedAnswers::unsigned);
    }

    @Override
    public int deviceGetMinorNumber(int gpu) {
        return record(NvmlCall.gpu(NvmlCall.MINOR_NUMBER, gpu), () -> delegate.deviceGetMinorNumber(gpu), RecordedAnswers::unsigned);
    }

    @Override
    public String deviceGetUuid(int gpu) {
        return record(NvmlCall.gpu(NvmlCall.UUID, gpu), () -> delegate.deviceGetUuid(gpu), v -> v);
    }

    @Override
    public String deviceGetName(int gpu) {
        return record(NvmlCall.gpu(NvmlCall.NAME, gpu), () -> delegate.deviceGetName(gpu), v -> v);
    }

    @Override
    public int deviceGetBrand(int gpu) {
        return record(NvmlCall.gpu(NvmlCall.BRAND, gpu), () -> delegate.deviceGetBrand(gpu), RecordedAnswers::unsigned);
    }

    @Override
    public int deviceGetArchitecture(int gpu) {
        return record(NvmlCall.gpu(NvmlCall.ARCHITECTURE, gpu), () -> delegate.deviceGetArchitecture(gpu), RecordedAnswers::unsigned);
    }

    @Override
    public ComputeCapability deviceGetCudaComputeCapability(int gpu) {
        return record(NvmlCall.gpu(NvmlCall.COMPUTE_CAPABILITY, gpu), () -> delegate.deviceGetCudaComputeCapability(gpu),
                RecordedAnswers::encode);
    }

    @Override
    public PciInfo deviceGetPciInfo(int gpu) {
        return record(NvmlCall.gpu(NvmlCall.PCI_INFO, gpu), () -> delegate.deviceGetPciInfo(gpu), RecordedAnswers::encode);
    }

    @Override
    public MemoryInfo deviceGetMemoryInfo(int gpu) {
        return record(NvmlCall.gpu(NvmlCall.MEMORY_INFO, gpu), () -> delegate.deviceGetMemoryInfo(gpu), RecordedAnswers::encode);
    }

    @Override
    public MigMode deviceGetMigMode(int gpu) {
        return record(NvmlCall.gpu(NvmlCall.MIG_MODE, gpu), () -> delegate.deviceGetMigMode(gpu), RecordedAnswers::encode);
    }

    @Override
    public int deviceGetMaxMigDeviceCount(int gpu) {
        return record(NvmlCall.gpu(NvmlCall.MAX_MIG_DEVICE_COUNT, gpu), () -> delegate.deviceGetMaxMigDeviceCount(gpu),
                RecordedAnswers::unsigned);
    }

    @Override
    public void deviceGetMigDeviceHandleByIndex(int gpu, int mig) {
        recordVoid(NvmlCall.mig(NvmlCall.MIG_HANDLE_BY_INDEX, gpu, mig), () -> delegate.deviceGetMigDeviceHandleByIndex(gpu, mig));
    }

    @Override
    public String migDeviceGetUuid(int gpu, int mig) {
        return record(NvmlCall.mig(NvmlCall.UUID, gpu, mig), () -> delegate.migDeviceGetUuid(gpu, mig), v -> v);
    }

    @Override
    public int migDeviceGetGpuInstanceId(int gpu, int mig) {
        return record(NvmlCall.mig(NvmlCall.GPU_INSTANCE_ID, gpu, mig), () -> delegate.migDeviceGetGpuInstanceId(gpu, mig),
                RecordedAnswers::unsigned);
    }

    @Override
    public int migDeviceGetComputeInstanceId(int gpu, int mig) {
        return record(NvmlCall.mig(NvmlCall.COMPUTE_INSTANCE_ID, gpu, mig), () -> delegate.migDeviceGetComputeInstanceId(gpu, mig),
                RecordedAnswers::unsigned);
    }

    @Override
    public MigDeviceAttributes migDeviceGetAttributes(int gpu, int mig) {
        return record(NvmlCall.mig(NvmlCall.ATTRIBUTES, gpu, mig), () -> delegate.migDeviceGetAttributes(gpu, mig),
                RecordedAnswers::encode);
    }

    @Override
    public GpuInstanceInfo gpuInstanceGetInfo(int gpu, int gpuInstanceId) {
        return record(NvmlCall.gpuInstance(NvmlCall.GPU_INSTANCE_INFO, gpu, gpuInstanceId),
                () -> delegate.gpuInstanceGetInfo(gpu, gpuInstanceId), RecordedAnswers::encode);
    }

    @Override
    public GpuInstanceProfileInfo deviceGetGpuInstanceProfileInfo(int gpu, int profile) {
        return record(NvmlCall.profile(NvmlCall.GPU_INSTANCE_PROFILE_INFO, gpu, profile),
                () -> delegate.deviceGetGpuInstanceProfileInfo(gpu, profile), RecordedAnswers::encode);
    }
}
