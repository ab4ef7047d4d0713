package io.alauda.dra.slice;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.resourceapi.V1Shape;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceTaint;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps the API server's {@code timeAdded} of taints that stand on through an update. We never write the field, and
 * the server stamps a taint that comes without it as new: without this, rewriting a slice for any other reason (a
 * second device's taint, a label) would make every standing taint look as if it had just appeared.
 */
final class TaintTimes {

    private TaintTimes() {
    }

    /** @return {@code desired}, or a copy in the same version with the stored times of its unchanged taints */
    static HasMetadata carriedOver(HasMetadata stored, HasMetadata desired) {
        Map<String, String> times = new HashMap<>();
        devices(V1Shape.slice(stored)).forEach(device -> taints(device).stream().filter(t -> t.getTimeAdded() != null)
                .forEach(t -> times.put(key(device.getName(), t), t.getTimeAdded())));
        if (times.isEmpty()) {
            return desired;
        }
        ResourceSlice wanted = V1Shape.slice(desired);
        if (wanted == desired) {
            wanted = new io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceBuilder((ResourceSlice) desired).build();
        }
        boolean changed = false;
        for (Device device : devices(wanted)) {
            for (DeviceTaint taint : taints(device)) {
                String time = times.get(key(device.getName(), taint));
                if (time != null && taint.getTimeAdded() == null) {
                    taint.setTimeAdded(time);
                    changed = true;
                }
            }
        }
        return changed ? V1Shape.as(ResourceApiVersion.of(desired), wanted) : desired;
    }

    private static List<Device> devices(ResourceSlice slice) {
        return slice.getSpec() == null || slice.getSpec().getDevices() == null ? List.of() : slice.getSpec().getDevices();
    }

    private static List<DeviceTaint> taints(Device device) {
        return device.getTaints() == null ? List.of() : device.getTaints();
    }

    private static String key(String device, DeviceTaint taint) {
        return device + "\0" + taint.getKey() + "\0" + Objects.toString(taint.getValue(), "") + "\0" + taint.getEffect();
    }
}
