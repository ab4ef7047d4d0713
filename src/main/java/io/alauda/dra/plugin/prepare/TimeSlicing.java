package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.checkpoint.CheckpointEntry;
import io.alauda.dra.plugin.checkpoint.SharingRecord;
import io.alauda.dra.plugin.sharing.ComputeMode;
import io.alauda.dra.plugin.sharing.GpuSharingControl;
import io.alauda.dra.plugin.sharing.GpuSharingException;
import io.alauda.dra.plugin.sharing.TimeSliceInterval;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceType;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Time-slicing of full GPUs, as upstream does it: compute mode DEFAULT, then the claim's time-slice level. Unlike
 * upstream, what the GPU had before is read and recorded, and put back by the last claim that time-slices the GPU;
 * a claim that leaves while another still time-slices the GPU changes nothing. Time-slicing a MIG device does
 * nothing, as upstream (the API has no interval for it).
 */
final class TimeSlicing {

    private static final Logger LOG = Logger.getLogger(TimeSlicing.class);

    private final GpuSharingControl gpus;

    TimeSlicing(GpuSharingControl gpus) {
        this.gpus = gpus;
    }

    /**
     * What the claim will set, with the GPUs' original settings: those another record already holds (the GPU is
     * time-sliced by another claim, or by an earlier attempt of this one, so reading it would give our own value
     * back), otherwise read from the GPU now. Called with the node's holds lock, so no other claim's record comes or
     * goes meanwhile.
     *
     * @param entries the checkpoint, this claim's earlier entry included
     */
    List<SharingRecord.TimeSlice> plan(String uid, List<SharingGroup> groups, Map<String, CheckpointEntry> entries)
            throws ClaimFailure {
        List<SharingRecord.TimeSlice> records = new ArrayList<>();
        for (SharingGroup group : groups) {
            if (!group.sharing().isTimeSlicing()) {
                continue;
            }
            int level = TimeSliceInterval.byApiName(group.sharing().intervalOrDefault()).orElseThrow().level();
            for (AllocatableDevice device : group.devices()) {
                if (device.type() != DeviceType.GPU) {
                    continue;
                }
                String gpu = device.gpu().uuid();
                refuseConflicts(uid, group, device, level, entries);
                Optional<SharingRecord.TimeSlice> known = existing(gpu, entries);
                records.add(known.isPresent()
                        ? new SharingRecord.TimeSlice(gpu, device.name(), level, known.get().originalComputeMode(),
                        known.get().originalTimeSlice())
                        : new SharingRecord.TimeSlice(gpu, device.name(), level, readComputeMode(gpu),
                        readTimeSlice(gpu)));
            }
        }
        return records;
    }

    /** Sets what {@link #plan} recorded; the record is in the checkpoint already, so a crash here is undone later. */
    void apply(List<SharingRecord.TimeSlice> records, String claim) throws ClaimFailure {
        for (SharingRecord.TimeSlice record : records) {
            try {
                gpus.setComputeMode(record.gpuUuid(), ComputeMode.DEFAULT);
                gpus.setTimeSlice(record.gpuUuid(), record.timeSlice());
            } catch (GpuSharingException e) {
                throw new ClaimFailure(ClaimErrorType.SHARING_SETUP, "cannot time-slice device " + record.deviceName()
                        + " (" + record.gpuUuid() + ") for claim " + claim + ": " + e.getMessage() + ". The GPU may"
                        + " not support compute policies, or the plugin cannot change GPU settings (it must run"
                        + " privileged); kubelet retries, and unpreparing the claim puts back what was changed", e);
            }
        }
    }

