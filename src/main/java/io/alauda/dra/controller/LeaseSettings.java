package io.alauda.dra.controller;

import java.time.Duration;

/**
 * Leader election through a coordination.k8s.io Lease. The durations are client-go's defaults (15 s lease, 10 s
 * renew deadline, 2 s retry): a new leader takes over within about 15 s of the old one vanishing.
 */
public record LeaseSettings(String namespace, String name, String identity, Duration leaseDuration, Duration renewDeadline,
                            Duration retryPeriod) {

    public static final String LEASE_NAME = "nvidia-dra-driver-controller";

    public static LeaseSettings defaults(String namespace, String identity) {
        return new LeaseSettings(namespace, LEASE_NAME, identity, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
}
