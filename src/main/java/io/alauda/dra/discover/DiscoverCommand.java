package io.alauda.dra.discover;

import io.alauda.dra.cdi.CdiHookLocator;
import io.alauda.dra.cdi.DriverFileDiscovery;
import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.cdi.UnixDeviceNodeSource;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.nvml.DiscoveryException;
import io.alauda.dra.health.HealthSettings;
import io.alauda.dra.health.XidPolicy;
import io.alauda.dra.nvml.JnaNvml;
import io.alauda.dra.nvml.JnaNvmlEvents;
import io.alauda.dra.nvml.LiveSysfs;
import io.alauda.dra.nvml.Nvml;
import io.alauda.dra.nvml.NvmlDiscovery;
import io.alauda.dra.nvml.NvmlEvents;
import io.alauda.dra.nvml.NvmlException;
import io.alauda.dra.nvml.NvmlLibraryLocator;
import io.alauda.dra.nvml.PciTopology;
import io.alauda.dra.nvml.SysfsSource;
import io.alauda.dra.nvml.replay.NvmlRecorder;
import io.alauda.dra.nvml.replay.NvmlReplay;
import io.alauda.dra.nvml.replay.Recording;
import io.alauda.dra.nvml.replay.SysfsRecorder;
import io.alauda.dra.nvml.replay.SysfsReplay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code discover}: prints what this node would publish, then exits. Runs without Quarkus, from the image
 * ({@code java -jar ... discover}) or from a bare classpath of our classes, JNA and Jackson (docs/discover.md):
 * {@code java -cp 'target/classes:lib/*' io.alauda.dra.discover.DiscoverCommand --help}.
 *
 * <p>Exit code 0 on success, 1 when {@code --check-paths} finds host paths of the CDI spec missing, 2 on any error
 * (bad flag, no NVML, NVML failure, no CDI spec possible), 3 and 4 from {@code --watch-health} (see
 * {@link HealthWatch}); errors are one message naming the problem and the fix,
 * with the stack trace only under {@code --debug}.
 */
public final class DiscoverCommand {

