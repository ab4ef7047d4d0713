package io.alauda.dra.plugin.role;

import io.alauda.dra.metrics.BuildInfo;
import io.alauda.dra.metrics.GaugeTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kubelet plugin's metrics. The first six carry the upstream driver's exact names and labels, so dashboards and
 * alerts written for the upstream driver keep working; the {@code nvidia_dra_plugin_*} ones are ours.
 *
 * <p>Micrometer's Prometheus naming appends {@code _total} to counters and {@code _seconds} to timers, so the meter
 * names below leave those suffixes off; PluginMetricsTest scrapes a registry to prove the exported names.
 */
public final class PluginMetrics {

    public static final String DRIVER = "gpu.nvidia.com";
    public static final String PREPARE = "prepare";
    public static final String UNPREPARE = "unprepare";

    static final String REQUESTS = "nvidia_dra_requests";
    static final String REQUEST_DURATION = "nvidia_dra_request_duration";
    static final String REQUESTS_INFLIGHT = "nvidia_dra_requests_inflight";
    static final String PREPARED_DEVICES = "nvidia_dra_prepared_devices";
    static final String PREPARE_ERRORS = "nvidia_dra_node_prepare_errors";
    static final String UNPREPARE_ERRORS = "nvidia_dra_node_unprepare_errors";
    static final String REGISTERED = "nvidia_dra_plugin_registered";
    static final String REGISTRATION_FAILURES = "nvidia_dra_plugin_registration_failures";
    static final String SLICE_PUBLISHES = "nvidia_dra_plugin_slice_publishes";
    static final String SLICE_PUBLISH_FAILURES = "nvidia_dra_plugin_slice_publish_failures";
    static final String CHECKPOINT_RECOVERIES = "nvidia_dra_plugin_checkpoint_recoveries";
    static final String BUILD_INFO = "nvidia_dra_plugin_build_info";
    static final String PREFLIGHT = "nvidia_dra_plugin_preflight";
    static final String UNHEALTHY_DEVICES = "nvidia_dra_unhealthy_devices";
    static final String HEALTH_TRANSITIONS = "nvidia_dra_device_health_transitions";
    static final String TAINTS_DROPPED = "nvidia_dra_plugin_device_taints_dropped";
    public static final String BECAME_UNHEALTHY = "unhealthy";
    public static final String BECAME_HEALTHY = "healthy";

    /** Upstream's buckets: 0.05 s doubled eight times, 0.05 to 12.8 s. */
    static final Duration[] DURATION_BUCKETS = durationBuckets();

    /** Upstream's error types; created at zero so that the first error already shows as an increase. */
    static final Set<String> PREPARE_ERROR_TYPES = Set.of("lock_acquire", "prepare_devices", "publish_resources");
    static final Set<String> UNPREPARE_ERROR_TYPES = Set.of("lock_acquire", "unprepare_devices", "publish_resources");

    private static final Logger LOG = Logger.getLogger(PluginMetrics.class);
    private static final Set<String> OPERATIONS = Set.of(PREPARE, UNPREPARE);

    private final MeterRegistry registry;
    private final String nodeName;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> preparedDevices = new ConcurrentHashMap<>();
    private final AtomicInteger registered = new AtomicInteger();
    private final Map<String, AtomicInteger> preflight = new ConcurrentHashMap<>();
    private final Counter registrationFailures;
    private final Counter slicePublishes;
    private final Counter slicePublishFailures;
    private final AtomicInteger taintsDropped = new AtomicInteger();
    private GaugeTable unhealthyDevices;

