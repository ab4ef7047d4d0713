package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.AttributeValue;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.Quantities;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.resourceapi.V1Shape;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttribute;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttributeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceCapacity;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceCapacityBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceTaint;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceTaintBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one slice's devices into a v1 ResourceSlice, converted to the version it is written in. */
final class SliceRenderer {

    private SliceRenderer() {
    }

    static HasMetadata render(ResourceApiVersion version, SliceHeader header, List<AllocatableDevice> devices) {
        return render(version, header, devices, Map.of());
    }

    /** @param taints by device name; a device that is not listed has none */
    static HasMetadata render(ResourceApiVersion version, SliceHeader header, List<AllocatableDevice> devices,
                              Map<String, List<SliceTaint>> taints) {
        return V1Shape.as(version, new ResourceSliceBuilder()
                .withMetadata(SliceNames.metadata(header))
                .withNewSpec()
                .withDriver(DeviceModel.DRIVER)
                .withNodeName(header.nodeName())
                .withNewPool()
                .withName(header.nodeName())
                .withGeneration(header.generation())
                .withResourceSliceCount((long) header.sliceCount())
                .endPool()
                .withDevices(devices.stream().map(device -> device(device, taints.getOrDefault(device.name(), List.of()))).toList())
                .endSpec()
                .build());
    }

    private static Device device(AllocatableDevice device, List<SliceTaint> taints) {
        return new DeviceBuilder()
                .withName(device.name())
                .withAttributes(attributes(device))
                .withCapacity(capacities(device))
                .withTaints(taints.isEmpty() ? null : taints.stream().map(SliceRenderer::taint).toList())
                .build();
    }

    /** timeAdded is left out: the API server sets it when the taint first appears. */
    private static DeviceTaint taint(SliceTaint taint) {
        return new DeviceTaintBuilder().withKey(taint.key()).withValue(taint.value().isEmpty() ? null : taint.value())
                .withEffect(taint.effect()).build();
    }

    /**
     * Attributes keyed as they are published: the device model already keeps bare names for the driver's domain
     * and qualified ones for others, which is exactly the ResourceSlice convention. Null when empty, so the field
     * is left out as the API server would leave it out.
     */
    private static Map<String, DeviceAttribute> attributes(AllocatableDevice device) {
        if (device.attributes().isEmpty()) {
            return null;
        }
        Map<String, DeviceAttribute> map = new LinkedHashMap<>();
        device.attributes().forEach((name, value) -> map.put(name, attribute(value)));
        return map;
    }

    private static DeviceAttribute attribute(AttributeValue value) {
        DeviceAttributeBuilder builder = new DeviceAttributeBuilder();
        return switch (value.kind()) {
            case STRING -> builder.withString((String) value.value()).build();
            case INT -> builder.withInt((Long) value.value()).build();
            case BOOL -> builder.withBool((Boolean) value.value()).build();
            case VERSION -> builder.withVersion((String) value.value()).build();
        };
    }

    /** Capacities written as the API server canonicalises them, so that what we read back compares equal. */
    private static Map<String, DeviceCapacity> capacities(AllocatableDevice device) {
        if (device.capacities().isEmpty()) {
            return null;
        }
        Map<String, DeviceCapacity> map = new LinkedHashMap<>();
        device.capacities().forEach((name, value) -> map.put(name,
                new DeviceCapacityBuilder().withValue(new Quantity(Quantities.binarySI(value))).build()));
        return map;
    }
}
