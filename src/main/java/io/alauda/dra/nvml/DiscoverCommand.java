package io.alauda.dra.nvml;

import java.io.PrintStream;

/** Placeholder: prints the node's devices. Replaced by the discovery work. */
public final class DiscoverCommand {

    private DiscoverCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        err.println("discover is not implemented yet");
        return 1;
    }
}
