package io.alauda.dra.doctor.kube;

import io.alauda.dra.doctor.Allocation;
import io.alauda.dra.doctor.Claim;
import io.alauda.dra.doctor.Device;
import io.alauda.dra.doctor.DeviceClass;
import io.alauda.dra.doctor.Inventory;
import io.alauda.dra.doctor.Node;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the doctor's input from files or from a cluster. */
public final class Sources {

    /** resource.k8s.io versions tried in order when reading from a cluster. */
    public static final List<String> VERSIONS = List.of("v1", "v1beta2", "v1beta1");

    /** The driver's own DeviceClasses (as the operator installs them), used when files give none. */
    static final List<DeviceClass> DRIVER_CLASSES = List.of(
            new DeviceClass("gpu.nvidia.com",
                    List.of("device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'gpu'")),
            new DeviceClass("mig.nvidia.com",
                    List.of("device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'mig'")));

    private Sources() {
    }

    /**
     * From files: the claim file (a ResourceClaim or ResourceClaimTemplate; it may also hold slices, classes, other
     * claims, Nodes and Namespaces), then every other file or directory. Nodes are judged only when some file has
     * Nodes; claims with status.allocation count as allocations.
     */
    public static Loaded fromFiles(Path claimFile, List<Path> others) throws InputException {
        List<Map<String, Object>> docs = new ArrayList<>(Documents.read(claimFile));
        List<Map<String, Object>> claims = docs.stream()
                .filter(d -> KubeObjects.kind(d).equals("ResourceClaim") || KubeObjects.kind(d).equals("ResourceClaimTemplate"))
                .toList();
        if (claims.isEmpty()) {
            throw new InputException(claimFile + ": has no ResourceClaim or ResourceClaimTemplate (kinds found: "
                    + docs.stream().map(KubeObjects::kind).distinct().toList() + ")");
        }
        Map<String, Object> target = claims.get(0);
        for (Path p : others) {
            docs.addAll(Documents.read(p));
        }
        List<String> notes = new ArrayList<>();
        if (claims.size() > 1) {
            notes.add(claimFile + " has " + claims.size() + " claims; explaining the first, " + KubeObjects.name(target));
        }
        return build(target, docs, notes, true);
    }

    private static Loaded build(Map<String, Object> target, List<Map<String, Object>> docs, List<String> notes,
            boolean files) throws InputException {
        Claim claim = KubeObjects.claim(target);
        List<Device> devices = new ArrayList<>();
        List<DeviceClass> classes = new ArrayList<>();
        List<Allocation> allocations = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        Set<String> adminNs = new HashSet<>();
        boolean sawNodes = false;
        boolean sawNamespaces = false;
        for (Map<String, Object> d : docs) {
            switch (KubeObjects.kind(d)) {
                case "ResourceSlice" -> devices.addAll(KubeObjects.devices(d));
                case "DeviceClass" -> classes.add(KubeObjects.deviceClass(d));
                case "ResourceClaim" -> allocations.addAll(KubeObjects.allocations(d));
                case "Node" -> {
                    sawNodes = true;
                    nodes.add(KubeObjects.node(d));
                }
                case "Namespace" -> {
                    sawNamespaces = true;
                    if (KubeObjects.adminAccessNamespace(d)) {
                        adminNs.add(String.valueOf(KubeObjects.map(d.get("metadata")).get("name")));
                    }
                }
                default -> {
                }
            }
        }
        if (devices.isEmpty()) {
            notes.add("no ResourceSlice devices given: nothing can match" + (files ? " (pass --slices FILE_OR_DIR, e.g. "
                    + "kubectl get resourceslices -o yaml > slices.yaml)" : ""));
        }
        if (classes.isEmpty() && files) {
            classes.addAll(DRIVER_CLASSES);
            notes.add("no DeviceClass given: using the driver's gpu.nvidia.com and mig.nvidia.com (pass --classes FILE "
                    + "for the cluster's own)");
        }
        if (files && !sawNodes) {
            notes.add("no Node objects given: node eligibility is not judged");
        }
        return new Loaded(claim, new Inventory(devices, classes, allocations, sawNodes ? nodes : null,
                sawNamespaces ? adminNs : null), notes);
    }

    /** From the cluster: the claim (or template) by namespace/name, and every slice, class, claim, node, namespace. */
    public static Loaded fromCluster(KubernetesClient client, String namespace, String name) throws InputException {
        List<String> notes = new ArrayList<>();
        String version = null;
        GenericKubernetesResource target = null;
        KubernetesClientException last = null;
        for (String v : VERSIONS) {
            try {
                target = client.genericKubernetesResources("resource.k8s.io/" + v, "ResourceClaim")
                        .inNamespace(namespace).withName(name).get();
                if (target == null) {
                    target = client.genericKubernetesResources("resource.k8s.io/" + v, "ResourceClaimTemplate")
                            .inNamespace(namespace).withName(name).get();
                }
                version = v;
                break;
            } catch (KubernetesClientException e) {
                last = e;
                if (e.getCode() != 404) {
                    throw new InputException("reading ResourceClaim " + namespace + "/" + name + " (resource.k8s.io/" + v
                            + "): " + e.getMessage());
                }
            }
        }
        if (version == null) {
            throw new InputException("the cluster serves no resource.k8s.io version of " + String.join(", ", VERSIONS)
                    + (last == null ? "" : ": " + last.getMessage()));
        }
        if (target == null) {
            throw new InputException("no ResourceClaim or ResourceClaimTemplate " + namespace + "/" + name
                    + " (resource.k8s.io/" + version + "); list them with kubectl get resourceclaims,resourceclaimtemplates -n "
                    + namespace);
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        String api = "resource.k8s.io/" + version;
        for (String kind : List.of("ResourceSlice", "DeviceClass")) {
            client.genericKubernetesResources(api, kind).list().getItems().forEach(o -> docs.add(withKind(o, kind)));
        }
        client.genericKubernetesResources(api, "ResourceClaim").inAnyNamespace().list().getItems()
                .forEach(o -> docs.add(withKind(o, "ResourceClaim")));
        try {
            client.nodes().list().getItems().forEach(n -> docs.add(withKind(n, "Node")));
        } catch (KubernetesClientException e) {
            notes.add("cannot list Nodes (" + e.getCode() + "): node eligibility is not judged");
        }
        try {
            client.namespaces().list().getItems().forEach(n -> docs.add(withKind(n, "Namespace")));
        } catch (KubernetesClientException e) {
            notes.add("cannot list Namespaces (" + e.getCode() + "): adminAccess is not judged");
        }
        return build(withKind(target, KubeObjects.kind(KubeObjects.tree(target))), docs, notes, false);
    }

    private static Map<String, Object> withKind(io.fabric8.kubernetes.api.model.HasMetadata o, String kind) {
        Map<String, Object> tree = new java.util.LinkedHashMap<>(KubeObjects.tree(o));
        if (!tree.containsKey("kind") || tree.get("kind") == null) {
            tree.put("kind", kind);
        }
        return tree;
    }
}
