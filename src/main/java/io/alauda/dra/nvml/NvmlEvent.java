package io.alauda.dra.nvml;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One {@code nvmlEventData_t} from {@code nvmlEventSetWait_v2}, with the device handle turned into the GPU's UUID.
 *
 * @param gpuUuid           the GPU the event was registered on ({@code GPU-...}); empty when NVML's handle could not be
 *                          matched to a GPU (its UUID could not be read)
 * @param type              one {@link NvmlEventType} bit
 * @param data              the XID for {@link NvmlEventType#XID_CRITICAL_ERROR} (999 for an XID NVML does not know),
 *                          0 for other types
 * @param gpuInstanceId     the MIG GPU instance the event is attributable to, or {@link #NO_INSTANCE}
 * @param computeInstanceId the MIG compute instance the event is attributable to, or {@link #NO_INSTANCE}
 */
public record NvmlEvent(String gpuUuid, long type, long data, int gpuInstanceId, int computeInstanceId) {

    /** 0xFFFFFFFF: what NVML puts into the instance IDs of an event not attributable to a MIG instance. */
    public static final int NO_INSTANCE = 0xFFFFFFFF;

    public NvmlEvent {
        Objects.requireNonNull(gpuUuid, "gpuUuid");
    }

    public boolean isXid() {
        return type == NvmlEventType.XID_CRITICAL_ERROR;
    }

    public OptionalInt gpuInstance() {
        return gpuInstanceId == NO_INSTANCE ? OptionalInt.empty() : OptionalInt.of(gpuInstanceId);
    }

    public OptionalInt computeInstance() {
        return computeInstanceId == NO_INSTANCE ? OptionalInt.empty() : OptionalInt.of(computeInstanceId);
    }

    /** For logs: {@code XidCriticalError data=79 gi=3 ci=0 on GPU-...}. */
    @Override
    public String toString() {
        return NvmlEventType.names(type) + " data=" + data
                + gpuInstance().stream().mapToObj(gi -> " gi=" + gi).findFirst().orElse("")
                + computeInstance().stream().mapToObj(ci -> " ci=" + ci).findFirst().orElse("")
                + " on " + (gpuUuid.isEmpty() ? "an unknown GPU" : gpuUuid);
    }
}
