package io.alauda.dra.plugin.sharing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pinned-memory limits as upstream hands them to {@code nvidia-cuda-mps-control}: whole MiB written {@code <n>M}, the
 * default for every device of the daemon, then per-device entries on top, keyed by the device's UUID or its index
 * in the daemon's sorted UUID list.
 */
public final class MpsLimits {

    private static final long MIB = 1024L * 1024L;

    private MpsLimits() {
    }

    /** {@code 1073741824} → {@code 1024M}; the caller has refused limits below 1 MiB. */
    public static String megabytes(long bytes) {
        return (bytes / MIB) + "M";
    }

    /**
     * @param sortedUuids        the daemon's devices
     * @param defaultLimitBytes  for every device, or null
     * @param perDeviceBytes     device index or UUID to a limit
     * @return device UUID to limit
     * @throws IllegalArgumentException with upstream's words ("invalid device: ...") naming the bad key
     */
    public static Map<String, String> normalize(List<String> sortedUuids, Long defaultLimitBytes,
                                                Map<String, Long> perDeviceBytes) {
        Map<String, String> limits = new TreeMap<>();
        if (defaultLimitBytes != null) {
            sortedUuids.forEach(uuid -> limits.put(uuid, megabytes(defaultLimitBytes)));
        }
        for (Map.Entry<String, Long> entry : new TreeMap<>(perDeviceBytes).entrySet()) {
            limits.put(deviceFor(sortedUuids, entry.getKey()), megabytes(entry.getValue()));
        }
        return limits;
    }

    private static String deviceFor(List<String> sortedUuids, String key) {
        if (sortedUuids.contains(key)) {
            return key;
        }
        int index;
        try {
            index = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid device: unable to parse key as an integer: " + key);
        }
        if (index < 0 || index >= sortedUuids.size()) {
            throw new IllegalArgumentException("invalid device: invalid device index: " + index);
        }
        return sortedUuids.get(index);
    }
}
