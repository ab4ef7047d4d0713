package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.CdiException;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.plugin.api.KubeletDevice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What preparing one claim on this node means: its devices here, in the order of the allocation results, and the
 * sharing each group of them asks for.
 */
record PreparePlan(List<PlannedDevice> devices, List<SharingGroup> sharing) {

    PreparePlan {
        devices = List.copyOf(devices);
        sharing = List.copyOf(sharing);
    }

    PreparePlan(List<PlannedDevice> devices) {
        this(devices, List.of());
    }

    /** Each device once, for the CDI spec (two requests may share a device, e.g. with admin access). */
    List<AllocatableDevice> distinctDevices() {
        Map<String, AllocatableDevice> byName = new LinkedHashMap<>();
        devices.forEach(d -> byName.putIfAbsent(d.device().name(), d.device()));
        return List.copyOf(byName.values());
    }

    /** Devices this claim holds exclusively: every one it got without admin access. */
    Set<String> exclusiveDeviceNames() {
        Set<String> names = new LinkedHashSet<>();
        devices.stream().filter(d -> !d.result().adminAccess()).forEach(d -> names.add(d.device().name()));
        return names;
    }

    /** Devices this claim got only with admin access, which other claims may hold too. */
    Set<String> adminOnlyDeviceNames() {
        Set<String> names = new LinkedHashSet<>();
        devices.stream().filter(d -> d.result().adminAccess()).forEach(d -> names.add(d.device().name()));
        names.removeAll(exclusiveDeviceNames());
        return names;
    }

    /** The first result that asks for {@code deviceName} exclusively, for messages. */
    int resultIndexOf(String deviceName) {
        return devices.stream().filter(d -> d.device().name().equals(deviceName) && !d.result().adminAccess())
                .mapToInt(PlannedDevice::resultIndex).findFirst().orElse(-1);
    }

    List<KubeletDevice> kubeletDevices(String claimUid) throws ClaimFailure {
        List<KubeletDevice> answer = new ArrayList<>();
        for (PlannedDevice device : devices) {
            try {
                answer.add(device.toKubelet(claimUid));
            } catch (CdiException e) {
                throw new ClaimFailure(ClaimErrorType.CDI_SPEC, e.getMessage(), e);
            }
        }
        return answer;
    }
}
