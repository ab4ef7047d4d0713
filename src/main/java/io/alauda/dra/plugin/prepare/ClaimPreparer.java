package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.CdiException;
import io.alauda.dra.cdi.ClaimSpecBuilder;
import io.alauda.dra.cdi.ClaimSpecStore;
import io.alauda.dra.cdi.ContainerEdits;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceType;
import io.alauda.dra.plugin.api.CallCancellation;
import io.alauda.dra.plugin.api.DraRequestHandler;
import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.CheckpointEntry;
import io.alauda.dra.plugin.checkpoint.CheckpointRecovery;
import io.alauda.dra.plugin.checkpoint.CheckpointStore;
import io.alauda.dra.plugin.checkpoint.LoadOutcome;
import io.alauda.dra.plugin.checkpoint.SharingRecord;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * NodePrepareResources and NodeUnprepareResources of the kubelet plugin.
 *
 * <p>Preparing a claim: read it live from the API server, keep this driver's results in this node's pool, check the
 * opaque configs, refuse devices another claim holds, then three durable steps: checkpoint PrepareStarted (with the
 * planned devices), the claim's CDI spec (written atomically), checkpoint PrepareCompleted. A claim already completed
 * is answered from the checkpoint without asking the API server. A crash between the steps leaves PrepareStarted,
 * and the next prepare simply does everything again (each step overwrites its own earlier result). Unpreparing
 * removes the CDI spec first and the checkpoint entry last, so there is never a spec without a record of it.
 *
 * <p>Calls for different claims run in parallel; calls for one claim are serialised by a per-UID lock. The overlap
 * check and accepting PrepareStarted happen under one node-wide lock, so two claims cannot both take a device; the
 * checkpoint writes of concurrent claims are written together ({@link CheckpointStore}, group commit).
 */
public final class ClaimPreparer implements DraRequestHandler {

    private static final Logger LOG = Logger.getLogger(ClaimPreparer.class);

    private final PreparePlanner planner;
    private final ClaimSource claims;
    private final CheckpointStore checkpoint;
    private final ClaimSpecStore specs;
    private final ClaimSpecBuilder specBuilder;
    private final ClaimSharing sharing;
    private final PrepareObserver observer;
    private final PrepareStepHook hook;
    private final ClaimLocks locks = new ClaimLocks();
    private final AdminAccessRegistry adminAccess = new AdminAccessRegistry();
    /** Guards the overlap check with the PrepareStarted write that follows it, and {@link #recoveredHolds}. */
    private final Object holds = new Object();
    /** Claims known only from their CDI spec (claim UID to device names); they hold their devices until prepared or unprepared. */
    private final Map<String, List<String>> recoveredHolds = new HashMap<>();
    private final Object gauges = new Object();
    private volatile boolean closing;

    private ClaimPreparer(PreparerSettings settings, ClaimSource claims, CheckpointStore checkpoint,
                          PrepareObserver observer, PrepareStepHook hook, SharingSupport sharing) {
        this.planner = new PreparePlanner(settings.nodeName(), settings.devices(), settings.withheld(), sharing.gates());
        this.claims = claims;
        this.checkpoint = checkpoint;
        this.specs = settings.specStore();
        this.specBuilder = settings.specBuilder();
        this.observer = observer;
        this.hook = hook;
        this.sharing = new ClaimSharing(sharing);
    }

    /**
     * Loads the checkpoint and repairs what an earlier run left: after a reboot, stale claim specs are removed; after
     * a lost checkpoint, claims with a CDI spec are held until kubelet prepares or unprepares them again; temporary
     * files of an interrupted spec write are removed. Never throws for what it finds on disk.
     *
     * @param claims   {@link ResourceClaimFetcher} in production
     * @param observer for metrics and events; {@link PrepareObserver#NONE} for none
     */
    public static ClaimPreparer open(PreparerSettings settings, ClaimSource claims, PrepareObserver observer) {
        return open(settings, claims, observer, PrepareStepHook.NONE, SharingSupport.NONE);
    }

