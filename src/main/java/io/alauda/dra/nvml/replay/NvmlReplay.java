package io.alauda.dra.nvml.replay;

import io.alauda.dra.files.JsonFiles;
import io.alauda.dra.nvml.ComputeCapability;
import io.alauda.dra.nvml.DiscoveryException;
import io.alauda.dra.nvml.GpuInstanceInfo;
import io.alauda.dra.nvml.GpuInstanceProfileInfo;
import io.alauda.dra.nvml.MemoryInfo;
import io.alauda.dra.nvml.MigDeviceAttributes;
import io.alauda.dra.nvml.MigMode;
import io.alauda.dra.nvml.Nvml;
import io.alauda.dra.nvml.NvmlCall;
import io.alauda.dra.nvml.NvmlException;
import io.alauda.dra.nvml.NvmlReturn;
import io.alauda.dra.nvml.PciInfo;

import java.util.Map;
import java.util.function.Function;

/**
 * Answers NVML calls from a {@link Recording}: recorded errors come back as the same {@link NvmlException}, values
 * as recorded. A call the recording lacks fails with a {@link DiscoveryException} naming it, never with a made-up
 * NOT_SUPPORTED that would silently drop an attribute.
 */
public final class NvmlReplay implements Nvml {

    private final Recording recording;

    public NvmlReplay(Recording recording) {
        this.recording = recording;
    }

    private <T> T replay(String function, String key, Function<Object, T> decode) {
        Map<String, Object> answer = recording.answer(key).orElseThrow(() -> new DiscoveryException(
                "recording " + recording.source() + " has no answer for " + key
                        + "; it was made by another version of discover or edited. Record it again with 'discover --record'"));
        try {
            if (answer.containsKey("error")) {
                throw recordedError(function, key, answer);
            }
            return decode.apply(answer.get("value"));
        } catch (RecordedAnswers.BadAnswer e) {
            throw new DiscoveryException("recording " + recording.source() + ": answer for " + key + ": " + e.getMessage());
        }
    }

    private NvmlException recordedError(String function, String key, Map<String, Object> answer) {
        Object name = answer.get("error");
        Integer code = answer.get("code") instanceof Long l ? Integer.valueOf(l.intValue())
                : name instanceof String s ? NvmlReturn.code(s) : null;
        if (code == null) {
            throw new DiscoveryException("recording " + recording.source() + ": answer for " + key + " has error " + JsonFiles.inline(name)
                    + ", which is not an NVML return code name such as \"NVML_ERROR_NOT_SUPPORTED\"");
        }
        Object message = answer.get("message");
        return new NvmlException(function, code, message instanceof String s ? s : null);
    }

    private void replayVoid(String function, String key) {
        replay(function, key, value -> null);
    }

    @Override
    public void init() {
        replayVoid(NvmlCall.INIT, NvmlCall.system(NvmlCall.INIT));
    }

    @Override
    public void shutdown() {
        // A recording made by a run that failed before shutdown has no answer for it; nothing to release here anyway.
        if (recording.answer(NvmlCall.system(NvmlCall.SHUTDOWN)).isPresent()) {
            replayVoid(NvmlCall.SHUTDOWN, NvmlCall.system(NvmlCall.SHUTDOWN));
        }
    }

    @Override
    public String systemGetDriverVersion() {
        return replay(NvmlCall.DRIVER_VERSION, NvmlCall.system(NvmlCall.DRIVER_VERSION), v -> RecordedAnswers.toText(v, "value"));
    }

    @Override
    public int systemGetCudaDriverVersion() {
        return replay(NvmlCall.CUDA_DRIVER_VERSION, NvmlCall.system(NvmlCall.CUDA_DRIVER_VERSION), v -> RecordedAnswers.toInt(v, "value"));
    }

    @Override
    public int deviceGetCount() {
        return replay(NvmlCall.DEVICE_COUNT, NvmlCall.system(NvmlCall.DEVICE_COUNT), v -> RecordedAnswers.toInt(v, "value"));
    }

    @Override
    public int deviceGetMinorNumber(int gpu) {
        return replay(NvmlCall.MINOR_NUMBER, NvmlCall.gpu(NvmlCall.MINOR_NUMBER, gpu), v -> RecordedAnswers.toInt(v, "value"));
    }

    @Override
    public String deviceGetUuid(int gpu) {
        return replay(NvmlCall.UUID, NvmlCall.gpu(NvmlCall.UUID, gpu), v -> RecordedAnswers.toText(v, "value"));
    }

