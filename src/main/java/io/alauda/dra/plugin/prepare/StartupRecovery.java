package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.CdiException;
import io.alauda.dra.cdi.ClaimSpecStore;
import io.alauda.dra.cdi.StoredClaims;
import io.alauda.dra.plugin.checkpoint.CheckpointEntry;
import io.alauda.dra.plugin.checkpoint.CheckpointRecovery;
import io.alauda.dra.plugin.checkpoint.LoadOutcome;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a start does with the claim CDI specs it finds, given how the checkpoint loaded: after a reboot no claim is
 * prepared any more, so the specs go; otherwise a spec without a checkpoint entry (a lost or rebuilt checkpoint, a
 * crash between spec and checkpoint write) keeps its devices held until kubelet prepares or unprepares that claim.
 * Upstream keeps such cleanup apart from its prepare path too. The periodic release of abandoned claims stays with
 * {@link ClaimPreparer}, which owns the claim locks it needs.
 */
final class StartupRecovery {

    private static final Logger LOG = Logger.getLogger(StartupRecovery.class);

    /**
     * @param holds   claim UID to the device names its spec names, for claims to hold though the checkpoint lacks them
     * @param reports what was repaired, for the log, events and metrics
     */
    record Result(Map<String, List<String>> holds, List<RecoveryReport> reports) {
    }

    private StartupRecovery() {
    }

    /** @param recorded the checkpoint's entries as loaded */
    static Result run(ClaimSpecStore specs, Map<String, CheckpointEntry> recorded, LoadOutcome outcome,
            List<CheckpointRecovery> recoveries) {
        LeftoverSpecFiles.remove(specs.cdiRoot());
        StoredClaims stored;
        try {
            stored = specs.list();
        } catch (CdiException e) {
            LOG.errorf("cannot read the CDI directory %s to check for claim specs (%s); claims prepared before this"
                    + " start and lost from the checkpoint are not protected", specs.cdiRoot(), e.getMessage());
            return new Result(Map.of(), List.of());
        }
        stored.problems().forEach(p -> LOG.warnf("unreadable claim CDI spec, left alone: %s", p));
        if (outcome == LoadOutcome.DISCARDED_AFTER_REBOOT) {
            return new Result(Map.of(), removeSpecsAfterReboot(specs, stored));
        }
        return holdOrphanedSpecs(recorded, outcome, stored, recoveries);
    }

    private static List<RecoveryReport> removeSpecsAfterReboot(ClaimSpecStore specs, StoredClaims stored) {
        List<String> removed = new ArrayList<>();
        for (String uid : stored.devicesByClaim().keySet()) {
            try {
                specs.delete(uid);
                removed.add(uid);
            } catch (CdiException e) {
                LOG.warnf("cannot remove stale claim spec of %s after reboot: %s", uid, e.getMessage());
            }
        }
        if (removed.isEmpty()) {
            return List.of();
        }
        String detail = "the node rebooted, so no claim is prepared any more; removed " + removed.size()
                + " claim CDI spec(s) left in " + specs.cdiRoot();
        LOG.info(detail);
        return List.of(new RecoveryReport(RecoveryReport.Reason.SPECS_REMOVED_AFTER_REBOOT, detail, removed));
    }

    private static Result holdOrphanedSpecs(Map<String, CheckpointEntry> recorded, LoadOutcome outcome, StoredClaims stored,
            List<CheckpointRecovery> recoveries) {
        Map<String, List<String>> orphans = new LinkedHashMap<>();
        stored.devicesByClaim().forEach((uid, devices) -> {
            if (!recorded.containsKey(uid)) {
                orphans.put(uid, List.copyOf(devices));
            }
        });
        List<String> uids = List.copyOf(orphans.keySet());
        if (outcome == LoadOutcome.RECOVERED_FROM_CORRUPTION) {
            String why = recoveries.isEmpty() ? "the checkpoint was unusable"
                    : recoveries.stream().map(r -> r.reason() + ": " + r.detail()).collect(Collectors.joining("; "));
            String detail = why + "; rebuilt from the CDI directory: " + uids.size() + " claim(s) with a CDI spec are"
                    + " held, so their devices are not given to other claims, and are prepared again when kubelet"
                    + " asks";
            LOG.warn(detail);
            return new Result(orphans, List.of(new RecoveryReport(RecoveryReport.Reason.CHECKPOINT_REBUILT_FROM_SPECS, detail, uids)));
        }
        if (!uids.isEmpty()) {
            String detail = uids.size() + " claim CDI spec(s) have no checkpoint entry (" + String.join(", ", uids)
                    + "); their devices are held until kubelet prepares or unprepares those claims";
            LOG.warn(detail);
            return new Result(orphans, List.of(new RecoveryReport(RecoveryReport.Reason.ORPHANED_SPECS_HELD, detail, uids)));
        }
        return new Result(orphans, List.of());
    }
}