    /** @param sharing the sharing strategies allowed on this node and what applies them */
    public static ClaimPreparer open(PreparerSettings settings, ClaimSource claims, PrepareObserver observer,
                                     SharingSupport sharing) {
        return open(settings, claims, observer, PrepareStepHook.NONE, sharing);
    }

    static ClaimPreparer open(PreparerSettings settings, ClaimSource claims, PrepareObserver observer,
                              PrepareStepHook hook) {
        return open(settings, claims, observer, hook, SharingSupport.NONE);
    }

    static ClaimPreparer open(PreparerSettings settings, ClaimSource claims, PrepareObserver observer,
                              PrepareStepHook hook, SharingSupport sharing) {
        List<CheckpointRecovery> recoveries = new CopyOnWriteArrayList<>();
        CheckpointStore store = new CheckpointStore(settings.checkpointFile(), settings.bootIds(), recoveries::add);
        LoadOutcome outcome = store.load();
        ClaimPreparer preparer = new ClaimPreparer(settings, claims, store, observer, hook, sharing);
        preparer.recover(outcome, recoveries);
        return preparer;
    }

    // ---------------------------------------------------------------------------------------------- prepare

    /**
     * Claims are prepared one after the other; once {@code cancellation} fires (or {@link #close()} was called), the
     * claims not started yet are answered "not prepared" without any work. The claim being worked on is given up if it
     * has not reached the checkpoint yet (nothing of it is on disk then); past that point its remaining steps are
     * local file writes, which finish, because stopping between them would leave more to clean up than finishing.
     */
    @Override
    public Map<String, NodePrepareResult> prepare(List<ResourceClaimRef> claimRefs, CallCancellation cancellation) {
        long start = System.nanoTime();
        CallCancellation stop = cancellation.or(this::shuttingDown);
        tell(o -> o.requestStarted(PrepareObserver.Operation.PREPARE, claimRefs.size()));
        Map<String, NodePrepareResult> results = new LinkedHashMap<>();
        int failed = 0;
        for (ResourceClaimRef ref : claimRefs) {
            Optional<String> stopped = stop.reason();
            NodePrepareResult result = stopped.isPresent() ? notStarted(ref, stopped.get()) : prepareOne(ref, stop);
            failed += result.isError() ? 1 : 0;
            results.put(ref.uid(), result);
        }
        reportStopped(stop, claimRefs, results);
        int failedClaims = failed;
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        tell(o -> o.requestFinished(PrepareObserver.Operation.PREPARE, took, failedClaims));
        return results;
    }

    private NodePrepareResult prepareOne(ResourceClaimRef ref, CallCancellation stop) {
        try {
            ClaimRefs.requireValidForPrepare(ref);
            try (ClaimLocks.Held ignored = locks.lock(ref.uid())) {
                try {
                    return NodePrepareResult.prepared(prepareLocked(ref, stop));
                } catch (ClaimFailure | RuntimeException e) {
                    if (checkpoint.get(ref.uid()).isEmpty()) {
                        adminAccess.forget(ref.uid());
                    }
                    throw e;
                }
            }
        } catch (ClaimFailure | RuntimeException e) {
            Optional<String> stopped = stop.reason();
            if (stopped.isPresent()) {
                // After cancellation, failures are its echo (an interrupted GET, a closed API client): not worth a
                // warning or an event per claim, which is what turned a shutdown into an error storm.
                LOG.debugf(e, "claim %s was given up: %s", describe(ref), stopped.get());
                return givenUp(ref, stopped.get());
            }
            return failed(ref, e);
        }
    }

