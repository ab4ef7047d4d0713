package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.ContainerEdits;
import io.alauda.dra.cdi.Mount;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.plugin.api.CallCancellation;
import io.alauda.dra.plugin.checkpoint.CheckpointEntry;
import io.alauda.dra.plugin.checkpoint.SharingRecord;
import io.alauda.dra.plugin.sharing.ComputeMode;
import io.alauda.dra.plugin.sharing.GpuSharingException;
import io.alauda.dra.plugin.sharing.MpsDaemonIds;
import io.alauda.dra.plugin.sharing.MpsDaemonSpec;
import io.alauda.dra.plugin.sharing.MpsDirectories;
import io.alauda.dra.plugin.sharing.MpsException;
import io.alauda.dra.plugin.sharing.MpsLimits;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * MPS sharing as upstream does it: one control daemon per device group, compute mode EXCLUSIVE_PROCESS on its full
 * GPUs, the daemon's pipe directory and shared memory bound into every container of the claim. Prepare returns only
 * once the daemon is ready, or fails the claim after {@link SharingSupport#mpsReadyTimeout()}.
 */
final class MpsSharing {

    private static final Logger LOG = Logger.getLogger(MpsSharing.class);
    private static final List<String> BIND = List.of("rw", "nosuid", "nodev", "bind");

    private final SharingSupport support;

    MpsSharing(SharingSupport support) {
        this.support = support;
    }

    /** One record per MPS group, with the GPUs' compute modes as they were before any daemon of this claim. */
    List<SharingRecord.MpsDaemon> plan(String uid, List<SharingGroup> groups, Map<String, CheckpointEntry> entries)
            throws ClaimFailure {
        List<SharingRecord.MpsDaemon> records = new ArrayList<>();
        for (SharingGroup group : groups) {
            if (!group.sharing().isMps()) {
                continue;
            }
            Optional<String> unavailable = support.mps().unavailable();
            if (unavailable.isPresent()) {
                // Before anything is recorded or changed: nothing to undo for a daemon that cannot start.
                throw new ClaimFailure(ClaimErrorType.SHARING_SETUP, group.path() + " asks for MPS, but MPS control"
                        + " daemons cannot be started on this node: " + unavailable.get());
            }
            limits(group);
            List<String> uuids = group.deviceUuids();
            String id;
            try {
                id = MpsDaemonIds.of(uid, uuids);
            } catch (IllegalArgumentException e) {
                throw new ClaimFailure(ClaimErrorType.INVALID_REQUEST, "claim UID '" + Printable.of(uid) + "' cannot"
                        + " name an MPS control daemon (a Kubernetes UID of at most 38 characters is needed)");
            }
            refuseConflicts(uid, group, entries);
            Optional<SharingRecord.MpsDaemon> earlier = Optional.ofNullable(entries.get(uid)).stream()
                    .flatMap(e -> e.sharing().mpsDaemons().stream()).filter(d -> d.id().equals(id)).findFirst();
            Map<String, String> modes = new LinkedHashMap<>();
            if (earlier.isPresent()) {
                modes.putAll(earlier.get().originalComputeModes());
            } else {
                for (String gpu : group.gpuUuids()) {
                    readComputeMode(gpu).ifPresent(mode -> modes.put(gpu, mode.printed()));
                }
            }
            records.add(new SharingRecord.MpsDaemon(id, uuids, group.gpuUuids(), modes));
        }
        return records;
    }

    /** Starts each daemon (or finds it started), waits until it is ready, and returns the CDI edits per device. */
    Map<String, ContainerEdits> apply(List<SharingRecord.MpsDaemon> records, List<SharingGroup> groups, String claim,
                                      CallCancellation stop) throws ClaimFailure {
        Map<String, ContainerEdits> edits = new LinkedHashMap<>();
        for (SharingRecord.MpsDaemon record : records) {
            SharingGroup group = groups.stream().filter(g -> g.sharing().isMps())
                    .filter(g -> g.deviceUuids().equals(record.deviceUuids())).findFirst().orElseThrow();
            MpsDirectories.Paths dirs;
            try {
                dirs = support.mpsDirs().create(record.id());
            } catch (IOException | RuntimeException e) {
                throw setup("cannot create the directories of MPS control daemon " + record.id() + " for claim "
                        + claim + " under " + support.mpsDirs().root() + ": " + e.getMessage(), e);
            }
            for (String gpu : record.gpuUuids()) {
                try {
                    support.gpus().setComputeMode(gpu, ComputeMode.EXCLUSIVE_PROCESS);
                } catch (GpuSharingException e) {
                    throw setup("cannot set compute mode EXCLUSIVE_PROCESS on GPU " + gpu + " for the MPS control"
                            + " daemon of claim " + claim + ": " + e.getMessage(), e);
                }
            }
            OpaqueDeviceConfig.MpsSettings settings = group.sharing().mpsOrDefault();
            MpsDaemonSpec spec = new MpsDaemonSpec(record.id(), record.deviceUuids(),
                    settings.defaultActiveThreadPercentage(), limits(group),
                    Boolean.TRUE.equals(settings.multiUser()), dirs);
            try {
                support.mps().start(spec);
            } catch (MpsException e) {
                throw setup("cannot start the MPS control daemon of claim " + claim + ": " + e.getMessage(), e);
            }
            awaitReady(record.id(), claim, stop);
            ContainerEdits daemonEdits = new ContainerEdits(
                    List.of("CUDA_MPS_PIPE_DIRECTORY=" + MpsDirectories.CONTAINER_PIPE_DIR), null,
                    List.of(Mount.bind(dirs.shm().toString(), MpsDirectories.CONTAINER_SHM_DIR, BIND),
                            Mount.bind(dirs.pipe().toString(), MpsDirectories.CONTAINER_PIPE_DIR, BIND)),
                    null, null);
            for (AllocatableDevice device : group.devices()) {
                edits.put(device.name(), daemonEdits);
            }
        }
        return edits;
    }

    /** Stops each daemon, gives its GPUs their compute mode back and removes its directories. */
    void release(List<SharingRecord.MpsDaemon> records, String claim) throws ClaimFailure {
        for (SharingRecord.MpsDaemon record : records) {
            try {
                support.mps().stop(record.id());
            } catch (MpsException e) {
                throw setup("cannot stop the MPS control daemon " + record.id() + " of claim " + claim + ": "
                        + e.getMessage() + "; the claim stays recorded and kubelet retries", e);
            }
            for (String gpu : record.gpuUuids()) {
                ComputeMode mode = ComputeMode.parse(record.originalComputeModes().get(gpu)).orElse(ComputeMode.DEFAULT);
                try {
                    support.gpus().setComputeMode(gpu, mode);
                } catch (GpuSharingException e) {
                    throw setup("cannot put back compute mode " + mode.printed() + " on GPU " + gpu + " after claim "
                            + claim + ": " + e.getMessage() + "; the claim stays recorded and kubelet retries", e);
                }
            }
            try {
                support.mpsDirs().remove(record.id());
            } catch (IOException | RuntimeException e) {
                throw setup("cannot remove the directories of MPS control daemon " + record.id() + " of claim "
                        + claim + ": " + e.getMessage() + "; the claim stays recorded and kubelet retries", e);
            }
            LOG.infof("stopped MPS control daemon %s of claim %s", record.id(), claim);
        }
    }

    /**
     * Stops daemons and removes directories that no checkpoint entry records: left by a crash between stopping a
     * daemon and forgetting its claim, or by a checkpoint lost or dropped after a reboot. Never throws.
     */
    void sweep(Map<String, CheckpointEntry> entries) {
        Set<String> known = new HashSet<>();
        entries.values().forEach(e -> e.sharing().mpsDaemons().forEach(d -> known.add(d.id())));
        Set<String> found = new HashSet<>();
        try {
            // Only with the gate: without it the plugin may hold no permission on Deployments.
            if (support.gates().mps()) {
                found.addAll(support.mps().daemonsOnNode());
            }
        } catch (MpsException | RuntimeException e) {
            LOG.warnf("cannot list this node's MPS control daemons (%s); daemons of claims gone while the plugin was"
                    + " down are not stopped until the next start", e.getMessage());
        }
        try {
            found.addAll(support.mpsDirs().ids());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot list %s (%s)", support.mpsDirs().root(), e.getMessage());
        }
        found.removeAll(known);
        for (String id : found) {
            try {
                support.mps().stop(id);
                support.mpsDirs().remove(id);
                LOG.infof("stopped MPS control daemon %s: no prepared claim records it", id);
            } catch (MpsException | IOException | RuntimeException e) {
                LOG.warnf("cannot stop MPS control daemon %s that no claim records: %s", id, e.getMessage());
            }
        }
    }

    private void awaitReady(String id, String claim, CallCancellation stop) throws ClaimFailure {
        long deadline = System.nanoTime() + support.mpsReadyTimeout().toNanos();
        int polls = 0;
        while (true) {
            Optional<String> stopped = stop.reason();
            if (stopped.isPresent()) {
                // The daemon keeps starting; the retry waits for it again.
                throw new ClaimFailure(ClaimErrorType.CANCELLED, "stopped waiting for the MPS control daemon of claim "
                        + claim + ": " + stopped.get());
            }
            try {
                if (support.mps().isReady(id)) {
                    return;
                }
            } catch (MpsException e) {
                LOG.debugf("MPS control daemon %s not checked yet: %s", id, e.getMessage());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ClaimFailure(ClaimErrorType.MPS_NOT_READY, "the MPS control daemon of claim " + claim
                        + " was not ready within " + seconds(support.mpsReadyTimeout()) + " (" + support.mps()
                        .describe(id) + "). It keeps starting; kubelet retries the prepare, which waits on. If it"
                        + " never gets ready, its pod's events and log say why (image pull, driver root, a GPU that"
                        + " does not support MPS)");
            }
            Duration wait = support.mpsReadyPolls().delayAfter(++polls);
            try {
                Thread.sleep(Math.max(1, Math.min(wait.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClaimFailure(ClaimErrorType.CANCELLED, "interrupted while waiting for the MPS control daemon"
                        + " of claim " + claim);
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    private static Map<String, String> limits(SharingGroup group) throws ClaimFailure {
        OpaqueDeviceConfig.MpsSettings settings = group.sharing().mpsOrDefault();
        try {
            return MpsLimits.normalize(group.deviceUuids(), settings.defaultPinnedDeviceMemoryLimitBytes(),
                    settings.perDevicePinnedMemoryLimitBytes());
        } catch (IllegalArgumentException e) {
            throw new ClaimFailure(ClaimErrorType.INVALID_CONFIG, group.path()
                    + ".mpsConfig.defaultPerDevicePinnedMemoryLimit: " + e.getMessage() + "; keys are a device's UUID or"
                    + " its index (0 to " + (group.deviceUuids().size() - 1) + ") among the " + group.deviceUuids()
                    .size() + " device(s) this config applies to, sorted by UUID");
        }
    }

    private void refuseConflicts(String uid, SharingGroup group, Map<String, CheckpointEntry> entries)
            throws ClaimFailure {
        for (Map.Entry<String, CheckpointEntry> other : entries.entrySet()) {
            if (other.getKey().equals(uid)) {
                continue;
            }
            CheckpointEntry e = other.getValue();
            for (SharingRecord.MpsDaemon daemon : e.sharing().mpsDaemons()) {
                for (String uuid : group.deviceUuids()) {
                    if (daemon.deviceUuids().contains(uuid)) {
                        throw conflict(group, uuid, e, other.getKey(), "runs its own MPS control daemon on it");
                    }
                }
            }
            for (SharingRecord.TimeSlice ts : e.sharing().timeSlices()) {
                if (group.gpuUuids().contains(ts.gpuUuid())) {
                    throw conflict(group, ts.gpuUuid(), e, other.getKey(), "time-slices it (compute mode DEFAULT)");
                }
            }
        }
    }

    private static ClaimFailure conflict(SharingGroup group, String uuid, CheckpointEntry e, String uid, String what) {
        return new ClaimFailure(ClaimErrorType.DEVICE_IN_USE, group.path() + " asks for MPS on device " + uuid
                + ", but claim " + e.namespace() + "/" + e.name() + " (" + uid + ") " + what + "; a device serves one"
                + " MPS daemon at a time, so wait for that claim to finish");
    }

    private Optional<ComputeMode> readComputeMode(String gpu) {
        try {
            return support.gpus().computeMode(gpu);
        } catch (GpuSharingException e) {
            LOG.warnf("cannot read the compute mode of GPU %s (%s); Default is put back when MPS ends", gpu,
                    e.getMessage());
            return Optional.empty();
        }
    }

    private static ClaimFailure setup(String message, Exception cause) {
        return new ClaimFailure(ClaimErrorType.SHARING_SETUP, message, cause);
    }
}
