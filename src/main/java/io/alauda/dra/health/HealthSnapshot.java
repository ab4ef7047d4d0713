package io.alauda.dra.health;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every device with a standing problem at one moment; a device that is not listed is healthy. */
public record HealthSnapshot(Map<String, DeviceHealth> byUuid) {

    public static final HealthSnapshot ALL_HEALTHY = new HealthSnapshot(Map.of());

    public HealthSnapshot {
        byUuid = Map.copyOf(byUuid);
    }

    /** The problems of one device; empty for a healthy one. */
    public List<HealthProblem> problems(String uuid) {
        return Optional.ofNullable(byUuid.get(uuid)).map(DeviceHealth::problems).orElse(List.of());
    }

    public boolean healthy(String uuid) {
        return Optional.ofNullable(byUuid.get(uuid)).map(DeviceHealth::healthy).orElse(true);
    }

    /** Number of devices with a problem that has a scheduling effect. */
    public int unhealthyCount() {
        return (int) byUuid.values().stream().filter(d -> !d.healthy()).count();
    }

    /** Sorted by UUID, for logs and stable output. */
    public Map<String, DeviceHealth> sorted() {
        return new TreeMap<>(byUuid);
    }
}