    private NodePrepareResult failed(ResourceClaimRef ref, Exception e) {
        if (e instanceof ClaimFailure f) {
            LOG.warnf("cannot prepare claim %s (%s): %s", describe(ref), f.type(), f.getMessage());
            tell(o -> o.prepareError(f.type(), ref, f.getMessage()));
            return NodePrepareResult.failed(f.getMessage());
        }
        // Left as a crash would leave it: the checkpoint still says PrepareStarted and the next call redoes it.
        LOG.errorf(e, "internal error while preparing claim %s", describe(ref));
        String message = "internal error while preparing claim " + describe(ref) + ": " + e
                + "; the plugin log has the details. Kubelet retries";
        tell(o -> o.prepareError(ClaimErrorType.INTERNAL, ref, message));
        return NodePrepareResult.failed(message);
    }

    private static NodePrepareResult notStarted(ResourceClaimRef ref, String why) {
        return NodePrepareResult.failed("claim " + describe(ref) + " was not prepared: " + why + " before the plugin"
                + " reached it; nothing was done for it, kubelet retries");
    }

    private static NodePrepareResult givenUp(ResourceClaimRef ref, String why) {
        return NodePrepareResult.failed("claim " + describe(ref) + " was not prepared: " + why + " while the plugin"
                + " worked on it; nothing of it is recorded as prepared, kubelet retries");
    }

    /** Stops a prepare before its first durable step. */
    private static void stopIfCancelled(CallCancellation stop, ResourceClaimRef ref) throws ClaimFailure {
        Optional<String> why = stop.reason();
        if (why.isPresent()) {
            throw new ClaimFailure(ClaimErrorType.CANCELLED, "claim " + describe(ref) + " given up: " + why.get());
        }
    }

    /**
     * One line per call kubelet gave up on, whatever the number of claims it left; none per call while shutting down,
     * where {@link #close()} said it once.
     */
    private void reportStopped(CallCancellation stop, List<ResourceClaimRef> refs, Map<String, NodePrepareResult> results) {
        Optional<String> why = stop.reason();
        if (why.isEmpty()) {
            return;
        }
        long prepared = results.values().stream().filter(r -> !r.isError()).count();
        LOG.logf(closing ? Logger.Level.DEBUG : Logger.Level.INFO, "NodePrepareResources stopped: %s; %d of %d claim(s)"
                + " prepared, the others answered 'not prepared' (kubelet retries them)", why.get(), prepared, refs.size());
    }

    private Optional<String> shuttingDown() {
        return closing ? Optional.of("the kubelet plugin is shutting down") : Optional.empty();
    }

    /**
     * Takes no new claims from now on: calls running finish the claim they are on (or give it up, see
     * {@link #prepare}) and answer the rest "not prepared", so a plugin being stopped neither leaves half-prepared
     * claims nor keeps calling an API client that is about to close. Idempotent.
     */
    public void close() {
        if (!closing) {
            closing = true;
            LOG.info("preparer closed: prepare calls still running stop after their current claim");
        }
    }

    private List<KubeletDevice> prepareLocked(ResourceClaimRef ref, CallCancellation stop) throws ClaimFailure {
        String uid = ref.uid();
        // Waiting for another call on the same claim may have outlasted the caller.
        stopIfCancelled(stop, ref);
        Optional<CheckpointEntry> existing = checkpoint.get(uid);
        if (existing.isPresent() && existing.get().isCompleted()) {
            if (specPresent(uid, existing.get())) {
                LOG.debugf("claim %s is already prepared; answering from the checkpoint", describe(ref));
                return existing.get().devices();
            }
            LOG.warnf("claim %s is recorded as prepared but its CDI spec is gone; preparing it again", describe(ref));
        }
        AllocatedClaim claim;
        try {
            claim = claims.fetch(ref);
        } catch (ClaimFailure f) {
            if (f.type() == ClaimErrorType.CLAIM_NOT_FOUND || f.type() == ClaimErrorType.CLAIM_REPLACED) {
                releaseGoneClaim(ref, existing);
            }
            throw f;
        }
        hook.reached(PrepareStep.CLAIM_FETCHED, uid);
        stopIfCancelled(stop, ref);
        PreparePlan plan = planner.plan(claim);
        List<KubeletDevice> answer = plan.kubeletDevices(uid);
        Reservation reservation = reserve(ref, plan, answer, stop);
        hook.reached(PrepareStep.CHECKPOINT_STARTED, uid);
        // A failure from here on leaves PrepareStarted with the sharing record: kubelet's retry picks up where this
        // stopped (an MPS daemon still starting is waited for again), and an unprepare undoes what was changed.
        Map<String, ContainerEdits> sharingEdits = sharing.apply(reservation.sharing(), plan, describe(ref), stop);
        hook.reached(PrepareStep.SHARING_APPLIED, uid);
        boolean recovered = reservation.recovered();
        writeSpec(ref, plan, recovered, sharingEdits);
        hook.reached(PrepareStep.SPEC_WRITTEN, uid);
        complete(ref, answer, recovered, reservation.sharing());
        hook.reached(PrepareStep.CHECKPOINT_COMPLETED, uid);
        LOG.infof("prepared claim %s: %s", describe(ref), answer.isEmpty() ? "no devices of this driver on this node"
                : answer.stream().map(KubeletDevice::deviceName).collect(Collectors.joining(", ")));
        publishGauges();
        return answer;
    }

