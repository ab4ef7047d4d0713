package io.alauda.dra.nvml;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The discover command's flags. Flags with a value accept {@code --flag value} and {@code --flag=value}.
 *
 * @param sysfsExplicit whether {@code --sysfs} was given; with {@code --replay} the recording's sysfs answers are
 *                      used unless it was
 */
public record DiscoverOptions(
        Path driverRoot,
        Path sysfsRoot,
        boolean sysfsExplicit,
        Output output,
        boolean slice,
        Path recordFile,
        Path replayFile,
        boolean help,
        boolean debug) {

    public enum Output {
        TABLE, JSON
    }

    public static final String DRIVER_ROOT_ENV = "NVIDIA_DRIVER_ROOT";

    private static final Map<String, String> VALUE_EXAMPLES = Map.of(
            "--driver-root", "/run/nvidia/driver",
            "--sysfs", "/host/sys",
            "--output", "json",
            "-o", "json",
            "--record", "node.json",
            "--replay", "node.json");
    private static final Set<String> VALUE_FLAGS = VALUE_EXAMPLES.keySet();

    /** Thrown for a flag that is unknown, lacks its value or has a bad one; the message names the flag and the fix. */
    public static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    public static DiscoverOptions parse(String[] args, Map<String, String> env) {
        String envRoot = env.get(DRIVER_ROOT_ENV);
        Path driverRoot = Path.of(envRoot == null || envRoot.isBlank() ? "/" : envRoot);
        Path sysfsRoot = Path.of("/sys");
        boolean sysfsExplicit = false;
        Output output = Output.TABLE;
        boolean slice = false;
        Path record = null;
        Path replay = null;
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
                case "--driver-root" -> driverRoot = Path.of(value);
                case "--sysfs" -> {
                    sysfsRoot = Path.of(value);
                    sysfsExplicit = true;
                }
                case "--output", "-o" -> output = switch (value) {
                    case "table" -> Output.TABLE;
                    case "json" -> Output.JSON;
                    default -> throw new UsageException("--output must be 'table' or 'json', not '" + value + "'");
                };
                case "--record" -> record = Path.of(value);
                case "--replay" -> replay = Path.of(value);
                default -> throw new UsageException("unknown argument '" + arg + "'; run 'discover --help' for the flags");
            }
        }
        if (record != null && replay != null) {
            throw new UsageException("--record and --replay cannot be combined: --record captures the real NVML, --replay"
                    + " reads a capture instead of it");
        }
        return new DiscoverOptions(driverRoot, sysfsRoot, sysfsExplicit, output, slice, record, replay, help, debug);
    }
}
