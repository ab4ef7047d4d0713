package io.alauda.dra.plugin.role;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceType;
import io.alauda.dra.health.DeviceHealth;
import io.alauda.dra.health.DeviceHealthListener;
import io.alauda.dra.health.HealthProblem;
import io.alauda.dra.health.HealthSnapshot;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Turns the board's snapshots into what people see: a Node event when a device turns unhealthy and when it recovers,
 * the transition counter and the unhealthy-device gauge. Events are API calls, so they are made on a thread of this
 * reporter, never under the board's lock; snapshots are handled in the order they came.
 */
final class DeviceHealthReporter implements DeviceHealthListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeviceHealthReporter.class);

    private final List<AllocatableDevice> devices;
    private final PluginTelemetry telemetry;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "device-health-reporter");
        thread.setDaemon(true);
        return thread;
    });
    /** Only touched on the worker thread. */
    private HealthSnapshot previous = HealthSnapshot.ALL_HEALTHY;

    DeviceHealthReporter(List<AllocatableDevice> devices, PluginTelemetry telemetry) {
        this.devices = List.copyOf(devices);
        this.telemetry = telemetry;
    }

    @Override
    public void healthChanged(HealthSnapshot snapshot) {
        try {
            worker.execute(() -> report(snapshot));
        } catch (RejectedExecutionException e) {
            LOG.debug("device health change after the reporter stopped; not reported");
        }
    }

    void report(HealthSnapshot snapshot) {
        Set<String> uuids = new TreeSet<>(previous.byUuid().keySet());
        uuids.addAll(snapshot.byUuid().keySet());
        for (String uuid : uuids) {
            boolean was = previous.healthy(uuid);
            boolean now = snapshot.healthy(uuid);
            if (was && !now) {
                telemetry.deviceUnhealthy(uuid, publishedAs(uuid), snapshot.problems(uuid));
            } else if (!was && now) {
                telemetry.deviceRecovered(uuid, publishedAs(uuid));
            }
        }
        telemetry.unhealthyDevices(unhealthyByKey(snapshot));
        previous = snapshot;
    }

    /** The published devices a problem of this UUID stands against: the device itself, or a GPU's MIG devices. */
    List<String> publishedAs(String uuid) {
        return devices.stream()
                .filter(d -> d.type() == DeviceType.MIG ? d.mig().uuid().equals(uuid) || d.gpu().uuid().equals(uuid)
                        : d.gpu().uuid().equals(uuid))
                .map(AllocatableDevice::name).sorted().toList();
    }

    static Map<String, Integer> unhealthyByKey(HealthSnapshot snapshot) {
        Map<String, Integer> counts = new TreeMap<>();
        for (DeviceHealth device : snapshot.byUuid().values()) {
            device.problems().stream().filter(p -> p.effect().unhealthy()).map(HealthProblem::key).distinct()
                    .forEach(key -> counts.merge(key, 1, Integer::sum));
        }
        return counts;
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(2, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