    /**
     * @param recovered whether the claim was held from its CDI spec alone, which changes how a failure rolls back
     * @param sharing   what the claim's sharing changes on the node, as recorded in the checkpoint
     */
    private record Reservation(boolean recovered, SharingRecord sharing) {
    }

    /**
     * Overlap check, sharing plan and PrepareStarted as one step, so no other claim can take the devices, or start or
     * stop sharing them, in between. A holder prepared before this process started may hold its device with admin
     * access, which only the API server knows; it is asked outside the lock, and the check runs again.
     *
     * <p>A claim without sharing only has its PrepareStarted accepted under the lock (the next claim's check sees it)
     * and waits for the write outside it, so the checkpoint writes of a burst of claims are written together. A claim
     * that shares a GPU is written under the lock: what it records about the GPU's settings must be on disk before
     * any other claim decides from it.
     */
    private Reservation reserve(ResourceClaimRef ref, PreparePlan plan, List<KubeletDevice> answer,
                                CallCancellation stop) throws ClaimFailure {
        adminAccess.remember(ref.uid(), plan.adminOnlyDeviceNames());
        boolean askedApiServer = false;
        while (true) {
            Map<String, CheckpointEntry> unknown = Map.of();
            Reservation reservation = null;
            CheckpointStore.Pending started = null;
            synchronized (holds) {
                OverlapGuard.Outcome outcome = OverlapGuard.check(ref, plan, checkpoint.snapshot(), recoveredHolds,
                        adminAccess, askedApiServer);
                if (outcome.conflict().isPresent()) {
                    throw outcome.conflict().get();
                }
                if (outcome.unknownHolders().isEmpty()) {
                    SharingRecord record = sharing.plan(ref.uid(), plan, checkpoint.snapshot());
                    reservation = new Reservation(recoveredHolds.containsKey(ref.uid()), record);
                    if (record.isEmpty()) {
                        started = checkpoint.stageStarted(ref, answer);
                    } else {
                        recordStarted(ref, () -> checkpoint.putStarted(ref, answer, record));
                        return reservation;
                    }
                } else {
                    unknown = outcome.unknownHolders();
                }
            }
            if (reservation != null) {
                recordStarted(ref, started);
                return reservation;
            }
            stopIfCancelled(stop, ref);
            adminAccess.learn(unknown, claims, planner);
            askedApiServer = true;
        }
    }

    private void recordStarted(ResourceClaimRef ref, CheckpointStore.Pending write) throws ClaimFailure {
        try {
            write.awaitDurable();
        } catch (IOException e) {
            throw new ClaimFailure(ClaimErrorType.CHECKPOINT, "cannot record claim " + describe(ref)
                    + " in the checkpoint: " + e.getMessage() + "; nothing was prepared, kubelet retries."
                    + " Check that the plugin directory is writable and not full", e);
        }
    }