    public PluginMetrics(MeterRegistry registry, String nodeName) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.nodeName = nodeName == null ? "" : nodeName;
        for (String operation : OPERATIONS) {
            operations.put(operation, new Operation(operation));
        }
        PREPARE_ERROR_TYPES.forEach(this::prepareErrorCounter);
        UNPREPARE_ERROR_TYPES.forEach(this::unprepareErrorCounter);
        Gauge.builder(REGISTERED, registered, AtomicInteger::get)
                .description("1 while the kubelet has accepted this plugin's registration, else 0.")
                .tags("driver", DRIVER, "node", this.nodeName)
                .register(registry);
        registrationFailures = Counter.builder(REGISTRATION_FAILURES)
                .description("Registrations the kubelet reported as failed.")
                .tag("driver", DRIVER).register(registry);
        slicePublishes = Counter.builder(SLICE_PUBLISHES)
                .description("Attempts to publish this node's ResourceSlices, successful or not.")
                .tag("driver", DRIVER).register(registry);
        slicePublishFailures = Counter.builder(SLICE_PUBLISH_FAILURES)
                .description("Attempts to publish this node's ResourceSlices that failed.")
                .tag("driver", DRIVER).register(registry);
        BuildInfo.register(registry, BUILD_INFO, BuildInfo.version());
    }

    /**
     * A node check's outcome as a state set: one series per check and outcome, 1 for the current one and 0 for the
     * others, so {@code nvidia_dra_plugin_preflight{outcome="Failed"} == 1} finds every node with a failed check.
     */
    public void preflight(String check, String outcome, Collection<String> outcomes) {
        for (String candidate : outcomes) {
            preflight.computeIfAbsent(check + "\0" + candidate, key -> {
                AtomicInteger value = new AtomicInteger();
                Gauge.builder(PREFLIGHT, value, AtomicInteger::get)
                        .description("1 for the current outcome of each node check the kubelet plugin runs at start.")
                        .tags("driver", DRIVER, "node", nodeName, "check", check, "outcome", candidate)
                        .register(registry);
                return value;
            }).set(candidate.equals(outcome) ? 1 : 0);
        }
    }

    /** Starts timing one NodePrepareResources or NodeUnprepareResources call; close the timer when it ends. */
    public RequestTimer startRequest(String operation) {
        Operation op = operations.get(operation);
        if (op == null) {
            throw new IllegalArgumentException("operation must be one of " + OPERATIONS + ", got '" + operation + "'");
        }
        op.inflight.incrementAndGet();
        long start = registry.config().clock().monotonicTime();
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                op.duration.record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
                op.requests.increment();
                op.inflight.decrementAndGet();
            }
        };
    }

    /** A running request; closing it more than once counts it once. */
    public interface RequestTimer extends AutoCloseable {
        @Override
        void close();
    }

    public void prepareError(String errorType) {
        prepareErrorCounter(errorType).increment();
    }

    public void unprepareError(String errorType) {
        unprepareErrorCounter(errorType).increment();
    }

    /** Devices of one type this node has prepared right now. */
    public void preparedDevices(String deviceType, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("prepared device count cannot be negative: " + count);
        }
        preparedDevices.computeIfAbsent(orUnknown(deviceType), type -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(PREPARED_DEVICES, value, AtomicInteger::get)
                    .description("Devices currently prepared on this node, by device type.")
                    .tags("node", nodeName, "driver", DRIVER, "device_type", type)
                    .register(registry);
            return value;
        }).set(count);
    }

    /**
     * What the kubelet said in NotifyRegistrationStatus. The error text is free-form, so it is logged here rather
     * than made a label.
     */
    public void registrationStatus(boolean registered, String error) {
        this.registered.set(registered ? 1 : 0);
        if (!registered) {
            registrationFailures.increment();
            LOG.debugf("kubelet rejected the plugin registration: %s", error);
        }
    }

    public void slicePublished(boolean success) {
        slicePublishes.increment();
        if (!success) {
            slicePublishFailures.increment();
        }
    }

    /**
     * Registers the device-health meters at zero; only called when health monitoring is on, so that a plugin without
     * it exports what it always did.
     */
    public synchronized void enableDeviceHealth() {
        if (unhealthyDevices != null) {
            return;
        }
        unhealthyDevices = new GaugeTable(registry, UNHEALTHY_DEVICES,
                "Devices (GPUs and MIG devices by NVML UUID) with a standing problem that keeps them from being allocated, "
                        + "by taint key.", "driver", "node", "taint_key");
        for (String to : List.of(BECAME_UNHEALTHY, BECAME_HEALTHY)) {
            healthTransitions(to);
        }
        Gauge.builder(TAINTS_DROPPED, taintsDropped, AtomicInteger::get)
                .description("1 while the API server drops the device taints this plugin publishes (its DRADeviceTaints "
                        + "feature gate is off), so unhealthy devices stay allocatable.")
                .tags("driver", DRIVER, "node", nodeName)
                .register(registry);
    }

    /** Devices with an unhealthy problem, by taint key; keys no device has any more disappear. */
    public synchronized void unhealthyDevices(Map<String, Integer> byTaintKey) {
        if (unhealthyDevices == null) {
            return;
        }
        Map<List<String>, Integer> rows = new HashMap<>();
        byTaintKey.forEach((key, count) -> rows.put(List.of(DRIVER, nodeName, key), count));
        unhealthyDevices.replaceAll(rows);
    }

    /** A device turned unhealthy ({@link #BECAME_UNHEALTHY}) or recovered ({@link #BECAME_HEALTHY}). */
    public void healthTransition(String to) {
        healthTransitions(to).increment();
    }

    public void deviceTaintsDropped(boolean dropped) {
        taintsDropped.set(dropped ? 1 : 0);
    }

    private Counter healthTransitions(String to) {
        return Counter.builder(HEALTH_TRANSITIONS)
                .description("Times a device turned unhealthy or recovered, by the state it turned to.")
                .tags("driver", DRIVER, "node", nodeName, "to", to)
                .register(registry);
    }

    /** The checkpoint was found unusable or stale at start and rebuilt; reason is a short fixed word. */
    public void checkpointRecovered(String reason) {
        Counter.builder(CHECKPOINT_RECOVERIES)
                .description("Times the plugin started from a rebuilt checkpoint, by reason.")
                .tags("driver", DRIVER, "reason", orUnknown(reason))
                .register(registry)
                .increment();
    }

    private Counter prepareErrorCounter(String errorType) {
        return Counter.builder(PREPARE_ERRORS)
                .description("NodePrepareResources failures, by error type.")
                .tags("driver", DRIVER, "error_type", orUnknown(errorType))
                .register(registry);
    }

    private Counter unprepareErrorCounter(String errorType) {
        return Counter.builder(UNPREPARE_ERRORS)
                .description("NodeUnprepareResources failures, by error type.")
                .tags("driver", DRIVER, "error_type", orUnknown(errorType))
                .register(registry);
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }

    private static Duration[] durationBuckets() {
        Duration[] buckets = new Duration[9];
        for (int k = 0; k < buckets.length; k++) {
            buckets[k] = Duration.ofMillis(50L << k);
        }
        return buckets;
    }

    private final class Operation {
        final AtomicInteger inflight = new AtomicInteger();
        final Counter requests;
        final Timer duration;

        Operation(String name) {
            requests = Counter.builder(REQUESTS)
                    .description("Prepare and unprepare requests handled, by operation.")
                    .tags("driver", DRIVER, "operation", name)
                    .register(registry);
            duration = Timer.builder(REQUEST_DURATION)
                    .description("Time to handle one prepare or unprepare request.")
                    .tags("driver", DRIVER, "operation", name)
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .publishPercentileHistogram(false)
                    .register(registry);
            Gauge.builder(REQUESTS_INFLIGHT, inflight, AtomicInteger::get)
                    .description("Prepare and unprepare requests being handled right now.")
                    .tags("driver", DRIVER, "operation", name)
                    .register(registry);
        }
    }
}
