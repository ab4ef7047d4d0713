package io.alauda.dra.api.v1alpha1;

import java.util.List;

/**
 * What could not be read from a spec: the values {@link TolerantSpecDeserializer} dropped (an unknown field, an
 * unknown enum value, a number out of range, a value of the wrong JSON type), each naming the field and the fix. The
 * operator refuses a spec that has any, as it refuses one that fails its own checks.
 */
public final class SpecReadProblems {

    private SpecReadProblems() {
    }

    /** The problems found when this spec was read; empty for a spec read cleanly or built in code. */
    public static List<String> of(NvidiaDraDriverSpec spec) {
        return spec instanceof UnreadableSpec unreadable ? unreadable.readProblems() : List.of();
    }
}