    private void writeSpec(ResourceClaimRef ref, PreparePlan plan, boolean recovered,
                           Map<String, ContainerEdits> sharingEdits) throws ClaimFailure {
        String uid = ref.uid();
        try {
            if (plan.devices().isEmpty()) {
                // Nothing of this driver on this node: no spec, and none left over from an earlier allocation.
                specs.delete(uid);
                return;
            }
            specs.write(uid, specBuilder.build(uid, plan.distinctDevices(), sharingEdits));
        } catch (CdiException e) {
            rollBack(ref, recovered);
            throw new ClaimFailure(ClaimErrorType.CDI_SPEC, "cannot write the CDI spec of claim " + describe(ref) + ": "
                    + e.getMessage(), e);
        }
    }

    private void complete(ResourceClaimRef ref, List<KubeletDevice> answer, boolean recovered, SharingRecord record)
            throws ClaimFailure {
        try {
            checkpoint.putCompleted(ref, answer, record);
        } catch (IOException e) {
            rollBack(ref, recovered);
            throw new ClaimFailure(ClaimErrorType.CHECKPOINT, "cannot record claim " + describe(ref) + " as prepared"
                    + " in the checkpoint: " + e.getMessage() + "; kubelet retries. Check that the plugin directory is"
                    + " writable and not full", e);
        }
        synchronized (holds) {
            recoveredHolds.remove(ref.uid());
        }
    }

    /**
     * Undoes a failed attempt: nothing was handed to kubelet, so the spec and the entry go (spec first). A claim held
     * from its CDI spec keeps the spec: a running container may have been started from it.
     */
    private void rollBack(ResourceClaimRef ref, boolean recovered) {
        String uid = ref.uid();
        if (!recovered) {
            try {
                specs.delete(uid);
            } catch (CdiException e) {
                LOG.warnf("cannot remove the CDI spec of failed claim %s (%s); its checkpoint entry stays"
                        + " PrepareStarted and the next prepare or unprepare cleans up", describe(ref), e.getMessage());
                return;
            }
        }
        Optional<CheckpointEntry> entry = checkpoint.get(uid);
        if (entry.isEmpty()) {
            return;
        }
        try {
            forget(ref, entry.get());
        } catch (ClaimFailure | IOException e) {
            LOG.warnf("cannot remove failed claim %s from the checkpoint (%s); it stays PrepareStarted and the next"
                    + " prepare or unprepare cleans up", describe(ref), e.getMessage());
        }
    }

    /**
     * Undoes the claim's sharing and removes its entry. Its own MPS daemons go first; whether to put a GPU's
     * time-slice back is decided with the holds lock, together with removing the entry, so that a claim starting to
     * time-slice the same GPU meanwhile either is seen here or sees the GPU already put back.
     */
    private void forget(ResourceClaimRef ref, CheckpointEntry entry) throws ClaimFailure, IOException {
        if (entry.sharing().isEmpty()) {
            // Nothing shared to decide about: the removal may be written together with other claims' changes.
            checkpoint.remove(ref.uid());
            return;
        }
        sharing.releaseOwn(entry, describe(ref));
        synchronized (holds) {
            sharing.releaseShared(ref.uid(), entry, checkpoint.snapshot(), describe(ref));
            checkpoint.remove(ref.uid());
        }
    }

    /** Kubelet asked for a claim that no longer exists: whatever an earlier attempt left for it can go. */
    private void releaseGoneClaim(ResourceClaimRef ref, Optional<CheckpointEntry> existing) {
        boolean held;
        synchronized (holds) {
            held = recoveredHolds.containsKey(ref.uid());
        }
        if (existing.isEmpty() && !held) {
            return;
        }
        try {
            specs.delete(ref.uid());
            Optional<CheckpointEntry> now = checkpoint.get(ref.uid());
            if (now.isPresent()) {
                forget(ref, now.get());
            }
        } catch (CdiException | IOException | ClaimFailure e) {
            LOG.warnf("claim %s no longer exists, but what was prepared for it could not be removed: %s",
                    describe(ref), e.getMessage());
            return;
        }
        synchronized (holds) {
            recoveredHolds.remove(ref.uid());
        }
        adminAccess.forget(ref.uid());
        LOG.infof("claim %s no longer exists; released what an earlier prepare left for it", describe(ref));
        publishGauges();
    }

