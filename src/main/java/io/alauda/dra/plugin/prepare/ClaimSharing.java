package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.ContainerEdits;
import io.alauda.dra.plugin.api.CallCancellation;
import io.alauda.dra.plugin.checkpoint.CheckpointEntry;
import io.alauda.dra.plugin.checkpoint.SharingRecord;

import java.util.Map;

/**
 * A claim's sharing, in the steps the preparer takes: plan (with the node's holds lock, recorded in the checkpoint
 * before anything changes), apply, and release when the claim goes. Time-slicing is released with the holds lock,
 * because whether to put a GPU back depends on the other claims' records; MPS daemons belong to one claim alone and
 * are stopped without it.
 */
final class ClaimSharing {

    private final TimeSlicing timeSlicing;
    private final MpsSharing mps;

    ClaimSharing(SharingSupport support) {
        this.timeSlicing = new TimeSlicing(support.gpus());
        this.mps = new MpsSharing(support);
    }

    /** @param entries the checkpoint, this claim's earlier entry included */
    SharingRecord plan(String uid, PreparePlan plan, Map<String, CheckpointEntry> entries) throws ClaimFailure {
        if (plan.sharing().isEmpty()) {
            return SharingRecord.NONE;
        }
        return new SharingRecord(timeSlicing.plan(uid, plan.sharing(), entries),
                mps.plan(uid, plan.sharing(), entries));
    }

    /** @return device name to the CDI edits sharing adds for it */
    Map<String, ContainerEdits> apply(SharingRecord record, PreparePlan plan, String claim, CallCancellation stop)
            throws ClaimFailure {
        timeSlicing.apply(record.timeSlices(), claim);
        return mps.apply(record.mpsDaemons(), plan.sharing(), claim, stop);
    }

    /** Stops what belongs to the claim alone; first of the two release steps. */
    void releaseOwn(CheckpointEntry entry, String claim) throws ClaimFailure {
        mps.release(entry.sharing().mpsDaemons(), claim);
    }

    /** After a start: stops MPS daemons no entry records. Never throws. */
    void sweep(Map<String, CheckpointEntry> entries) {
        mps.sweep(entries);
    }

    /** Puts back shared GPU settings; with the holds lock, right before the claim's entry is removed. */
    void releaseShared(String uid, CheckpointEntry entry, Map<String, CheckpointEntry> entries, String claim)
            throws ClaimFailure {
        timeSlicing.release(uid, entry.sharing().timeSlices(), entries, claim);
    }
}
