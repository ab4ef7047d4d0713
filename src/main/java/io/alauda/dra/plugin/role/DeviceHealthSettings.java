package io.alauda.dra.plugin.role;

import io.alauda.dra.health.HealthMonitor;
import io.alauda.dra.plugin.grpc.DeviceHealthStream;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Whether the kubelet plugin watches device health (upstream's NVMLDeviceHealthCheck gate) and with what.
 *
 * @param monitors  started when the plugin starts, closed when it stops; none is fine (tests and callers then write
 *                  on {@link KubeletPlugin#healthBoard()} themselves)
 * @param heartbeat how often the kubelet health stream repeats the complete list though nothing changed
 */
public record DeviceHealthSettings(boolean enabled, List<HealthMonitor> monitors, Duration heartbeat) {

    /** No board, no monitors, no health stream, no taints: the plugin as it was before device health. */
    public static final DeviceHealthSettings OFF = new DeviceHealthSettings(false, List.of(), DeviceHealthStream.DEFAULT_HEARTBEAT);

    public DeviceHealthSettings {
        monitors = List.copyOf(monitors);
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (!enabled && !monitors.isEmpty()) {
            throw new IllegalArgumentException("health monitors were given but device health is off");
        }
    }

    public static DeviceHealthSettings on(List<HealthMonitor> monitors) {
        return new DeviceHealthSettings(true, monitors, DeviceHealthStream.DEFAULT_HEARTBEAT);
    }

    public DeviceHealthSettings withHeartbeat(Duration value) {
        return new DeviceHealthSettings(enabled, monitors, value);
    }
}
