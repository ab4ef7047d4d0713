package io.alauda.dra.controller;

import io.alauda.dra.doctor.Allocation;
import io.alauda.dra.doctor.Device;
import io.alauda.dra.doctor.DeviceClass;
import io.alauda.dra.doctor.Inventory;
import io.alauda.dra.doctor.Node;
import io.alauda.dra.doctor.kube.InputException;
import io.alauda.dra.doctor.kube.KubeObjects;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the claim doctor judges pending claims against, as the controller sees the cluster: our driver's slices and
 * every DeviceClass read fresh (a handful of objects, read only when some claim is overdue), the allocations and node
 * names from the informers' cache (20,000 claims are not listed again). Admin access is not judged: the API server
 * already refuses adminAccess outside labelled namespaces.
 */
final class DoctorInventory {

    private static final Logger LOG = Logger.getLogger(DoctorInventory.class);

    private final KubernetesClient client;
    private final ResourceApiVersion api;
    private final ClusterState state;
    private final boolean sliceFieldSelector;

    DoctorInventory(KubernetesClient client, ResourceApiVersion api, ClusterState state, boolean sliceFieldSelector) {
        this.client = client;
        this.api = api;
        this.state = state;
        this.sliceFieldSelector = sliceFieldSelector;
    }

    Inventory load() {
        List<Device> devices = new ArrayList<>();
        var slices = client.resources(api.sliceClass());
        for (HasMetadata slice : (sliceFieldSelector ? slices.withField("spec.driver", DeviceFacts.DRIVER) : slices).list().getItems()) {
            Map<String, Object> tree = KubeObjects.tree(slice);
            if (!DeviceFacts.DRIVER.equals(KubeObjects.map(tree.get("spec")).get("driver"))) {
                continue; // a server (or mock) that ignores the field selector
            }
            try {
                devices.addAll(KubeObjects.devices(tree));
            } catch (InputException e) {
                LOG.warnf("judging pending claims without ResourceSlice %s: %s", slice.getMetadata().getName(), e.getMessage());
            }
        }
        List<DeviceClass> classes = new ArrayList<>();
        for (HasMetadata deviceClass : client.resources(api.deviceClassClass()).list().getItems()) {
            try {
                classes.add(KubeObjects.deviceClass(KubeObjects.tree(deviceClass)));
            } catch (InputException e) {
                LOG.warnf("judging pending claims without DeviceClass %s: %s", deviceClass.getMetadata().getName(), e.getMessage());
            }
        }
        List<Allocation> allocations = new ArrayList<>();
        for (ClaimView claim : state.claims()) {
            for (DeviceRef device : claim.devices()) {
                allocations.add(new Allocation(claim.namespace() + "/" + claim.name(), DeviceFacts.DRIVER, device.pool(),
                        device.device(), false));
            }
        }
        List<Node> nodes = state.nodeNames().stream().map(name -> new Node(name, Map.of())).toList();
        return new Inventory(devices, classes, allocations, nodes, null);
    }
}
