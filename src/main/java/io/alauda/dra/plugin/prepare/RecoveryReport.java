package io.alauda.dra.plugin.prepare;

import java.util.List;

/**
 * What the preparer repaired when it started.
 *
 * @param reason    what happened
 * @param detail    a sentence for the event message
 * @param claimUids the claims concerned
 */
public record RecoveryReport(Reason reason, String detail, List<String> claimUids) {

    public RecoveryReport {
        claimUids = List.copyOf(claimUids);
    }

    public enum Reason {
        /**
         * The checkpoint was unusable and moved aside; claims whose CDI spec files exist are held (their devices are
         * protected) and fully prepared again on their next NodePrepareResources.
         */
        CHECKPOINT_REBUILT_FROM_SPECS,
        /** Claim CDI specs without a checkpoint entry were found and held the same way. */
        ORPHANED_SPECS_HELD,
        /** The node rebooted: claim CDI specs left in a persistent CDI directory were removed. */
        SPECS_REMOVED_AFTER_REBOOT
    }
}
