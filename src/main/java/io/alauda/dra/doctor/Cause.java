package io.alauda.dra.doctor;

/**
 * The one word for why a claim cannot be allocated, for metrics and alerts: the closest the claim came. A request
 * whose devices all fail the selector has cause {@link #SELECTOR}; one whose wanted devices exist but are taken,
 * {@link #ALLOCATED}. The label is the metric's reason value.
 */
public enum Cause {
    /** The claim can be allocated. */
    NONE("none"),
    /** A DeviceClass that does not exist, or a selector that does not compile. */
    INVALID_REQUEST("invalid_request"),
    /** No device of any driver is published. */
    NO_DEVICES("no_devices"),
    /** Devices exist only on nodes that are gone or not eligible. */
    NODE("node"),
    /** No device passes the DeviceClass's and the claim's selectors. */
    SELECTOR("selector"),
    /** A selector fails at run time on a device the scheduler meets first, which stops the scheduler. */
    SELECTOR_ERROR("selector_error"),
    /** The devices that pass the selectors carry taints the request does not tolerate. */
    TAINTED("tainted"),
    /** The devices that pass the selectors are allocated to other claims. */
    ALLOCATED("allocated"),
    /** The devices that pass the selectors have less of a requested capacity than wanted. */
    CAPACITY("capacity"),
    /** Devices are available, but not as many on one node as the count (or allocationMode All) wants. */
    COUNT("count"),
    /** adminAccess asked for in a namespace without the admin-access label. */
    ADMIN_ACCESS("admin_access"),
    /** Each request can be met alone, but not together on one node (matchAttribute, distinct devices). */
    CONSTRAINT("constraint");

    private final String label;

    Cause(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The cause of a request no device is available for, from the reason of each device. */
    static Cause of(Iterable<DeviceVerdict> devices, int matching) {
        int selected = 0;
        int tainted = 0;
        int allocated = 0;
        int capacity = 0;
        int passedNode = 0;
        int any = 0;
        for (DeviceVerdict d : devices) {
            any++;
            Reason r = d.reason();
            if (r != Reason.NODE_GONE && r != Reason.NODE_NOT_ELIGIBLE) {
                passedNode++;
            }
            if (r.selected()) {
                selected++;
            }
            switch (r) {
                case TAINTED -> tainted++;
                case ALLOCATED -> allocated++;
                case CAPACITY_SHORT -> capacity++;
                default -> {
                }
            }
        }
        if (any == 0) {
            return NO_DEVICES;
        }
        if (matching > 0) {
            return COUNT;
        }
        if (selected > 0) {
            // the most common of what stops devices that were wanted; ties go to the earlier check
            if (tainted >= allocated && tainted >= capacity) {
                return TAINTED;
            }
            return allocated >= capacity ? ALLOCATED : CAPACITY;
        }
        return passedNode > 0 ? SELECTOR : NODE;
    }
}
