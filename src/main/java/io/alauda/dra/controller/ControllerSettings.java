package io.alauda.dra.controller;

import io.alauda.dra.resourceapi.ResourceApiVersion;

import java.time.Duration;
import java.util.Set;

/**
 * Everything the controller runtime needs to know, resolved from configuration (and discovery) before it starts.
 *
 * @param lease             null when leader election is off: this replica then always leads
 * @param metricsInterval   least time between two recomputations of the allocation series
 * @param heartbeat         recompute at least this often, so the last-update timestamp shows the controller alive
 * @param cleanupInterval   how often the leader sweeps all slices for vanished nodes, besides reacting to events
 */
public record ControllerSettings(ResourceApiVersion api, Set<String> deviceClasses, NodeSelection nodeSelection,
                                 boolean sliceFieldSelector, Duration metricsInterval, Duration heartbeat,
                                 Duration cleanupInterval, String identity, LeaseSettings lease) {

    public static final Set<String> DEFAULT_DEVICE_CLASSES = Set.of("gpu.nvidia.com", "mig.nvidia.com");

    public ControllerSettings {
        deviceClasses = Set.copyOf(deviceClasses);
    }
}
