package io.alauda.dra.health;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which XIDs say the device is broken and which only that an application failed on it. Upstream's list of
 * application XIDs (13 graphics engine exception, 31 GPU memory page fault, 43 GPU stopped processing, 45 preemptive
 * cleanup, 68 video processor exception, 109 context switch timeout) plus the operator's own, are recorded with effect
 * None; every other XID makes the device NoSchedule.
 */
public final class XidPolicy {

    /** Upstream's application XIDs, from NVIDIA's XID catalogue. */
    public static final Set<Long> APPLICATION_XIDS = Set.of(13L, 31L, 43L, 45L, 68L, 109L);
    /** Upstream's variable for more XIDs to treat as application errors: a comma list, e.g. {@code 48,79}. */
    public static final String ADDITIONAL_XIDS_ENV = "ADDITIONAL_XIDS_TO_IGNORE";

    private final Set<Long> ignored;

    private XidPolicy(Set<Long> ignored) {
        this.ignored = Collections.unmodifiableSet(new TreeSet<>(ignored));
    }

    public static XidPolicy upstream() {
        return new XidPolicy(APPLICATION_XIDS);
    }

    /**
     * Upstream's list plus the XIDs of an {@code ADDITIONAL_XIDS_TO_IGNORE} value. Unlike upstream, which skips an
     * entry it cannot read, a bad entry is refused: a typo must not leave a fatal XID tainting nodes the operator meant
     * to spare, or the other way round, without anyone noticing.
     *
     * @throws IllegalArgumentException naming the entry and the expected form
     */
    public static XidPolicy withAdditional(String commaList) {
        Set<Long> xids = new TreeSet<>(APPLICATION_XIDS);
        if (commaList == null) {
            return new XidPolicy(xids);
        }
        for (String entry : commaList.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            xids.add(parse(trimmed));
        }
        return new XidPolicy(xids);
    }

    private static long parse(String entry) {
        long xid;
        try {
            xid = Long.parseLong(entry);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ADDITIONAL_XIDS_ENV + " entry '" + entry
                    + "' is not an XID number; write XIDs as decimal numbers separated by commas, e.g. 48,79");
        }
        if (xid < 0) {
            throw new IllegalArgumentException(ADDITIONAL_XIDS_ENV + " entry '" + entry
                    + "' is negative; XIDs are positive numbers, e.g. 48,79");
        }
        return xid;
    }

    public boolean ignored(long xid) {
        return ignored.contains(xid);
    }

    /** None for an application XID, NoSchedule for any other. */
    public HealthEffect effect(long xid) {
        return ignored(xid) ? HealthEffect.NONE : HealthEffect.NO_SCHEDULE;
    }

    /** Sorted, for logs and docs. */
    public Set<Long> ignoredXids() {
        return ignored;
    }
}