    @Override
    public String deviceGetName(int gpu) {
        return replay(NvmlCall.NAME, NvmlCall.gpu(NvmlCall.NAME, gpu), v -> RecordedAnswers.toText(v, "value"));
    }

    @Override
    public int deviceGetBrand(int gpu) {
        return replay(NvmlCall.BRAND, NvmlCall.gpu(NvmlCall.BRAND, gpu), v -> RecordedAnswers.toInt(v, "value"));
    }

    @Override
    public int deviceGetArchitecture(int gpu) {
        return replay(NvmlCall.ARCHITECTURE, NvmlCall.gpu(NvmlCall.ARCHITECTURE, gpu), v -> RecordedAnswers.toInt(v, "value"));
    }

    @Override
    public ComputeCapability deviceGetCudaComputeCapability(int gpu) {
        return replay(NvmlCall.COMPUTE_CAPABILITY, NvmlCall.gpu(NvmlCall.COMPUTE_CAPABILITY, gpu), RecordedAnswers::computeCapability);
    }

    @Override
    public PciInfo deviceGetPciInfo(int gpu) {
        return replay(NvmlCall.PCI_INFO, NvmlCall.gpu(NvmlCall.PCI_INFO, gpu), RecordedAnswers::pciInfo);
    }

    @Override
    public MemoryInfo deviceGetMemoryInfo(int gpu) {
        return replay(NvmlCall.MEMORY_INFO, NvmlCall.gpu(NvmlCall.MEMORY_INFO, gpu), RecordedAnswers::memoryInfo);
    }

    @Override
    public MigMode deviceGetMigMode(int gpu) {
        return replay(NvmlCall.MIG_MODE, NvmlCall.gpu(NvmlCall.MIG_MODE, gpu), RecordedAnswers::migMode);
    }

    @Override
    public int deviceGetMaxMigDeviceCount(int gpu) {
        return replay(NvmlCall.MAX_MIG_DEVICE_COUNT, NvmlCall.gpu(NvmlCall.MAX_MIG_DEVICE_COUNT, gpu), v -> RecordedAnswers.toInt(v, "value"));
    }

    @Override
    public void deviceGetMigDeviceHandleByIndex(int gpu, int mig) {
        replayVoid(NvmlCall.MIG_HANDLE_BY_INDEX, NvmlCall.mig(NvmlCall.MIG_HANDLE_BY_INDEX, gpu, mig));
    }

    @Override
    public String migDeviceGetUuid(int gpu, int mig) {
        return replay(NvmlCall.UUID, NvmlCall.mig(NvmlCall.UUID, gpu, mig), v -> RecordedAnswers.toText(v, "value"));
    }

    @Override
    public int migDeviceGetGpuInstanceId(int gpu, int mig) {
        return replay(NvmlCall.GPU_INSTANCE_ID, NvmlCall.mig(NvmlCall.GPU_INSTANCE_ID, gpu, mig), v -> RecordedAnswers.toInt(v, "value"));
    }

    @Override
    public int migDeviceGetComputeInstanceId(int gpu, int mig) {
        return replay(NvmlCall.COMPUTE_INSTANCE_ID, NvmlCall.mig(NvmlCall.COMPUTE_INSTANCE_ID, gpu, mig),
                v -> RecordedAnswers.toInt(v, "value"));
    }

    @Override
    public MigDeviceAttributes migDeviceGetAttributes(int gpu, int mig) {
        return replay(NvmlCall.ATTRIBUTES, NvmlCall.mig(NvmlCall.ATTRIBUTES, gpu, mig), RecordedAnswers::migDeviceAttributes);
    }

    @Override
    public GpuInstanceInfo gpuInstanceGetInfo(int gpu, int gpuInstanceId) {
        return replay(NvmlCall.GPU_INSTANCE_INFO, NvmlCall.gpuInstance(NvmlCall.GPU_INSTANCE_INFO, gpu, gpuInstanceId),
                RecordedAnswers::gpuInstanceInfo);
    }

    @Override
    public GpuInstanceProfileInfo deviceGetGpuInstanceProfileInfo(int gpu, int profile) {
        return replay(NvmlCall.GPU_INSTANCE_PROFILE_INFO, NvmlCall.profile(NvmlCall.GPU_INSTANCE_PROFILE_INFO, gpu, profile),
                RecordedAnswers::gpuInstanceProfileInfo);
    }
}
