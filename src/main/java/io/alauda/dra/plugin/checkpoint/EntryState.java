package io.alauda.dra.plugin.checkpoint;

import java.util.Arrays;
import java.util.Optional;

/** How far preparing a claim got. The JSON names are part of the checkpoint format. */
public enum EntryState {
    /** Prepare began and may have left partial work (e.g. a written CDI spec) to roll back. */
    PREPARE_STARTED("PrepareStarted"),
    /** Prepare finished; its devices are what kubelet was given, and a repeated prepare returns them unchanged. */
    PREPARE_COMPLETED("PrepareCompleted");

    private final String jsonName;

    EntryState(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    static Optional<EntryState> fromJson(String name) {
        return Arrays.stream(values()).filter(s -> s.jsonName.equals(name)).findFirst();
    }
}