    private boolean specPresent(String uid, CheckpointEntry entry) {
        if (entry.devices().isEmpty()) {
            return true;
        }
        try {
            return Files.exists(specs.path(uid), LinkOption.NOFOLLOW_LINKS);
        } catch (CdiException e) {
            return false;
        }
    }

    // -------------------------------------------------------------------------------------------- unprepare

    @Override
    public Map<String, String> unprepare(List<ResourceClaimRef> claimRefs) {
        long start = System.nanoTime();
        tell(o -> o.requestStarted(PrepareObserver.Operation.UNPREPARE, claimRefs.size()));
        Map<String, String> results = new LinkedHashMap<>();
        int failed = 0;
        for (ResourceClaimRef ref : claimRefs) {
            String error = unprepareOne(ref);
            failed += error.isEmpty() ? 0 : 1;
            results.put(ref.uid(), error);
        }
        int failedClaims = failed;
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        tell(o -> o.requestFinished(PrepareObserver.Operation.UNPREPARE, took, failedClaims));
        return results;
    }

    private String unprepareOne(ResourceClaimRef ref) {
        try {
            ClaimRefs.requireValidUid(ref);
            try (ClaimLocks.Held ignored = locks.lock(ref.uid())) {
                unprepareLocked(ref);
            }
            return "";
        } catch (ClaimFailure f) {
            LOG.warnf("cannot unprepare claim %s (%s): %s", describe(ref), f.type(), f.getMessage());
            tell(o -> o.unprepareError(f.type(), ref, f.getMessage()));
            return f.getMessage();
        } catch (RuntimeException e) {
            LOG.errorf(e, "internal error while unpreparing claim %s", describe(ref));
            String message = "internal error while unpreparing claim " + describe(ref) + ": " + e
                    + "; the plugin log has the details. Kubelet retries";
            tell(o -> o.unprepareError(ClaimErrorType.INTERNAL, ref, message));
            return message;
        }
    }

    private void unprepareLocked(ResourceClaimRef ref) throws ClaimFailure {
        String uid = ref.uid();
        Optional<CheckpointEntry> entry = checkpoint.get(uid);
        boolean held;
        synchronized (holds) {
            held = recoveredHolds.containsKey(uid);
        }
        try {
            // Also for a claim we do not know: a missing file costs nothing, and no spec may outlive its claim.
            specs.delete(uid);
        } catch (CdiException e) {
            throw new ClaimFailure(ClaimErrorType.CDI_SPEC, "cannot remove the CDI spec of claim " + describe(ref) + ": "
                    + e.getMessage() + "; the claim stays prepared and kubelet retries", e);
        }
        hook.reached(PrepareStep.SPEC_DELETED, uid);
        if (entry.isPresent()) {
            try {
                forget(ref, entry.get());
            } catch (IOException e) {
                throw new ClaimFailure(ClaimErrorType.CHECKPOINT, "removed the CDI spec of claim " + describe(ref)
                        + " but cannot remove it from the checkpoint: " + e.getMessage() + "; kubelet retries", e);
            }
        }
        synchronized (holds) {
            recoveredHolds.remove(uid);
        }
        adminAccess.forget(uid);
        if (entry.isPresent() || held) {
            LOG.infof("unprepared claim %s", describe(ref));
            publishGauges();
        } else {
            LOG.debugf("claim %s was not prepared on this node; nothing to unprepare", describe(ref));
        }
    }

    // ------------------------------------------------------------------------------------ stale claims

