package io.alauda.dra.doctor;

import java.util.List;
import java.util.Set;

/**
 * What the claim is judged against.
 *
 * @param nodes                 the cluster's nodes, or null when unknown (then node eligibility is not judged)
 * @param adminAccessNamespaces namespaces labelled {@code resource.kubernetes.io/admin-access: "true"}, or null when
 *                              unknown (then admin access is not judged)
 */
public record Inventory(List<Device> devices, List<DeviceClass> classes, List<Allocation> allocations, List<Node> nodes,
        Set<String> adminAccessNamespaces) {

    public Inventory {
        devices = List.copyOf(devices);
        classes = List.copyOf(classes);
        allocations = List.copyOf(allocations);
        nodes = nodes == null ? null : List.copyOf(nodes);
        adminAccessNamespaces = adminAccessNamespaces == null ? null : Set.copyOf(adminAccessNamespaces);
    }
}
