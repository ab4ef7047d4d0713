package io.alauda.dra.api.v1alpha1;

import java.util.regex.Pattern;

/**
 * Rules for the host directories of the spec, which become hostPath volumes on every GPU node. The CRD's CEL rules and
 * the operator's own check ({@code SpecValidator}) are built from the same regular expressions here.
 *
 * <p>Principle: a path is written clean (absolute, no {@code //}, {@code .} or {@code ..} segment; a trailing
 * {@code /} is tolerated). No path may lie in a kernel filesystem ({@code /proc}, {@code /sys}, {@code /dev}): they
 * hold no files the driver could install or read there. A directory the plugin writes into (CDI root, kubelet plugins
 * and registration dirs) must not be {@code /} or a top-level directory of the Filesystem Hierarchy Standard
 * ({@link #TOP_LEVEL_DIRS}): mounting it read-write would hand the plugin the whole system directory. The driver root
 * may be {@code /} (a driver installed on the host, upstream's default) but no other top-level directory: it is the
 * root of a tree holding {@code usr/lib} and {@code usr/bin}, and {@code /usr/usr/lib} or {@code /etc/usr/lib} holds
 * no driver.
 */
public final class HostPaths {

    /** Longest path accepted: Linux's PATH_MAX. Also bounds the cost of the CEL rules for the API server. */
    public static final int MAX_LENGTH = 4096;

    /** Top-level directories of the Filesystem Hierarchy Standard (and the usual multilib ones), as a regex alternation. */
    public static final String TOP_LEVEL_DIRS = "bin|boot|dev|etc|home|lib|lib32|lib64|libx32|media|mnt|opt|proc|root|run|sbin|srv|sys|tmp|usr|var";

    /** Kernel filesystems, as a regex alternation; refused with everything below them. */
    public static final String KERNEL_FS = "proc|sys|dev";

    /** Absolute, and no empty, {@code .} or {@code ..} segment (a trailing {@code /} is allowed). */
    public static final String UNCLEAN = "//|(^|/)[.][.]?(/|$)";
    public static final String CLEAN_RULE = "self.startsWith('/') && !self.matches('" + UNCLEAN + "')";
    public static final String CLEAN_MESSAGE = "must be a clean absolute path: starting with /, without '//', '.' or '..' "
            + "segments; write e.g. /run/nvidia/driver";

    public static final String IN_KERNEL_FS = "^/(" + KERNEL_FS + ")(/|$)";
    public static final String NOT_IN_KERNEL_FS_RULE = "!self.matches('" + IN_KERNEL_FS + "')";
    public static final String NOT_IN_KERNEL_FS_MESSAGE = "must not lie under /proc, /sys or /dev (kernel filesystems)";

    /** {@code /} or a top-level directory, with or without a trailing {@code /}. */
    public static final String SYSTEM_DIR = "^/(" + TOP_LEVEL_DIRS + ")?/?$";
    public static final String NOT_SYSTEM_DIR_RULE = "!self.matches('" + SYSTEM_DIR + "')";
    public static final String NOT_SYSTEM_DIR_MESSAGE = "must not be / or a top-level system directory such as /etc, /usr or "
            + "/var: the plugin mounts it read-write on every GPU node; use a directory below one, e.g. /var/run/cdi";

    /** A top-level directory other than {@code /}, with or without a trailing {@code /}. */
    public static final String TOP_LEVEL_DIR = "^/(" + TOP_LEVEL_DIRS + ")/?$";
    public static final String DRIVER_ROOT_RULE = "!self.matches('" + TOP_LEVEL_DIR + "')";
    public static final String DRIVER_ROOT_MESSAGE = "must be / (driver installed on the host) or the directory holding the "
            + "driver's usr/lib and usr/bin, e.g. /run/nvidia/driver; not a top-level system directory such as /etc or /usr";

    private static final Pattern UNCLEAN_PATTERN = Pattern.compile(UNCLEAN);
    private static final Pattern IN_KERNEL_FS_PATTERN = Pattern.compile(IN_KERNEL_FS);
    private static final Pattern SYSTEM_DIR_PATTERN = Pattern.compile(SYSTEM_DIR);
    private static final Pattern TOP_LEVEL_DIR_PATTERN = Pattern.compile(TOP_LEVEL_DIR);

    /** What a host path is for: its rules differ. */
    public enum Use {
        /** The plugin writes into it (CDI specs, sockets, checkpoint). */
        WRITTEN_DIR,
        /** The root of the driver's files. */
        DRIVER_ROOT,
        /** A file read from the host (nvidia-cdi-hook). */
        FILE
    }

    private HostPaths() {
    }

    /**
     * @return why {@code path} is refused for {@code use}, or null when it is fine. The kernel-filesystem and
     *         system-directory checks see the path normalised (no {@code //}, {@code .} segments or trailing
     *         {@code /}), so that a spelling the API server did not see cannot slip past them.
     */
    public static String problem(String path, Use use) {
        if (!path.startsWith("/")) {
            return CLEAN_MESSAGE;
        }
        String refused = normalisedProblem(normalise(path), use);
        if (refused != null) {
            return refused;
        }
        return UNCLEAN_PATTERN.matcher(path).find() ? CLEAN_MESSAGE : null;
    }

    private static String normalisedProblem(String path, Use use) {
        if (IN_KERNEL_FS_PATTERN.matcher(path).find()) {
            return NOT_IN_KERNEL_FS_MESSAGE;
        }
        if (use == Use.WRITTEN_DIR && SYSTEM_DIR_PATTERN.matcher(path).matches()) {
            return NOT_SYSTEM_DIR_MESSAGE;
        }
        if (use == Use.DRIVER_ROOT && TOP_LEVEL_DIR_PATTERN.matcher(path).matches()) {
            return DRIVER_ROOT_MESSAGE;
        }
        return null;
    }

    /** Collapses {@code //}, drops {@code .} segments and a trailing {@code /}; {@code ..} is left to the caller. */
    static String normalise(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                out.append('/').append(segment);
            }
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
