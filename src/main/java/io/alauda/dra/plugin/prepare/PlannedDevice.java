package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.CdiException;
import io.alauda.dra.cdi.ClaimSpecs;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.plugin.api.KubeletDevice;

import java.util.List;

/**
 * One allocation result this node prepares, matched to the node's device.
 *
 * @param resultIndex its index in {@code status.allocation.devices.results}
 */
record PlannedDevice(int resultIndex, DeviceResult result, AllocatableDevice device) {

    /** What kubelet gets for it: the main request name, pool, device and exactly one CDI device ID. */
    KubeletDevice toKubelet(String claimUid) throws CdiException {
        String request = result.mainRequest();
        return new KubeletDevice(request.isEmpty() ? List.of() : List.of(request), result.pool(), result.device(),
                List.of(ClaimSpecs.cdiDeviceId(claimUid, device.name())), null);
    }
}
