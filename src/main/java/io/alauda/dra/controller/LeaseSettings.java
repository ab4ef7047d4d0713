package io.alauda.dra.controller;

import java.time.Duration;

/**
 * Leader election through a coordination.k8s.io Lease. ControllerConfig's defaults are client-go's (15 s lease,
 * 10 s renew deadline, 2 s retry): a new leader takes over within about 15 s of the old one vanishing, at once when
 * the old one shuts down cleanly and releases the Lease.
 */
public record LeaseSettings(String namespace, String name, String identity, Duration leaseDuration, Duration renewDeadline,
                            Duration retryPeriod) {

    /**
     * Kept from before the workloads were renamed to nvidia-dra-driver-gpu-*: with leader election on (replicas > 1),
     * old-named and new controller replicas that overlap during an upgrade compete for this one Lease, so only one
     * of them leads.
     */
    public static final String LEASE_NAME = io.alauda.dra.operator.resources.Names.CONTROLLER_LEASE;
}
