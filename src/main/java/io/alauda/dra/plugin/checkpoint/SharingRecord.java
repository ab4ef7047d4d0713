package io.alauda.dra.plugin.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a claim's sharing changed on the node, recorded before the change is made, so that unprepare, a failed
 * prepare and a restarted plugin undo exactly that (upstream records {@code mpsControlDaemonID}, {@code mpsApplied},
 * {@code timeSliceApplied} per device group for the same reason).
 *
 * @param timeSlices one per full GPU that this claim time-slices
 * @param mpsDaemons one per MPS device group of this claim
 */
public record SharingRecord(List<TimeSlice> timeSlices, List<MpsDaemon> mpsDaemons) {

    public static final SharingRecord NONE = new SharingRecord(List.of(), List.of());

    public SharingRecord {
        timeSlices = timeSlices == null ? List.of() : List.copyOf(timeSlices);
        mpsDaemons = mpsDaemons == null ? List.of() : List.copyOf(mpsDaemons);
    }

    public boolean isEmpty() {
        return timeSlices.isEmpty() && mpsDaemons.isEmpty();
    }

    /**
     * Time-slicing of one full GPU.
     *
     * @param gpuUuid             the GPU
     * @param deviceName          the published device it is
     * @param timeSlice           the setting applied: 0 Default, 1 Short, 2 Medium, 3 Long
     * @param originalComputeMode the compute mode the GPU had before any claim shared it (nvidia-smi's name, e.g.
     *                            {@code Default}), or null when it could not be read; restored by the last claim to go
     * @param originalTimeSlice   the time-slice the GPU had before, or null when it could not be read (then Default is
     *                            restored, as upstream does)
     */
    public record TimeSlice(String gpuUuid, String deviceName, int timeSlice, String originalComputeMode,
                            Integer originalTimeSlice) {

        public TimeSlice {
            Objects.requireNonNull(gpuUuid, "gpuUuid");
            Objects.requireNonNull(deviceName, "deviceName");
        }
    }

    /**
     * One MPS control daemon.
     *
     * @param id                   the daemon's ID ({@code <claim UID>-<5 hex>} as upstream derives it); names its
     *                             Deployment and its directory under {@code <plugin dir>/mps}
     * @param deviceUuids          the devices it serves (GPU or MIG UUIDs), sorted
     * @param gpuUuids             the full GPUs among them, whose compute mode the daemon sets to EXCLUSIVE_PROCESS
     * @param originalComputeModes full GPU UUID to the compute mode it had before; a GPU missing here could not be
     *                             read, and gets Default back
     */
    public record MpsDaemon(String id, List<String> deviceUuids, List<String> gpuUuids,
                            Map<String, String> originalComputeModes) {

        public MpsDaemon {
            Objects.requireNonNull(id, "id");
            deviceUuids = List.copyOf(deviceUuids);
            gpuUuids = List.copyOf(gpuUuids);
            originalComputeModes = originalComputeModes == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(originalComputeModes));
        }
    }
}
