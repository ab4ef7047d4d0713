package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.CheckpointEntry;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which devices each prepared claim got only with admin access. The checkpoint does not record it, so it is known for
 * claims prepared by this process, and learned from the API server, only when needed, for claims prepared before a
 * restart.
 */
final class AdminAccessRegistry {

    private static final Logger LOG = Logger.getLogger(AdminAccessRegistry.class);

    private final Map<String, Set<String>> adminOnlyByClaim = new ConcurrentHashMap<>();

    void remember(String claimUid, Set<String> adminOnlyDevices) {
        adminOnlyByClaim.put(claimUid, Set.copyOf(adminOnlyDevices));
    }

    /** Empty when unknown (the claim was prepared before this process started). */
    Optional<Set<String>> adminOnlyDevices(String claimUid) {
        return Optional.ofNullable(adminOnlyByClaim.get(claimUid));
    }

    void forget(String claimUid) {
        adminOnlyByClaim.remove(claimUid);
    }

    /**
     * Reads the claims behind {@code holders} (claim UID to checkpoint entry) to learn their admin-access devices. A
     * claim that cannot be read stays unknown, and the guard then treats its devices as held exclusively.
     */
    void learn(Map<String, CheckpointEntry> holders, ClaimSource claims, PreparePlanner planner) {
        holders.forEach((uid, entry) -> {
            try {
                AllocatedClaim claim = claims.fetch(new ResourceClaimRef(entry.namespace(), uid, entry.name()));
                remember(uid, planner.adminOnlyDevices(claim));
            } catch (ClaimFailure e) {
                LOG.infof("cannot tell whether claim %s/%s (%s) holds its devices with admin access (%s); treating"
                        + " them as held exclusively", entry.namespace(), entry.name(), uid, e.getMessage());
            }
        });
    }
}