    /**
     * Releases claims left PrepareStarted (by a crash or a failed rollback) whose ResourceClaim no longer exists, as
     * upstream does every 10 minutes: kubelet may never call again for a deleted claim, and its devices would stay
     * held. Claims that still exist are left for kubelet's own retry.
     *
     * @return the UIDs released
     */
    public List<String> releaseAbandonedClaims() {
        List<String> released = new ArrayList<>();
        for (Map.Entry<String, CheckpointEntry> candidate : checkpoint.snapshot().entrySet()) {
            if (closing) {
                break;
            }
            if (candidate.getValue().isCompleted()) {
                continue;
            }
            String uid = candidate.getKey();
            ResourceClaimRef ref = new ResourceClaimRef(candidate.getValue().namespace(), uid,
                    candidate.getValue().name());
            try (ClaimLocks.Held ignored = locks.lock(uid)) {
                Optional<CheckpointEntry> now = checkpoint.get(uid);
                if (now.isEmpty() || now.get().isCompleted()) {
                    continue;
                }
                try {
                    claims.fetch(ref);
                } catch (ClaimFailure f) {
                    if (f.type() == ClaimErrorType.CLAIM_NOT_FOUND || f.type() == ClaimErrorType.CLAIM_REPLACED) {
                        releaseGoneClaim(ref, now);
                        if (checkpoint.get(uid).isEmpty()) {
                            released.add(uid);
                        }
                    }
                }
            }
        }
        return released;
    }

    // ----------------------------------------------------------------------------------------- recovery

    private void recover(LoadOutcome outcome, List<CheckpointRecovery> recoveries) {
        StartupRecovery.Result result = StartupRecovery.run(specs, checkpoint.snapshot(), outcome, recoveries);
        synchronized (holds) {
            recoveredHolds.putAll(result.holds());
        }
        result.reports().forEach(this::report);
        sharing.sweep(checkpoint.snapshot());
        publishGauges();
    }

    // --------------------------------------------------------------------------------------- reporting

    /** Distinct devices in completed or recovered claims, per type; computed and published under one lock so the last value wins. */
    private void publishGauges() {
        synchronized (gauges) {
            Map<DeviceType, Set<String>> byType = new EnumMap<>(DeviceType.class);
            for (DeviceType type : DeviceType.values()) {
                byType.put(type, new TreeSet<>());
            }
            checkpoint.snapshot().values().stream().filter(CheckpointEntry::isCompleted)
                    .flatMap(e -> e.devices().stream())
                    .forEach(d -> byType.get(typeOf(d.deviceName())).add(d.deviceName()));
            synchronized (holds) {
                recoveredHolds.values().forEach(names -> names.forEach(n -> byType.get(typeOf(n)).add(n)));
            }
            byType.forEach((type, names) -> tell(o -> o.preparedDevices(type, names.size())));
        }
    }

    private DeviceType typeOf(String deviceName) {
        return planner.device(deviceName).map(AllocatableDevice::type)
                .orElse(deviceName.contains("-mig-") ? DeviceType.MIG : DeviceType.GPU);
    }

    private void report(RecoveryReport report) {
        tell(o -> o.recovered(report));
    }

    private void tell(Consumer<PrepareObserver> call) {
        try {
            call.accept(observer);
        } catch (RuntimeException e) {
            LOG.warnf(e, "prepare observer failed");
        }
    }

    private static String describe(ResourceClaimRef ref) {
        return Printable.of(ref.namespace()) + "/" + Printable.of(ref.name()) + " (" + Printable.of(ref.uid()) + ")";
    }

    // ------------------------------------------------------------------------------------------ for tests

    Map<String, CheckpointEntry> checkpointEntries() {
        return checkpoint.snapshot();
    }

    Map<String, List<String>> recoveredHolds() {
        synchronized (holds) {
            return Map.copyOf(recoveredHolds);
        }
    }

    ClaimLocks locks() {
        return locks;
    }
}
