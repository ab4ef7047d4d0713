package io.alauda.dra.slice;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.AttributeValue;
import io.alauda.dra.device.DeviceModel;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1beta2.Device;
import io.fabric8.kubernetes.api.model.resource.v1beta2.DeviceAttribute;
import io.fabric8.kubernetes.api.model.resource.v1beta2.DeviceAttributeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1beta2.DeviceBuilder;
import io.fabric8.kubernetes.api.model.resource.v1beta2.DeviceCapacity;
import io.fabric8.kubernetes.api.model.resource.v1beta2.DeviceCapacityBuilder;
import io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceSlice;
import io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceSliceBuilder;

import java.util.List;

/** resource.k8s.io/v1beta2: the same shape as v1 (Kubernetes 1.33). */
final class V1beta2SliceRenderer implements SliceRenderer {

    @Override
    public ResourceSlice render(SliceHeader header, List<AllocatableDevice> devices) {
        return new ResourceSliceBuilder()
                .withMetadata(SliceNames.metadata(header))
                .withNewSpec()
                .withDriver(DeviceModel.DRIVER)
                .withNodeName(header.nodeName())
                .withNewPool()
                .withName(header.nodeName())
                .withGeneration(header.generation())
                .withResourceSliceCount((long) header.sliceCount())
                .endPool()
                .withDevices(devices.stream().map(V1beta2SliceRenderer::device).toList())
                .endSpec()
                .build();
    }

    private static Device device(AllocatableDevice device) {
        return new DeviceBuilder()
                .withName(device.name())
                .withAttributes(SliceRenderer.attributes(device, V1beta2SliceRenderer::attribute))
                .withCapacity(SliceRenderer.capacities(device, V1beta2SliceRenderer::capacity))
                .build();
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

    private static DeviceCapacity capacity(Quantity value) {
        return new DeviceCapacityBuilder().withValue(value).build();
    }
}