    public static final int OK = 0;
    public static final int PATHS_MISSING = 1;
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
              --cdi               print the CDI spec the kubelet plugin would write for one claim holding every
                                  device of the node instead, from the driver files under --driver-root (claim UID
                                  00000000-0000-0000-0000-000000000000 stands in for the real one)
              --host-driver-root DIR
                                  with --cdi: the driver root as the host sees it, for the spec's host paths
                                  (default: --driver-root)
              --cdi-hook-path PATH
                                  with --cdi: host path of nvidia-cdi-hook, to add its hooks (default: no hooks,
                                  or with --plugin-dir the kubelet plugin's choice)
              --plugin-dir DIR    with --cdi: choose nvidia-cdi-hook as the kubelet plugin does with the default
                                  install: --cdi-hook-path, else the node's own under the driver root, else the
                                  image's copy (--image-cdi-hook) copied into DIR; the choice goes to standard error
              --image-cdi-hook PATH
                                  with --plugin-dir: the copy the image ships (default: /usr/bin/nvidia-cdi-hook)
              --check-paths       with --cdi: then check that every host path in the spec exists; the missing
                                  ones are listed on standard error and the exit code is 1
              --record FILE       also write every raw NVML and sysfs answer to FILE, to replay elsewhere
              --replay FILE       answer from a recording instead of the real NVML (no GPU needed); uses the
                                  recording's sysfs answers unless --sysfs is given
              --watch-health SECONDS
                                  run the kubelet plugin's NVML health monitor for SECONDS instead, printing per
                                  GPU the supported and registered event types, every event and every
                                  reachability check, then each device's problems (docs/health.md); exit code 3
                                  when a device ended unhealthy, 4 when a GPU could not be watched. Honours
                                  $ADDITIONAL_XIDS_TO_IGNORE
              --health-check-interval SECONDS
                                  with --watch-health: check every GPU is reachable this often (default: 5)
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

    /** @param env the environment to take defaults from ({@code NVIDIA_DRIVER_ROOT}) instead of the process's */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, driverRoot -> JnaNvml.load(NvmlLibraryLocator.locate(driverRoot)), out, err);
    }

    /** @param loader opens NVML under a driver root; tests pass a fake one */
    static int run(String[] args, Map<String, String> env, Function<Path, Nvml> loader, PrintStream out, PrintStream err) {
        return run(args, env, loader, DiscoverCommand::driverFiles, out, err);
    }

    /**
     * @param driverFiles finds the driver files for {@code --cdi} from the driver roots; tests answer device nodes
     *                    and {@code /proc} from a temporary directory
     */
    static int run(String[] args, Map<String, String> env, Function<Path, Nvml> loader,
                   Function<DriverRoots, DriverFileDiscovery> driverFiles, PrintStream out, PrintStream err) {
        return run(args, env, loader, driverFiles, DiscoverCommand::events, out, err);
    }

    /** @param events opens NVML's events under a driver root for {@code --watch-health}; tests pass a fake one */
    static int runWatching(String[] args, Map<String, String> env, Function<Path, Nvml> loader, Function<Path, NvmlEvents> events,
                           PrintStream out, PrintStream err) {
        return run(args, env, loader, DiscoverCommand::driverFiles, events, out, err);
    }

    private static int run(String[] args, Map<String, String> env, Function<Path, Nvml> loader,
                           Function<DriverRoots, DriverFileDiscovery> driverFiles, Function<Path, NvmlEvents> events,
                           PrintStream out, PrintStream err) {
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
            if (options.watchHealthSeconds() > 0) {
                return watchHealth(options, env, loader, events, out, err);
            }
            InventoryOutput output = output(options, driverFiles, err);
            NodeInventory inventory = discover(options, loader, err);
            output.write(inventory, out);
            out.flush();
            return OK;
        } catch (CdiSpecOutput.MissingHostPathsException e) {
            out.flush();
            err.println("discover: " + e.getMessage());
            return PATHS_MISSING;
        } catch (DiscoveryException | NvmlException e) {
            return fail(err, e.getMessage(), e, options);
        } catch (RuntimeException e) {
            return fail(err, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (options.debug() ? "" : " (run with --debug for the stack trace)"), e, options);
        }
    }

    private static int watchHealth(DiscoverOptions options, Map<String, String> env, Function<Path, Nvml> loader,
                                   Function<Path, NvmlEvents> events, PrintStream out, PrintStream err) {
        XidPolicy xids;
        try {
            xids = XidPolicy.withAdditional(env.get(XidPolicy.ADDITIONAL_XIDS_ENV));
        } catch (IllegalArgumentException e) {
            err.println("discover: " + e.getMessage());
            return FAILED;
        }
        HealthSettings settings = new HealthSettings(Duration.ofSeconds(options.healthCheckSeconds()),
                HealthSettings.DEFAULT_WAIT_TIMEOUT, xids);
        NodeInventory inventory = discover(options, loader, err);
        int exit = HealthWatch.run(inventory, events.apply(options.driverRoot()), settings,
                Duration.ofSeconds(options.watchHealthSeconds()), out);
        out.flush();
        return exit;
    }

    private static NvmlEvents events(Path driverRoot) {
        return JnaNvmlEvents.load(NvmlLibraryLocator.locate(driverRoot));
    }

    private static int fail(PrintStream err, String message, Throwable e, DiscoverOptions options) {
        err.println("discover: " + message);
        if (options.debug()) {
            e.printStackTrace(err);
        }
        return FAILED;
    }

    private static NodeInventory discover(DiscoverOptions options, Function<Path, Nvml> loader, PrintStream err) {
        Recording replay = options.replayFile() == null ? null : Recording.read(options.replayFile());
        Nvml nvml;
        SysfsSource sysfs;
        if (replay != null) {
            nvml = new NvmlReplay(replay);
            sysfs = options.sysfsExplicit() ? new LiveSysfs(options.sysfsRoot()) : new SysfsReplay(replay);
        } else {
            nvml = loader.apply(options.driverRoot());
            sysfs = new LiveSysfs(options.sysfsRoot());
        }
        if (options.recordFile() == null) {
            return new NvmlDiscovery(nvml, new PciTopology(sysfs), w -> err.println("warning: " + w)).discover();
        }
        Recording recording = Recording.empty();
        recording.about().put("driverRoot", options.driverRoot().toAbsolutePath().normalize().toString());
        if (nvml instanceof JnaNvml jna) {
            recording.about().put("library", jna.libraryPath().toString());
        }
        recording.about().put("sysfsRoot", options.sysfsRoot().toAbsolutePath().normalize().toString());
        NodeInventory inventory = null;
        RuntimeException failure = null;
        try {
            inventory = new NvmlDiscovery(new NvmlRecorder(nvml, recording), new PciTopology(new SysfsRecorder(sysfs, recording)),
                    w -> err.println("warning: " + w)).discover();
        } catch (RuntimeException e) {
            failure = e;
        }
        // Written even when discovery failed: the answers that led to the failure are the ones worth looking at.
        try {
            recording.write(options.recordFile());
            err.println("recorded NVML answers to " + options.recordFile());
        } catch (IOException e) {
            // The writer's message names the file.
            String problem = "could not write the recording: " + e.getMessage();
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

    /** Picks the printer for the flags. */
    static InventoryOutput output(DiscoverOptions options, Function<DriverRoots, DriverFileDiscovery> driverFiles,
                                  PrintStream err) {
        if (options.cdi()) {
            DriverRoots roots = DriverRoots.forDriverRoot(options.absoluteDriverRoot(), options.absoluteHostDriverRoot());
            return new CdiSpecOutput(driverFiles.apply(roots), hookPath(options, roots, err), options.checkPaths(), err);
        }
        if (options.slice()) {
            return new SliceDevicesOutput();
        }
        return options.output() == DiscoverOptions.Output.JSON ? new InventoryJsonOutput() : new TableOutput();
    }

    /** The hook the spec names: the given one, or with {@code --plugin-dir} the one the kubelet plugin would choose. */
    private static String hookPath(DiscoverOptions options, DriverRoots roots, PrintStream err) {
        if (options.pluginDir() == null) {
            return options.cdiHookPath();
        }
        Path imageHook = options.imageCdiHook() == null ? CdiHookLocator.IMAGE_HOOK : options.imageCdiHook();
        CdiHookLocator.Choice choice;
        try {
            choice = CdiHookLocator.choose(options.cdiHookPath(), roots, imageHook, options.pluginDir());
        } catch (IOException e) {
            throw new DiscoveryException("cannot copy " + imageHook + " into " + options.pluginDir() + " (--plugin-dir): "
                    + e.getMessage(), e);
        }
        err.println(choice.warning().orElseGet(() -> "nvidia-cdi-hook: " + choice.hostPath().orElseThrow() + " ("
                + choice.source() + ")"));
        return choice.hostPath().orElse(null);
    }

    /** What the kubelet plugin uses: device nodes from the kernel, {@code /proc} of this process. */
    private static DriverFileDiscovery driverFiles(DriverRoots roots) {
        return new DriverFileDiscovery(roots, new UnixDeviceNodeSource());
    }
}
