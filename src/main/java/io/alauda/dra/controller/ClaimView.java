package io.alauda.dra.controller;

import java.util.List;
import java.util.Set;

/**
 * A ResourceClaim in any resource.k8s.io version, cut down to what the allocation gauges need.
 *
 * @param allocated          status.allocation is set
 * @param allocatedToDriver  at least one allocation result names our driver (admin-access results included)
 * @param devices            our driver's allocation results without admin access: the devices this claim holds
 * @param deviceClasses      DeviceClass names the requests (and their firstAvailable alternatives) ask for
 */
public record ClaimView(String namespace, String name, boolean allocated, boolean allocatedToDriver,
                        List<DeviceRef> devices, Set<String> deviceClasses) {

    public ClaimView {
        devices = List.copyOf(devices);
        deviceClasses = Set.copyOf(deviceClasses);
    }

    /**
     * Whether this claim is ours to count: allocated with at least one result of our driver, or not yet allocated
     * and asking for one of our DeviceClasses. An allocated claim that got only other drivers' devices is not ours,
     * even if one of its alternatives named our class.
     */
    public boolean concernsDriver(Set<String> driverClasses) {
        if (allocated) {
            return allocatedToDriver;
        }
        for (String deviceClass : deviceClasses) {
            if (driverClasses.contains(deviceClass)) {
                return true;
            }
        }
        return false;
    }
}
