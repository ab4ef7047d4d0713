package io.alauda.dra.device;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Everything discovery found on one node: the driver versions (node-wide in NVML) and the GPUs, ordered by minor
 * number so every consumer sees the same order.
 *
 * @param driverVersion     as NVML reports it, e.g. {@code 580.159.04}
 * @param cudaDriverVersion NVML's integer form, e.g. {@code 13000}
 */
public record NodeInventory(String driverVersion, int cudaDriverVersion, List<GpuInfo> gpus) {

    public NodeInventory {
        Objects.requireNonNull(driverVersion, "driverVersion");
        gpus = gpus.stream().sorted(Comparator.comparingInt(GpuInfo::minor)).toList();
    }
}
