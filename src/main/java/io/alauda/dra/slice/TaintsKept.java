package io.alauda.dra.slice;

import io.alauda.dra.resourceapi.V1Shape;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.resource.v1.Device;

import java.util.List;
import java.util.Optional;

/**
 * Whether the API server kept the device taints we wrote. One without the DRADeviceTaints feature accepts a slice
 * with taints and stores it without them, saying nothing; only the object it returns shows it.
 */
final class TaintsKept {

    private boolean sent;
    private boolean dropped;

    /** @param written what the server returned for {@code sent} */
    void check(HasMetadata sentSlice, HasMetadata written) {
        if (tainted(sentSlice)) {
            sent = true;
            dropped |= !tainted(written);
        }
    }

    /** Empty when no write carried taints; else whether the server kept them. */
    Optional<Boolean> verdict() {
        return sent ? Optional.of(!dropped) : Optional.empty();
    }

    static boolean tainted(HasMetadata slice) {
        List<Device> devices = V1Shape.slice(slice).getSpec().getDevices();
        return devices != null && devices.stream().anyMatch(d -> d.getTaints() != null && !d.getTaints().isEmpty());
    }
}
