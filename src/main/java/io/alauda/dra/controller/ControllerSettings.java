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
 * @param explain           when a pending claim is explained on the claim, and how often the leader looks
 */
public record ControllerSettings(ResourceApiVersion api, Set<String> deviceClasses, NodeSelection nodeSelection,
                                 boolean sliceFieldSelector, Duration metricsInterval, Duration heartbeat,
                                 Duration cleanupInterval, String identity, LeaseSettings lease, ExplainSettings explain) {

    /**
     * @param after    a claim pending this long is explained (the scheduler allocates a satisfiable claim within seconds)
     * @param interval how often the leader looks for such claims
     * @param recheck  a claim already explained is looked at again no sooner than this (the cluster may have changed)
     * @param perPass  at most this many claims are explained in one look, those not looked at for longest first
     */
    public record ExplainSettings(Duration after, Duration interval, Duration recheck, int perPass) {
        public static final ExplainSettings DEFAULT = new ExplainSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(30), 50);
    }

    public static final Set<String> DEFAULT_DEVICE_CLASSES = Set.of("gpu.nvidia.com", "mig.nvidia.com");

    public ControllerSettings {
        deviceClasses = Set.copyOf(deviceClasses);
    }
}
