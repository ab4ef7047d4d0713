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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the claim doctor judges pending claims against, as the controller sees the cluster: our driver's slices and
 * every DeviceClass read fresh (a handful of objects, read only when some claim is overdue), the allocations and node
 * names from the informers' cache (20,000 claims are not listed again). Admin access is not judged: the API server
 * already refuses adminAccess outside labelled namespaces.
 *
 * <p>A slice's devices are mapped into the doctor's records once per resourceVersion and kept between passes while
 * claims stay overdue (1,000 slices cost 0.3 to 0.7 s to map on 2 cores, every 5 s); {@link #forget()} drops them
 * when no claim is, so an idle controller holds none.
 */
final class DoctorInventory {

    private static final Logger LOG = Logger.getLogger(DoctorInventory.class);

    private final KubernetesClient client;
    private final ResourceApiVersion api;
    private final ClusterState state;
    private final boolean sliceFieldSelector;
    /** Slice UID to its devices as mapped at one resourceVersion; only the explaining thread uses it. */
    private Map<String, MappedSlice> mapped = new HashMap<>();

    private record MappedSlice(String resourceVersion, List<Device> devices) {
    }

    DoctorInventory(KubernetesClient client, ResourceApiVersion api, ClusterState state, boolean sliceFieldSelector) {
        this.client = client;
        this.api = api;
        this.state = state;
        this.sliceFieldSelector = sliceFieldSelector;
    }

    Inventory load() {
        List<Device> devices = new ArrayList<>();
        var slices = client.resources(api.sliceClass());
        Map<String, MappedSlice> seen = new HashMap<>();
        for (HasMetadata slice : (sliceFieldSelector ? slices.withField("spec.driver", DeviceFacts.DRIVER) : slices).list().getItems()) {
            MappedSlice known = mapped.get(slice.getMetadata().getUid());
            if (known != null && known.resourceVersion().equals(slice.getMetadata().getResourceVersion())) {
                seen.put(slice.getMetadata().getUid(), known);
                devices.addAll(known.devices());
                continue;
            }
            Map<String, Object> tree = KubeObjects.tree(slice);
            if (!DeviceFacts.DRIVER.equals(KubeObjects.map(tree.get("spec")).get("driver"))) {
                continue; // a server (or mock) that ignores the field selector
            }
            devices.addAll(devicesOf(slice, tree, seen));
        }
        mapped = seen;
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

    /** Drops the mapped slices: no claim is overdue, so none is needed until one is. */
    void forget() {
        mapped = new HashMap<>();
    }

    /** A slice the doctor cannot read is left out (and mapped again next time, in case it was fixed). */
    private static List<Device> devicesOf(HasMetadata slice, Map<String, Object> tree, Map<String, MappedSlice> seen) {
        try {
            List<Device> devices = List.copyOf(KubeObjects.devices(tree));
            seen.put(slice.getMetadata().getUid(), new MappedSlice(slice.getMetadata().getResourceVersion(), devices));
            return devices;
        } catch (InputException e) {
            LOG.warnf("judging pending claims without ResourceSlice %s: %s", slice.getMetadata().getName(), e.getMessage());
            return List.of();
        }
    }
}
