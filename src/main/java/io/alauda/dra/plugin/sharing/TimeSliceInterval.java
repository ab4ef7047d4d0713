package io.alauda.dra.plugin.sharing;

import java.util.Arrays;
import java.util.Optional;

/** Upstream's time-slice intervals and the levels {@code nvidia-smi compute-policy --set-timeslice} takes for them. */
public enum TimeSliceInterval {
    DEFAULT("Default", 0),
    SHORT("Short", 1),
    MEDIUM("Medium", 2),
    LONG("Long", 3);

    private final String apiName;
    private final int level;

    TimeSliceInterval(String apiName, int level) {
        this.apiName = apiName;
        this.level = level;
    }

    public String apiName() {
        return apiName;
    }

    public int level() {
        return level;
    }

    public static Optional<TimeSliceInterval> byApiName(String name) {
        return Arrays.stream(values()).filter(i -> i.apiName.equals(name)).findFirst();
    }

    public static Optional<TimeSliceInterval> byLevel(int level) {
        return Arrays.stream(values()).filter(i -> i.level == level).findFirst();
    }
}
