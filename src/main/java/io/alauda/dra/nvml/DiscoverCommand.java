package io.alauda.dra.nvml;

import io.alauda.dra.device.NodeInventory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code discover}: prints what this node would publish, then exits. Runs without Quarkus, from the image
 * ({@code java -jar ... discover}) or from a bare classpath of our classes and JNA:
 * {@code java -cp target/classes:jna-5.8.0.jar io.alauda.dra.nvml.DiscoverCommand --help}.
 *
 * <p>Exit code 0 on success, 2 on any error (bad flag, no NVML, NVML failure); errors are one message naming the
 * problem and the fix, with the stack trace only under {@code --debug}.
 */
public final class DiscoverCommand {

    public static final int OK = 0;
    public static final int FAILED = 2;

    static final String USAGE = """
            Usage: discover [flags]

            Prints the GPUs and MIG devices this node would publish to Kubernetes through DRA.

            Flags:
              --driver-root DIR   where the NVIDIA driver is installed; libnvidia-ml.so.1 is searched in its lib64,
                                  usr/lib64, usr/lib/<arch>-linux-gnu, lib/<arch>-linux-gnu, usr/lib and lib
                                  (default: $NVIDIA_DRIVER_ROOT, else /)
              --sysfs DIR         sysfs root for PCIe root and NUMA node (default: /sys)
              --output FORMAT     table (default) or json: the discovered facts
              --slice             print the devices as a ResourceSlice spec.devices list (JSON) instead
              --record FILE       also write every raw NVML and sysfs answer to FILE, to replay elsewhere
              --replay FILE       answer from a recording instead of the real NVML (no GPU needed); uses the
                                  recording's sysfs answers unless --sysfs is given
              --debug             print stack traces with errors
              --help              this text
            """;

    private DiscoverCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, driverRoot -> JnaNvml.load(NvmlLibraryLocator.locate(driverRoot)), out, err);
    }

    /** @param loader opens NVML under a driver root; tests pass a fake one */
    static int run(String[] args, Map<String, String> env, Function<Path, Nvml> loader, PrintStream out, PrintStream err) {
        DiscoverOptions options;
        try {
            options = DiscoverOptions.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("discover: " + e.getMessage());
            return FAILED;
        }
        if (options.help()) {
            out.print(USAGE);
            return OK;
        }
        try {
            NodeInventory inventory = discover(options, loader, err);
            output(options).write(inventory, out);
            out.flush();
            return OK;
        } catch (DiscoveryException | NvmlException e) {
            return fail(err, e.getMessage(), e, options);
        } catch (RuntimeException e) {
            return fail(err, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (options.debug() ? "" : " (run with --debug for the stack trace)"), e, options);
        }
    }

    private static int fail(PrintStream err, String message, Throwable e, DiscoverOptions options) {
        err.println("discover: " + message);
        if (options.debug()) {
            e.printStackTrace(err);
        }
        return FAILED;
    }

    private static NodeInventory discover(DiscoverOptions options, Function<Path, Nvml> loader, PrintStream err) {
        NvmlRecording replay = options.replayFile() == null ? null : NvmlRecording.read(options.replayFile());
        Nvml nvml;
        SysfsSource sysfs;
        if (replay != null) {
            nvml = new RecordedNvml(replay);
            sysfs = options.sysfsExplicit() ? new LiveSysfs(options.sysfsRoot()) : new RecordedSysfs(replay);
        } else {
            nvml = loader.apply(options.driverRoot());
            sysfs = new LiveSysfs(options.sysfsRoot());
        }
        if (options.recordFile() == null) {
            return new NvmlDiscovery(nvml, new PciTopology(sysfs), w -> err.println("warning: " + w)).discover();
        }
        NvmlRecording recording = NvmlRecording.empty();
        recording.about().put("driverRoot", options.driverRoot().toAbsolutePath().normalize().toString());
        if (nvml instanceof JnaNvml jna) {
            recording.about().put("library", jna.libraryPath().toString());
        }
        recording.about().put("sysfsRoot", options.sysfsRoot().toAbsolutePath().normalize().toString());
        NodeInventory inventory = null;
        RuntimeException failure = null;
        try {
            inventory = new NvmlDiscovery(new RecordingNvml(nvml, recording), new PciTopology(new RecordingSysfs(sysfs, recording)),
                    w -> err.println("warning: " + w)).discover();
        } catch (RuntimeException e) {
            failure = e;
        }
        // Written even when discovery failed: the answers that led to the failure are the ones worth looking at.
        try {
            recording.write(options.recordFile());
            err.println("recorded NVML answers to " + options.recordFile());
        } catch (IOException e) {
            String problem = "could not write the recording to " + options.recordFile() + ": " + e.getMessage();
            if (failure == null) {
                throw new DiscoveryException(problem, e);
            }
            err.println("discover: " + problem);
        }
        if (failure != null) {
            throw failure;
        }
        return inventory;
    }

    /** Picks the printer for the flags; a {@code --cdi} printer taking the inventory and driver root belongs here. */
    static InventoryOutput output(DiscoverOptions options) {
        if (options.slice()) {
            return new SliceDevicesOutput();
        }
        return options.output() == DiscoverOptions.Output.JSON ? new InventoryJsonOutput() : new TableOutput();
    }
}