    /**
     * Puts back each GPU's original settings unless another claim still time-slices it. Called with the node's holds
     * lock, before the claim's entry is removed.
     *
     * @param entries the checkpoint, this claim's entry included (it is skipped)
     */
    void release(String uid, List<SharingRecord.TimeSlice> records, Map<String, CheckpointEntry> entries, String claim)
            throws ClaimFailure {
        for (SharingRecord.TimeSlice record : records) {
            Optional<String> other = otherTimeSlicer(uid, record.gpuUuid(), entries);
            if (other.isPresent()) {
                LOG.infof("GPU %s stays time-sliced: claim %s still shares it", record.gpuUuid(), other.get());
                continue;
            }
            int level = record.originalTimeSlice() == null ? TimeSliceInterval.DEFAULT.level() : record.originalTimeSlice();
            ComputeMode mode = ComputeMode.parse(record.originalComputeMode()).orElse(ComputeMode.DEFAULT);
            try {
                gpus.setTimeSlice(record.gpuUuid(), level);
                gpus.setComputeMode(record.gpuUuid(), mode);
            } catch (GpuSharingException e) {
                throw new ClaimFailure(ClaimErrorType.SHARING_SETUP, "cannot put back the time-slice of device "
                        + record.deviceName() + " (" + record.gpuUuid() + ") after claim " + claim + ": "
                        + e.getMessage() + "; the claim stays recorded and kubelet retries", e);
            }
            LOG.infof("GPU %s back to time-slice %d and compute mode %s", record.gpuUuid(), level, mode.printed());
        }
    }

    private void refuseConflicts(String uid, SharingGroup group, AllocatableDevice device, int level,
                                 Map<String, CheckpointEntry> entries) throws ClaimFailure {
        for (Map.Entry<String, CheckpointEntry> other : entries.entrySet()) {
            if (other.getKey().equals(uid)) {
                continue;
            }
            CheckpointEntry e = other.getValue();
            for (SharingRecord.TimeSlice ts : e.sharing().timeSlices()) {
                if (ts.gpuUuid().equals(device.gpu().uuid()) && ts.timeSlice() != level) {
                    throw new ClaimFailure(ClaimErrorType.DEVICE_IN_USE, group.path() + " asks for time-slice "
                            + group.sharing().intervalOrDefault() + " on device " + device.name() + ", but claim "
                            + e.namespace() + "/" + e.name() + " (" + other.getKey() + ") already time-slices it with "
                            + TimeSliceInterval.byLevel(ts.timeSlice()).map(TimeSliceInterval::apiName).orElse("?")
                            + "; a GPU has one setting, so use the same interval in both claims or wait for the other"
                            + " to finish");
                }
            }
            for (SharingRecord.MpsDaemon daemon : e.sharing().mpsDaemons()) {
                if (daemon.gpuUuids().contains(device.gpu().uuid())) {
                    throw new ClaimFailure(ClaimErrorType.DEVICE_IN_USE, group.path() + " asks for time-slicing on"
                            + " device " + device.name() + ", but claim " + e.namespace() + "/" + e.name() + " ("
                            + other.getKey() + ") runs an MPS control daemon on it, which needs compute mode"
                            + " EXCLUSIVE_PROCESS; wait for that claim to finish");
                }
            }
        }
    }

    private static Optional<SharingRecord.TimeSlice> existing(String gpu, Map<String, CheckpointEntry> entries) {
        return entries.values().stream().flatMap(e -> e.sharing().timeSlices().stream())
                .filter(ts -> ts.gpuUuid().equals(gpu)).findFirst();
    }

    private static Optional<String> otherTimeSlicer(String uid, String gpu, Map<String, CheckpointEntry> entries) {
        return entries.entrySet().stream()
                .filter(e -> !e.getKey().equals(uid))
                .filter(e -> e.getValue().sharing().timeSlices().stream().anyMatch(ts -> ts.gpuUuid().equals(gpu)))
                .map(e -> e.getValue().namespace() + "/" + e.getValue().name() + " (" + e.getKey() + ")")
                .findFirst();
    }

    private String readComputeMode(String gpu) {
        try {
            return gpus.computeMode(gpu).map(ComputeMode::printed).orElse(null);
        } catch (GpuSharingException e) {
            LOG.warnf("cannot read the compute mode of GPU %s (%s); Default is put back when sharing ends", gpu,
                    e.getMessage());
            return null;
        }
    }

    private Integer readTimeSlice(String gpu) {
        try {
            return gpus.timeSlice(gpu).orElse(null);
        } catch (GpuSharingException e) {
            LOG.warnf("cannot read the time-slice of GPU %s (%s); Default is put back when sharing ends", gpu,
                    e.getMessage());
            return null;
        }
    }
}
