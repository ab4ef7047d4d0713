package io.alauda.dra.controller;

import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttribute;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceCapacity;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestAllocationResult;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceSubRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * resource.k8s.io/v1 objects as views; objects of the other versions are brought to v1 by
 * {@link io.alauda.dra.resourceapi.V1Shape} first.
 */
final class V1Views {

    private V1Views() {
    }

    static SliceView slice(ResourceSlice slice) {
        ResourceSliceSpec spec = slice.getSpec();
        List<PublishedDevice> devices = new ArrayList<>();
        if (spec.getDevices() != null) {
            for (Device device : spec.getDevices()) {
                devices.add(new PublishedDevice(device.getName(),
                        DeviceFacts.deviceType(DeviceFacts.stringAttribute(device.getAttributes(), "type", DeviceAttribute::getString)),
                        DeviceFacts.stringAttribute(device.getAttributes(), "productName", DeviceAttribute::getString),
                        DeviceFacts.memoryBytes(device.getCapacity(), DeviceCapacity::getValue)));
            }
        }
        String pool = spec.getPool() == null ? null : spec.getPool().getName();
        long generation = spec.getPool() == null ? 0 : DeviceFacts.orZero(spec.getPool().getGeneration());
        return new SliceView(slice.getMetadata().getName(), slice.getMetadata().getUid(), slice.getMetadata().getResourceVersion(),
                spec.getDriver(), spec.getNodeName(), pool, generation, devices);
    }

    static ClaimView claim(ResourceClaim claim) {
        Set<String> classes = new HashSet<>();
        if (claim.getSpec() != null && claim.getSpec().getDevices() != null && claim.getSpec().getDevices().getRequests() != null) {
            for (DeviceRequest request : claim.getSpec().getDevices().getRequests()) {
                if (request.getExactly() != null && request.getExactly().getDeviceClassName() != null) {
                    classes.add(request.getExactly().getDeviceClassName());
                }
                if (request.getFirstAvailable() != null) {
                    for (DeviceSubRequest alternative : request.getFirstAvailable()) {
                        if (alternative.getDeviceClassName() != null) {
                            classes.add(alternative.getDeviceClassName());
                        }
                    }
                }
            }
        }
        var allocation = claim.getStatus() == null ? null : claim.getStatus().getAllocation();
        boolean toDriver = false;
        List<DeviceRef> devices = new ArrayList<>();
        if (allocation != null && allocation.getDevices() != null && allocation.getDevices().getResults() != null) {
            for (DeviceRequestAllocationResult result : allocation.getDevices().getResults()) {
                if (DeviceFacts.DRIVER.equals(result.getDriver())) {
                    toDriver = true;
                    if (!DeviceFacts.isTrue(result.getAdminAccess())) {
                        devices.add(new DeviceRef(result.getPool(), result.getDevice()));
                    }
                }
            }
        }
        return new ClaimView(claim.getMetadata().getNamespace(), claim.getMetadata().getName(), allocation != null, toDriver,
                devices, classes);
    }
}
