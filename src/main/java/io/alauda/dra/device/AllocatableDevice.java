package io.alauda.dra.device;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One device as the driver publishes it: a DNS-label name, typed attributes and integer capacities, plus the
 * hardware it stands for (exactly one of {@code gpu} or {@code mig} describes it; for a MIG device {@code gpu} is
 * the parent).
 *
 * <p>Attribute and capacity names are as they appear in a ResourceSlice: bare names live in the driver's domain
 * ({@code gpu.nvidia.com}), qualified ones ({@code resource.kubernetes.io/pciBusID}) in theirs. Maps are sorted so
 * that output is stable.
 */
public record AllocatableDevice(
        String name,
        DeviceType type,
        SortedMap<String, AttributeValue> attributes,
        SortedMap<String, Long> capacities,
        GpuInfo gpu,
        MigInfo mig) {

    public AllocatableDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(gpu, "gpu");
        if ((type == DeviceType.MIG) != (mig != null)) {
            throw new IllegalArgumentException("device " + name + ": a MIG device needs MIG details, a GPU must have none");
        }
        attributes = unmodifiableSorted(attributes);
        capacities = unmodifiableSorted(capacities);
    }

    private static <V> SortedMap<String, V> unmodifiableSorted(Map<String, V> map) {
        return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
