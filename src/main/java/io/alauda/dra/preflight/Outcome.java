package io.alauda.dra.preflight;

/** How a check ended, from best to worst; {@link #label()} is its name in metrics and status. */
public enum Outcome {
    PASSED("Passed"),
    /** Could not be decided here (an unknown container runtime, an unreadable config); not an error. */
    UNKNOWN("Unknown"),
    /** Not ready yet (a driver container still installing); the plugin retries and publishes nothing meanwhile. */
    WAITING("Waiting"),
    /** The node cannot serve GPUs as it is; the plugin publishes no devices until an admin fixes it. */
    FAILED("Failed");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether devices may be published with this outcome. */
    public boolean allowsDevices() {
        return this != WAITING && this != FAILED;
    }
}
