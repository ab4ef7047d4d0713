package io.alauda.dra.health;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the NVML health monitor runs.
 *
 * @param reachabilityInterval how often every GPU is asked whether it still answers
 * @param waitTimeout          the longest single wait for an NVML event; {@link NvmlHealthMonitor#close()} returns
 *                             within about this long, since a native wait cannot be interrupted
 * @param xids                 which XIDs are application errors
 */
public record HealthSettings(Duration reachabilityInterval, Duration waitTimeout, XidPolicy xids) {

    public static final Duration DEFAULT_REACHABILITY_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(1);
    /** How often each GPU is checked for being reachable, e.g. {@code 30s}, {@code 2m}. */
    public static final String REACHABILITY_INTERVAL_ENV = "GPU_REACHABILITY_CHECK_INTERVAL";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    public HealthSettings {
        Objects.requireNonNull(xids, "xids");
        positive("reachabilityInterval", reachabilityInterval);
        positive("waitTimeout", waitTimeout);
        if (waitTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("waitTimeout must fit NVML's unsigned int of milliseconds: " + waitTimeout);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero() || value.toMillis() == 0) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, not " + value);
        }
    }

    public static HealthSettings defaults() {
        return new HealthSettings(DEFAULT_REACHABILITY_INTERVAL, DEFAULT_WAIT_TIMEOUT, XidPolicy.upstream());
    }

    /**
     * The settings from the plugin's environment: {@code ADDITIONAL_XIDS_TO_IGNORE} (upstream's) and
     * {@code GPU_REACHABILITY_CHECK_INTERVAL} (ours); unset means the defaults.
     *
     * @throws IllegalArgumentException naming the variable, the bad value and the expected form
     */
    public static HealthSettings fromEnvironment(Map<String, String> env) {
        XidPolicy xids = XidPolicy.withAdditional(env.get(XidPolicy.ADDITIONAL_XIDS_ENV));
        String interval = env.get(REACHABILITY_INTERVAL_ENV);
        Duration reachability = interval == null || interval.isBlank() ? DEFAULT_REACHABILITY_INTERVAL : interval(interval.trim());
        return new HealthSettings(reachability, DEFAULT_WAIT_TIMEOUT, xids);
    }

    private static Duration interval(String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(REACHABILITY_INTERVAL_ENV + " is '" + value
                    + "'; write a whole number with a unit (ms, s, m or h), e.g. 30s");
        }
        long amount = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(REACHABILITY_INTERVAL_ENV + " is '" + value
                    + "'; check at most once a second, e.g. 30s");
        }
        return duration;
    }
}
