package io.alauda.dra.controller;

/** Devices and their memory in one {@link DeviceGroup}: published, and of those, held by a claim. */
public record DeviceTotals(long devices, long allocatedDevices, long memoryBytes, long allocatedMemoryBytes) {

    static final DeviceTotals ZERO = new DeviceTotals(0, 0, 0, 0);

    DeviceTotals plus(long memory, boolean allocated) {
        return new DeviceTotals(devices + 1, allocatedDevices + (allocated ? 1 : 0), memoryBytes + memory,
                allocatedMemoryBytes + (allocated ? memory : 0));
    }
}
