package io.alauda.dra.discover;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The discover command's flags. Flags with a value accept {@code --flag value} and {@code --flag=value}.
 *
 * @param sysfsExplicit  whether {@code --sysfs} was given; with {@code --replay} the recording's sysfs answers are
 *                       used unless it was
 * @param outputExplicit whether {@code --output} was given, so that it can be refused next to {@code --cdi}
 * @param hostDriverRoot {@code --host-driver-root}; null means the same as the driver root
 * @param cdiHookPath    {@code --cdi-hook-path}; null means a spec without hooks, unless {@code pluginDir} is set
 * @param pluginDir      {@code --plugin-dir}: choose the hook as the kubelet plugin does, copying the image's into
 *                       this folder where the node has none; null means no choosing
 * @param imageCdiHook   {@code --image-cdi-hook}: the copy the image ships, for that choice
 * @param watchHealthSeconds  {@code --watch-health}: run the NVML health monitor this long instead of printing the
 *                            inventory; 0 means no watching
 * @param healthCheckSeconds  {@code --health-check-interval}: the reachability check's interval while watching
 */
public record DiscoverOptions(
        Path driverRoot,
        Path sysfsRoot,
        boolean sysfsExplicit,
        Output output,
        boolean outputExplicit,
        boolean slice,
        boolean cdi,
        boolean checkPaths,
        Path hostDriverRoot,
        String cdiHookPath,
        Path pluginDir,
        Path imageCdiHook,
        Path recordFile,
        Path replayFile,
        int watchHealthSeconds,
        int healthCheckSeconds,
        boolean help,
        boolean debug) {

    public enum Output {
        TABLE, JSON
    }

    public static final String DRIVER_ROOT_ENV = "NVIDIA_DRIVER_ROOT";
    /** Checks every 5 s while watching, so that a 30 s run shows several. */
    public static final int DEFAULT_HEALTH_CHECK_SECONDS = 5;
    private static final int MAX_SECONDS = 86_400;

    private static final Map<String, String> VALUE_EXAMPLES = Map.ofEntries(
            Map.entry("--watch-health", "30"),
            Map.entry("--health-check-interval", "5"),
            Map.entry("--driver-root", "/run/nvidia/driver"),
            Map.entry("--sysfs", "/host/sys"),
            Map.entry("--output", "json"),
            Map.entry("-o", "json"),
            Map.entry("--record", "node.json"),
            Map.entry("--replay", "node.json"),
            Map.entry("--host-driver-root", "/run/nvidia/driver"),
            Map.entry("--cdi-hook-path", "/usr/bin/nvidia-cdi-hook"),
            Map.entry("--plugin-dir", "/var/lib/kubelet/plugins/gpu.nvidia.com"),
            Map.entry("--image-cdi-hook", "/usr/bin/nvidia-cdi-hook"));
    private static final Set<String> VALUE_FLAGS = VALUE_EXAMPLES.keySet();

    /** Thrown for a flag that is unknown, lacks its value or has a bad one; the message names the flag and the fix. */
    public static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    /** The driver root as this process sees it, absolute. */
    public Path absoluteDriverRoot() {
        return driverRoot.toAbsolutePath().normalize();
    }

    /** The driver root as the host sees it: {@code --host-driver-root}, else the driver root. */
    public Path absoluteHostDriverRoot() {
        return hostDriverRoot == null ? absoluteDriverRoot() : hostDriverRoot.toAbsolutePath().normalize();
    }

    public static DiscoverOptions parse(String[] args, Map<String, String> env) {
        String envRoot = env.get(DRIVER_ROOT_ENV);
        Path driverRoot = Path.of(envRoot == null || envRoot.isBlank() ? "/" : envRoot);
        Path sysfsRoot = Path.of("/sys");
        boolean sysfsExplicit = false;
        Output output = Output.TABLE;
        boolean outputExplicit = false;
        boolean slice = false;
        boolean cdi = false;
        boolean checkPaths = false;
        Path hostDriverRoot = null;
        String cdiHookPath = null;
        Path pluginDir = null;
        Path imageCdiHook = null;
        Path record = null;
        Path replay = null;
        int watchHealth = 0;
        Integer healthCheck = null;
        boolean help = false;
        boolean debug = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (VALUE_FLAGS.contains(flag)) {
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new UsageException(flag + " needs a value, e.g. " + flag + " " + VALUE_EXAMPLES.get(flag));
                    }
                    value = args[++i];
                }
                if (value.isBlank()) {
                    throw new UsageException(flag + " needs a value, e.g. " + flag + " " + VALUE_EXAMPLES.get(flag));
                }
            } else if (value != null) {
                throw new UsageException(flag + " takes no value; write just " + flag);
            }
            switch (flag) {
                case "--help", "-h" -> help = true;
                case "--debug" -> debug = true;
                case "--slice" -> slice = true;
                case "--cdi" -> cdi = true;
                case "--check-paths" -> checkPaths = true;
                case "--driver-root" -> driverRoot = Path.of(value);
                case "--host-driver-root" -> hostDriverRoot = absolute(flag, value);
                case "--cdi-hook-path" -> cdiHookPath = absolute(flag, value).toString();
                case "--plugin-dir" -> pluginDir = absolute(flag, value);
                case "--image-cdi-hook" -> imageCdiHook = absolute(flag, value);
                case "--sysfs" -> {
                    sysfsRoot = Path.of(value);
                    sysfsExplicit = true;
                }
                case "--output", "-o" -> {
                    output = switch (value) {
                        case "table" -> Output.TABLE;
                        case "json" -> Output.JSON;
                        default -> throw new UsageException("--output must be 'table' or 'json', not '" + value + "'");
                    };
                    outputExplicit = true;
                }
                case "--record" -> record = Path.of(value);
                case "--replay" -> replay = Path.of(value);
                case "--watch-health" -> watchHealth = seconds(flag, value);
                case "--health-check-interval" -> healthCheck = seconds(flag, value);
                default -> throw new UsageException("unknown argument '" + arg + "'; run 'discover --help' for the flags");
            }
        }
        if (record != null && replay != null) {
            throw new UsageException("--record and --replay cannot be combined: --record captures the real NVML, --replay"
                    + " reads a capture instead of it");
        }
        if (cdi && (slice || outputExplicit)) {
            throw new UsageException("--cdi prints the CDI spec and cannot be combined with " + (slice ? "--slice" : "--output")
                    + "; run discover once for each");
        }
        String cdiOnly = checkPaths ? "--check-paths"
                : hostDriverRoot != null ? "--host-driver-root"
                : cdiHookPath != null ? "--cdi-hook-path"
                : pluginDir != null ? "--plugin-dir"
                : imageCdiHook != null ? "--image-cdi-hook"
                : null;
        if (!cdi && cdiOnly != null) {
            throw new UsageException(cdiOnly + " only applies to the CDI spec; add --cdi");
        }
        if (imageCdiHook != null && pluginDir == null) {
            throw new UsageException("--image-cdi-hook is the copy the kubelet plugin would place in its folder; add"
                    + " --plugin-dir /var/lib/kubelet/plugins/gpu.nvidia.com");
        }
        if (healthCheck != null && watchHealth == 0) {
            throw new UsageException("--health-check-interval only applies while watching; add --watch-health 30");
        }
        if (watchHealth > 0) {
            String other = replay != null ? "--replay" : record != null ? "--record" : cdi ? "--cdi" : slice ? "--slice"
                    : outputExplicit ? "--output" : null;
            if (other != null) {
                throw new UsageException("--watch-health watches the real NVML and prints what it sees; it cannot be combined"
                        + " with " + other + "; run discover once for each");
            }
        }
        return new DiscoverOptions(driverRoot, sysfsRoot, sysfsExplicit, output, outputExplicit, slice, cdi, checkPaths,
                hostDriverRoot, cdiHookPath, pluginDir, imageCdiHook, record, replay, watchHealth,
                healthCheck == null ? DEFAULT_HEALTH_CHECK_SECONDS : healthCheck, help, debug);
    }

    private static int seconds(String flag, String value) {
        int seconds;
        try {
            seconds = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new UsageException(flag + " takes a whole number of seconds from 1 to " + MAX_SECONDS + ", not '" + value
                    + "', e.g. " + flag + " " + VALUE_EXAMPLES.get(flag));
        }
        return seconds;
    }

    /** Host paths go into the spec as they are, so a relative one could only be a mistake. */
    private static Path absolute(String flag, String value) {
        Path path = Path.of(value);
        if (!path.isAbsolute()) {
            throw new UsageException(flag + " must be an absolute path, not '" + value + "'");
        }
        return path.normalize();
    }
}
