package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.CheckpointEntry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses to prepare a device for a claim while another claim on this node holds it, unless one of the two has it
 * with admin access. The scheduler should never allocate that, but races and force-deleted pods make it happen, and
 * two workloads on one GPU is worse than a pod that waits.
 */
final class OverlapGuard {

    /**
     * @param conflict       the refusal, if a device is taken
     * @param unknownHolders claims (UID to entry) holding one of the devices whose admin access is not known yet
     */
    record Outcome(Optional<ClaimFailure> conflict, Map<String, CheckpointEntry> unknownHolders) {
    }

    private OverlapGuard() {
    }

    /**
     * @param entries            the checkpoint, claim UID to entry (started and completed alike hold their devices)
     * @param recoveredHolds     claim UID to device names, for claims known only from their CDI spec
     * @param unknownIsExclusive how to treat a holder whose admin access is still unknown: as exclusive (true) or as
     *                           "ask first" (false: reported in {@link Outcome#unknownHolders()})
     */
    static Outcome check(ResourceClaimRef claim, PreparePlan plan, Map<String, CheckpointEntry> entries,
                         Map<String, List<String>> recoveredHolds, AdminAccessRegistry adminAccess,
                         boolean unknownIsExclusive) {
        Set<String> wanted = plan.exclusiveDeviceNames();
        Map<String, CheckpointEntry> unknown = new LinkedHashMap<>();
        if (wanted.isEmpty()) {
            return new Outcome(Optional.empty(), unknown);
        }
        for (Map.Entry<String, CheckpointEntry> other : entries.entrySet()) {
            if (other.getKey().equals(claim.uid())) {
                continue;
            }
            for (KubeletDevice held : other.getValue().devices()) {
                if (!wanted.contains(held.deviceName())) {
                    continue;
                }
                Optional<Set<String>> adminOnly = adminAccess.adminOnlyDevices(other.getKey());
                if (adminOnly.isEmpty() && !unknownIsExclusive) {
                    unknown.put(other.getKey(), other.getValue());
                } else if (adminOnly.isEmpty() || !adminOnly.get().contains(held.deviceName())) {
                    CheckpointEntry e = other.getValue();
                    return conflict(claim, plan, held.deviceName(), "claim " + e.namespace() + "/" + e.name() + " ("
                            + other.getKey() + ", state " + e.state().jsonName() + ")");
                }
            }
        }
        for (Map.Entry<String, List<String>> hold : recoveredHolds.entrySet()) {
            if (hold.getKey().equals(claim.uid())) {
                continue;
            }
            for (String device : hold.getValue()) {
                if (wanted.contains(device)) {
                    return conflict(claim, plan, device, "the claim with UID " + hold.getKey() + " (known only from"
                            + " its CDI spec, found when the plugin started without a record of it)");
                }
            }
        }
        return new Outcome(Optional.empty(), unknown);
    }

    private static Outcome conflict(ResourceClaimRef claim, PreparePlan plan, String device, String holder) {
        return new Outcome(Optional.of(new ClaimFailure(ClaimErrorType.DEVICE_IN_USE, "claim " + claim.namespace() + "/"
                + claim.name() + " (" + claim.uid() + ") asks for device " + device + " ("
                + ConfigPaths.result(plan.resultIndexOf(device)) + ") without admin access, but this node already"
                + " prepared it for " + holder + ". Two claims must not hold one device; this happens when a pod was"
                + " force-deleted before its claim was unprepared, or when the scheduler raced. Kubelet retries and the"
                + " device frees up once the other claim's pods are gone; if it does not, delete this pod so that the"
                + " scheduler allocates again")), Map.of());
    }
}
