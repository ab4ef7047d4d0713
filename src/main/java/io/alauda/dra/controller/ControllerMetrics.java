package io.alauda.dra.controller;

import io.alauda.dra.doctor.Cause;
import io.alauda.dra.metrics.BuildInfo;
import io.alauda.dra.metrics.GaugeTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The controller's series. Names start with {@code nvidia_dra_controller_} so that they never collide with the
 * upstream driver's {@code nvidia_dra_*} series (operator-patterns.md §5.3), and summing any of them over every
 * label gives a cluster total that means something.
 *
 * <p>Only the leader exports the allocation series: every replica sees the same cluster, and two replicas exporting
 * it would double every sum. {@link #clearAllocation()} removes them when leadership is lost.
 */
public final class ControllerMetrics {

    static final String DEVICES = "nvidia_dra_controller_devices";
    static final String DEVICES_ALLOCATED = "nvidia_dra_controller_devices_allocated";
    static final String MEMORY = "nvidia_dra_controller_memory_bytes";
    static final String MEMORY_ALLOCATED = "nvidia_dra_controller_memory_allocated_bytes";
    static final String CLAIMS = "nvidia_dra_controller_resourceclaims";
    static final String NODE_SLICES = "nvidia_dra_controller_node_resourceslices";
    static final String LAST_UPDATE = "nvidia_dra_controller_last_update_timestamp_seconds";
    static final String STALE_SLICES_DELETED = "nvidia_dra_controller_stale_resourceslices_deleted";
    static final String LEADER = "nvidia_dra_controller_leader";
    static final String BUILD_INFO = "nvidia_dra_controller_build_info";
    static final String UNSATISFIABLE = "nvidia_dra_unsatisfiable_claims";

    private final Clock clock;
    private final GaugeTable devices;
    private final GaugeTable devicesAllocated;
    private final GaugeTable memory;
    private final GaugeTable memoryAllocated;
    private final GaugeTable claims;
    private final GaugeTable nodeSlices;
    private final GaugeTable lastUpdate;
    private final GaugeTable unsatisfiable;
    private final Counter staleSlicesDeleted;
    private final AtomicInteger leader = new AtomicInteger();

    public ControllerMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        devices = new GaugeTable(registry, DEVICES,
                "Devices of driver gpu.nvidia.com published in ResourceSlices, per node, GPU product and device type.",
                "node", "product", "device_type");
        devicesAllocated = new GaugeTable(registry, DEVICES_ALLOCATED,
                "Published devices that a ResourceClaim's allocation holds (admin access not counted).",
                "node", "product", "device_type");
        memory = new GaugeTable(registry, MEMORY,
                "Memory of the published devices in bytes (capacity 'memory').", "node", "product", "device_type");
        memoryAllocated = new GaugeTable(registry, MEMORY_ALLOCATED,
                "Memory of the allocated devices in bytes; a device counts whole when any claim holds it.",
                "node", "product", "device_type");
        claims = new GaugeTable(registry, CLAIMS,
                "ResourceClaims that concern driver gpu.nvidia.com, per namespace and state (allocated, pending).",
                "namespace", "state");
        nodeSlices = new GaugeTable(registry, NODE_SLICES,
                "ResourceSlices of driver gpu.nvidia.com per node selected for the kubelet plugin; 0 means the node publishes no GPU.",
                "node");
        lastUpdate = new GaugeTable(registry, LAST_UPDATE,
                "Unix time of the last successful update of the allocation series.");
        unsatisfiable = new GaugeTable(registry, UNSATISFIABLE,
                "Pending ResourceClaims of the driver's DeviceClasses that the claim doctor finds cannot be allocated, by"
                        + " cause (selector, allocated, tainted, capacity, count, constraint, node, no_devices, ...).",
                "reason");
        staleSlicesDeleted = Counter.builder(STALE_SLICES_DELETED)
                .description("ResourceSlices of driver gpu.nvidia.com deleted because their node no longer exists.")
                .register(registry);
        Gauge.builder(LEADER, leader, AtomicInteger::get)
                .description("1 on the replica that exports the allocation series and cleans up slices, else 0.")
                .register(registry);
        BuildInfo.register(registry, BUILD_INFO, BuildInfo.version());
    }

    public void publish(AllocationSnapshot snapshot, boolean current) {
        Map<List<String>, Long> published = new HashMap<>();
        Map<List<String>, Long> allocated = new HashMap<>();
        Map<List<String>, Long> bytes = new HashMap<>();
        Map<List<String>, Long> allocatedBytes = new HashMap<>();
        snapshot.devices().forEach((group, totals) -> {
            List<String> key = List.of(group.node(), group.product(), group.deviceType());
            published.put(key, totals.devices());
            allocated.put(key, totals.allocatedDevices());
            bytes.put(key, totals.memoryBytes());
            allocatedBytes.put(key, totals.allocatedMemoryBytes());
        });
        devices.replaceAll(published);
        devicesAllocated.replaceAll(allocated);
        memory.replaceAll(bytes);
        memoryAllocated.replaceAll(allocatedBytes);

        Map<List<String>, Long> claimRows = new HashMap<>();
        snapshot.claimsByNamespace().forEach((namespace, counts) -> {
            claimRows.put(List.of(namespace, "allocated"), counts.allocated());
            claimRows.put(List.of(namespace, "pending"), counts.pending());
        });
        claims.replaceAll(claimRows);

        Map<List<String>, Integer> sliceRows = new HashMap<>();
        snapshot.slicesBySelectedNode().forEach((node, count) -> sliceRows.put(List.of(node), count));
        nodeSlices.replaceAll(sliceRows);

        if (current) {
            lastUpdate.set(List.of(), clock.millis() / 1000.0);
        }
    }

    /** This replica stops exporting the allocation series (it lost or never had leadership). */
    public void clearAllocation() {
        devices.clear();
        devicesAllocated.clear();
        memory.clear();
        memoryAllocated.clear();
        claims.clear();
        nodeSlices.clear();
        lastUpdate.clear();
    }

    /** The claims now found unsatisfiable, by cause; causes with none are dropped from the series. */
    public void unsatisfiableClaims(Map<Cause, Integer> byCause) {
        Map<List<String>, Integer> rows = new HashMap<>();
        byCause.forEach((cause, count) -> rows.put(List.of(cause.label()), count));
        unsatisfiable.replaceAll(rows);
    }

    public void leader(boolean leading) {
        leader.set(leading ? 1 : 0);
    }

    public void staleSliceDeleted() {
        staleSlicesDeleted.increment();
    }
}
