package io.alauda.dra.health;

import java.util.List;

/**
 * The standing problems of one device, addressed by its NVML UUID ({@code GPU-...} or {@code MIG-...}).
 * No problems means healthy.
 */
public record DeviceHealth(String uuid, List<HealthProblem> problems) {

    public DeviceHealth {
        problems = List.copyOf(problems);
    }

    /** Healthy unless a problem with a scheduling effect stands. */
    public boolean healthy() {
        return problems.stream().noneMatch(p -> p.effect().unhealthy());
    }
}
