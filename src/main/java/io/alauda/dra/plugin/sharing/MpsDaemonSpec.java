package io.alauda.dra.plugin.sharing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One MPS control daemon to run.
 *
 * @param id                     {@link MpsDaemonIds#of}; names the Deployment and the directories
 * @param deviceUuids            GPU or MIG UUIDs it serves ({@code CUDA_VISIBLE_DEVICES}), sorted
 * @param activeThreadPercentage {@code set_default_active_thread_percentage}, or null
 * @param pinnedMemoryLimits     device UUID to {@code set_default_device_pinned_mem_limit} value such as {@code 1024M}
 * @param multiUser              start the daemon with {@code -M}
 * @param dirs                   its host directories
 */
public record MpsDaemonSpec(String id, List<String> deviceUuids, Integer activeThreadPercentage,
                            Map<String, String> pinnedMemoryLimits, boolean multiUser, MpsDirectories.Paths dirs) {

    public MpsDaemonSpec {
        Objects.requireNonNull(id, "id");
        deviceUuids = List.copyOf(deviceUuids);
        pinnedMemoryLimits = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(pinnedMemoryLimits));
        Objects.requireNonNull(dirs, "dirs");
    }
}
