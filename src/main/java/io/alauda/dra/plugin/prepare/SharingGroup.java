package io.alauda.dra.plugin.prepare;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceType;

import java.util.List;
import java.util.Objects;

/**
 * The devices of one claim that one sharing config applies to. Upstream calls this a device group: one MPS control
 * daemon serves the whole group, and time-slicing is set on each full GPU of it.
 *
 * @param config  the config that won for these devices (its index and origin name it in messages)
 * @param devices each device once, in the order of the allocation results
 */
record SharingGroup(DecodedConfig config, List<AllocatableDevice> devices) {

    SharingGroup {
        Objects.requireNonNull(config, "config");
        devices = List.copyOf(devices);
    }

    OpaqueDeviceConfig.Sharing sharing() {
        return config.config().sharing();
    }

    /** Where the sharing block is, for messages: {@code status.allocation.devices.config[1].opaque.parameters.sharing}. */
    String path() {
        return ConfigPaths.parameters(config.index()) + ".sharing";
    }

    /** UUIDs of the full GPUs of the group, sorted as upstream sorts them. Time-slicing on MIG devices does nothing. */
    List<String> gpuUuids() {
        return devices.stream().filter(d -> d.type() == DeviceType.GPU).map(d -> d.gpu().uuid()).sorted().toList();
    }

    /** UUIDs of every device of the group (MIG devices by their own UUID), sorted; MPS indexes limits into this list. */
    List<String> deviceUuids() {
        return devices.stream().map(d -> d.type() == DeviceType.MIG ? d.mig().uuid() : d.gpu().uuid()).sorted().toList();
    }
}
