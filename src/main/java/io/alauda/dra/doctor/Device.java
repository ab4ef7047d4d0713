package io.alauda.dra.doctor;

import java.util.List;
import java.util.Map;

/**
 * One published device with where its pool lives. Attribute and capacity names are as published: a bare name belongs
 * to the driver's domain ({@code productName} is {@code gpu.nvidia.com/productName}).
 *
 * @param nodeName     the slice's {@code nodeName}, or null
 * @param nodeSelector the slice's {@code nodeSelector}, or null
 * @param allNodes     the slice's {@code allNodes}
 */
public record Device(String driver, String pool, String name, String nodeName, NodeSelector nodeSelector,
        boolean allNodes, Map<String, AttributeValue> attributes, Map<String, Quantity> capacity, List<Taint> taints) {

    public Device {
        attributes = Map.copyOf(attributes);
        capacity = Map.copyOf(capacity);
        taints = List.copyOf(taints);
    }

    /** {@code driver/pool/name}, as the scheduler and allocation results name a device. */
    public String id() {
        return driver + "/" + pool + "/" + name;
    }

    /** The attribute under its fully qualified name ({@code domain/id}); bare names are the driver's. */
    public AttributeValue attribute(String qualified) {
        String q = qualify(qualified);
        for (Map.Entry<String, AttributeValue> e : attributes.entrySet()) {
            if (qualify(e.getKey()).equals(q)) {
                return e.getValue();
            }
        }
        return null;
    }

    public Quantity capacityOf(String qualified) {
        String q = qualify(qualified);
        for (Map.Entry<String, Quantity> e : capacity.entrySet()) {
            if (qualify(e.getKey()).equals(q)) {
                return e.getValue();
            }
        }
        return null;
    }

    public String qualify(String name) {
        return name.contains("/") ? name : driver + "/" + name;
    }

    /** Where the device can be used, for a table: the node name, the selector, or "all nodes". */
    public String where() {
        if (nodeName != null) {
            return nodeName;
        }
        if (nodeSelector != null) {
            return "nodes: " + nodeSelector;
        }
        return allNodes ? "all nodes" : "?";
    }
}
