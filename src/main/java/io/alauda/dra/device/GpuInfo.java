package io.alauda.dra.device;

import java.util.List;
import java.util.Objects;

/**
 * What discovery learned about one physical GPU. Fields NVML may answer "not supported" for are nullable: a null
 * means the attribute is left out of the ResourceSlice, never guessed.
 *
 * @param minor                 minor number of {@code /dev/nvidia<minor>}; the stable part of the device name
 * @param index                 NVML enumeration index (not stable across GPU loss, hence not in the name)
 * @param uuid                  {@code GPU-...}
 * @param productName           NVML name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param brand                 e.g. {@code Nvidia}; null when unsupported
 * @param architecture          e.g. {@code Hopper}; null when unsupported or unknown
 * @param cudaComputeCapability {@code major.minor} as NVML reports it, e.g. {@code 9.0}; null when unsupported
 * @param pciBusId              normalised BDF, e.g. {@code 0000:65:00.0}
 * @param memoryBytes           total framebuffer memory; null when unsupported
 * @param pcieRoot              e.g. {@code pci0000:64}; null when sysfs does not tell
 * @param numaNode              NUMA node from sysfs; null when unknown or negative
 * @param migEnabled            current MIG mode
 * @param migDevices            MIG devices that exist now (empty unless MIG is enabled)
 */
public record GpuInfo(
        int minor,
        int index,
        String uuid,
        String productName,
        String brand,
        String architecture,
        String cudaComputeCapability,
        String pciBusId,
        Long memoryBytes,
        String pcieRoot,
        Integer numaNode,
        boolean migEnabled,
        List<MigInfo> migDevices) {

    public GpuInfo {
        if (minor < 0) {
            throw new IllegalArgumentException("GPU minor number must not be negative: " + minor);
        }
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(pciBusId, "pciBusId");
        migDevices = migDevices == null ? List.of() : List.copyOf(migDevices);
    }
}
