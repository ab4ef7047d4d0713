package io.alauda.dra.controller;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttribute;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttributeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceCapacityBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestAllocationResult;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestAllocationResultBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** resource.k8s.io/v1 objects shaped like the ones our kubelet plugin publishes and the scheduler allocates. */
final class V1Objects {

    static final String DRIVER = "gpu.nvidia.com";
    static final String H100 = "NVIDIA H100 80GB HBM3";
    static final String A100 = "NVIDIA A100-SXM4-40GB";

    private V1Objects() {
    }

    static Device gpu(String name, String product, String memory) {
        return device(name, "gpu", product, memory);
    }

    static Device mig(String name, String product, String memory) {
        return device(name, "mig", product, memory);
    }

    static Device device(String name, String type, String product, String memory) {
        Map<String, DeviceAttribute> attributes = new LinkedHashMap<>();
        attributes.put("type", new DeviceAttributeBuilder().withString(type).build());
        attributes.put("productName", new DeviceAttributeBuilder().withString(product).build());
        attributes.put("uuid", new DeviceAttributeBuilder().withString("GPU-" + name).build());
        return new DeviceBuilder().withName(name).withAttributes(attributes)
                .withCapacity(Map.of("memory", new DeviceCapacityBuilder().withValue(new Quantity(memory)).build()))
                .build();
    }

    /** A slice of one node, pool named after the node, as the plugin publishes it. */
    static ResourceSlice slice(String name, String node, long generation, Device... devices) {
        return new ResourceSliceBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withDriver(DRIVER).withNodeName(node)
                .withNewPool().withName(node).withGeneration(generation).withResourceSliceCount(1L).endPool()
                .withDevices(devices).endSpec()
                .build();
    }

    static ResourceSlice otherDriverSlice(String name, String node) {
        return new ResourceSliceBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withDriver("net.example.com").withNodeName(node)
                .withNewPool().withName(node).withGeneration(1L).withResourceSliceCount(1L).endPool()
                .withDevices(new DeviceBuilder().withName("nic-0").build()).endSpec()
                .build();
    }

    static ResourceSlice allNodesSlice(String name, Device... devices) {
        return new ResourceSliceBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withDriver(DRIVER).withAllNodes(true)
                .withNewPool().withName("shared").withGeneration(1L).withResourceSliceCount(1L).endPool()
                .withDevices(devices).endSpec()
                .build();
    }

    static ResourceClaim pending(String namespace, String name, String deviceClass) {
        return new ResourceClaimBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNewDevices().addNewRequest().withName("gpu")
                .withNewExactly().withDeviceClassName(deviceClass).withCount(1L).endExactly()
                .endRequest().endDevices().endSpec()
                .build();
    }

    static ResourceClaim allocated(String namespace, String name, String deviceClass, DeviceRequestAllocationResult... results) {
        ResourceClaim claim = pending(namespace, name, deviceClass);
        claim.setStatus(new io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimStatusBuilder()
                .withNewAllocation().withNewDevices().withResults(List.of(results)).endDevices().endAllocation()
                .build());
        return claim;
    }

    static DeviceRequestAllocationResult result(String pool, String device) {
        return result(DRIVER, pool, device, false);
    }

    static DeviceRequestAllocationResult result(String driver, String pool, String device, boolean adminAccess) {
        return new DeviceRequestAllocationResultBuilder().withRequest("gpu").withDriver(driver).withPool(pool).withDevice(device)
                .withAdminAccess(adminAccess ? Boolean.TRUE : null).build();
    }

    static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    static Map<String, String> gpuNodeLabels() {
        return Map.of("nvidia-device-enable", "pgpu-dra");
    }
}
