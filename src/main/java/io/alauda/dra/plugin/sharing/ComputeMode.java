package io.alauda.dra.plugin.sharing;

import java.util.Arrays;
import java.util.Optional;

/** A GPU's compute mode, by the names nvidia-smi prints ({@code --query-gpu=compute_mode}) and takes ({@code -c}). */
public enum ComputeMode {
    DEFAULT("Default", "DEFAULT"),
    EXCLUSIVE_PROCESS("Exclusive_Process", "EXCLUSIVE_PROCESS"),
    PROHIBITED("Prohibited", "PROHIBITED");

    private final String printed;
    private final String argument;

    ComputeMode(String printed, String argument) {
        this.printed = printed;
        this.argument = argument;
    }

    /** As nvidia-smi prints it, and as the checkpoint records it. */
    public String printed() {
        return printed;
    }

    /** As {@code nvidia-smi -c} takes it. */
    public String argument() {
        return argument;
    }

    public static Optional<ComputeMode> parse(String text) {
        String t = text == null ? "" : text.trim();
        return Arrays.stream(values()).filter(m -> m.printed.equalsIgnoreCase(t) || m.argument.equalsIgnoreCase(t))
                .findFirst();
    }
}
