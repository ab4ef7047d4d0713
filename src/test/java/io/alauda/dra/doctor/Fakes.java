package io.alauda.dra.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small fake inventories with the attributes this driver publishes (see src/test/resources/slice/*.yaml). */
final class Fakes {

    static final String DRIVER = "gpu.nvidia.com";
    static final String H100 = "NVIDIA H100 80GB HBM3";
    static final String P100 = "Tesla P100-PCIE-16GB";
    static final DeviceClass GPU_CLASS = new DeviceClass("gpu.nvidia.com",
            List.of("device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'gpu'"));

    private Fakes() {
    }

    static Map<String, AttributeValue> gpuAttributes(String product, String architecture, String cc, int index, String uuid) {
        Map<String, AttributeValue> a = new LinkedHashMap<>();
        a.put("architecture", AttributeValue.string(architecture));
        a.put("brand", AttributeValue.string(product.startsWith("Tesla") ? "Tesla" : "Nvidia"));
        a.put("cudaComputeCapability", AttributeValue.version(cc));
        a.put("cudaDriverVersion", AttributeValue.version("12.8.0"));
        a.put("driverVersion", AttributeValue.version("570.124.6"));
        a.put("productName", AttributeValue.string(product));
        a.put("type", AttributeValue.string("gpu"));
        a.put("uuid", AttributeValue.string(uuid));
        a.put("index", AttributeValue.integer(index));
        a.put("resource.kubernetes.io/pcieRoot", AttributeValue.string("pci0000:1" + index));
        return a;
    }

    static Device gpu(String node, int index, String product) {
        boolean h100 = product.equals(H100);
        return new Device(DRIVER, node, "gpu-" + index, node, null, false,
                gpuAttributes(product, h100 ? "Hopper" : "Pascal", h100 ? "9.0.0" : "6.0.0", index,
                        "GPU-" + node + "-" + index),
                Map.of("memory", Quantity.parse(h100 ? "81559Mi" : "16Gi")), List.of());
    }

    /** node-a: two H100s; node-b: one P100; both nodes exist. */
    static Inventory small() {
        return inventory(List.of(gpu("node-a", 0, H100), gpu("node-a", 1, H100), gpu("node-b", 0, P100)), List.of());
    }

    static Inventory inventory(List<Device> devices, List<Allocation> allocations) {
        Set<String> nodes = new java.util.TreeSet<>();
        devices.forEach(d -> {
            if (d.nodeName() != null) {
                nodes.add(d.nodeName());
            }
        });
        List<Node> ns = new ArrayList<>();
        nodes.forEach(n -> ns.add(new Node(n, Map.of("kubernetes.io/hostname", n))));
        return new Inventory(devices, List.of(GPU_CLASS), allocations, ns, Set.of("admin-ns"));
    }

    static Claim claim(Request... requests) {
        return new Claim("default", "c", List.of(requests), List.of());
    }

    static Request gpus(String name, long count, String... selectors) {
        return Request.exact(name, "gpu.nvidia.com", count, selectors);
    }

    static String attr(String name) {
        return "device.attributes['gpu.nvidia.com']." + name;
    }
}
