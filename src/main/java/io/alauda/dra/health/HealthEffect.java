package io.alauda.dra.health;

/** What a health problem does to scheduling, by the names of the Kubernetes DeviceTaint effects. */
public enum HealthEffect {
    /** Recorded and shown, but the device stays schedulable (upstream's effect for XIDs it treats as application errors). */
    NONE("None"),
    /** New claims are not allocated the device; running pods keep it. */
    NO_SCHEDULE("NoSchedule"),
    /** New claims are not allocated the device and pods using it are evicted. */
    NO_EXECUTE("NoExecute");

    private final String kubeName;

    HealthEffect(String kubeName) {
        this.kubeName = kubeName;
    }

    /** The effect as a ResourceSlice DeviceTaint spells it. */
    public String kubeName() {
        return kubeName;
    }

    /** Whether the device counts as unhealthy while a problem with this effect stands. */
    public boolean unhealthy() {
        return this != NONE;
    }
}
