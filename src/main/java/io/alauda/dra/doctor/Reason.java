package io.alauda.dra.doctor;

/** Why a device is (not) usable for a request: the first check it fails, in the order listed. */
public enum Reason {
    /** Usable for the request. */
    MATCHES("matches"),
    /** The pool's node is not in the cluster. */
    NODE_GONE("node gone"),
    /** No node matches the pool's nodeSelector (or the cluster has no nodes). */
    NODE_NOT_ELIGIBLE("node not eligible"),
    /** A selector of the request's DeviceClass is false. */
    CLASS_SELECTOR_FALSE("class selector false"),
    /** A selector of the request's DeviceClass fails at run time. */
    CLASS_SELECTOR_ERROR("class selector error"),
    /** A selector of the claim is false. */
    SELECTOR_FALSE("selector false"),
    /** A selector of the claim fails at run time (missing attribute, type mismatch). */
    SELECTOR_ERROR("selector error"),
    /** A device taint the request does not tolerate. */
    TAINTED("tainted"),
    /** Allocated to another claim. */
    ALLOCATED("allocated"),
    /** The device has less of a requested capacity than wanted, or none. */
    CAPACITY_SHORT("capacity short");

    private final String label;

    Reason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether the device passed the selectors (class and claim) and only availability stops it. */
    public boolean selected() {
        return this == MATCHES || this == TAINTED || this == ALLOCATED || this == CAPACITY_SHORT;
    }
}
