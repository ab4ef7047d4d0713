package io.alauda.dra.plugin.prepare;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a fetched claim into what this node must prepare: the results of this driver, each in this node's pool and
 * matched to a device of the node's inventory, with its opaque config resolved and checked. Results of other drivers
 * are theirs to prepare. Pure: no I/O.
 */
final class PreparePlanner {

    private static final int DEVICES_LISTED = 12;

    private final String nodeName;
    private final Map<String, AllocatableDevice> inventory;
    private final String withheld;

    PreparePlanner(String nodeName, List<AllocatableDevice> devices) {
        this(nodeName, devices, null);
    }

    /** @param withheld why the node publishes no devices (PreparerSettings#withheld), or null */
    PreparePlanner(String nodeName, List<AllocatableDevice> devices, String withheld) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.withheld = withheld;
        Map<String, AllocatableDevice> byName = new LinkedHashMap<>();
        devices.forEach(d -> byName.put(d.name(), d));
        this.inventory = Map.copyOf(byName);
    }

    Optional<AllocatableDevice> device(String name) {
        return Optional.ofNullable(inventory.get(name));
    }

    PreparePlan plan(AllocatedClaim claim) throws ClaimFailure {
        List<PlannedDevice> devices = new ArrayList<>();
        for (int i = 0; i < claim.results().size(); i++) {
            DeviceResult result = claim.results().get(i);
            if (!DeviceModel.DRIVER.equals(result.driver())) {
                continue;
            }
            if (!nodeName.equals(result.pool())) {
                throw allocatedForOtherNode(i, result);
            }
            AllocatableDevice device = inventory.get(result.device());
            if (device == null && withheld != null) {
                throw new ClaimFailure(ClaimErrorType.NODE_CHECKS_FAILED, "node " + nodeName + " serves no GPU because its"
                        + " node checks failed: " + withheld + ". Once the node is fixed and its kubelet-plugin pod"
                        + " restarted, delete this pod (and its claim, if not from a template) so the scheduler allocates"
                        + " again");
            }
            if (device == null) {
                throw new ClaimFailure(ClaimErrorType.UNKNOWN_DEVICE, ConfigPaths.result(i) + ".device '"
                        + Printable.of(result.device()) + "' is not a device of node " + nodeName + " (it has "
                        + knownDevices() + "). The allocation was made from a ResourceSlice that no longer matches the"
                        + " node, e.g. after a MIG change; delete the pod (and its claim, if not from a template) so the"
                        + " scheduler allocates again");
            }
            devices.add(new PlannedDevice(i, result, device));
        }
        List<DecodedConfig> configs = ConfigResolver.decodeAll(claim.configs());
        for (PlannedDevice planned : devices) {
            Optional<DecodedConfig> config = ConfigResolver.resolve(configs, planned.resultIndex(), planned.result(),
                    planned.device());
            if (config.isPresent() && config.get().config().sharing() != null) {
                throw sharingNotImplemented(config.get(), planned);
            }
        }
        return new PreparePlan(devices);
    }

    /** Devices of this node the claim holds only with admin access (none of its results asks for them exclusively). */
    Set<String> adminOnlyDevices(AllocatedClaim claim) {
        Set<String> admin = new HashSet<>();
        Set<String> exclusive = new HashSet<>();
        for (DeviceResult result : claim.results()) {
            if (DeviceModel.DRIVER.equals(result.driver()) && nodeName.equals(result.pool())) {
                (result.adminAccess() ? admin : exclusive).add(result.device());
            }
        }
        admin.removeAll(exclusive);
        return admin;
    }

    /**
     * This driver's pools are named after their node, so a result in another pool is a device on another node. Skipping
     * it would answer success without the GPU and the container would start without it.
     */
    private ClaimFailure allocatedForOtherNode(int index, DeviceResult result) {
        // Kubelet prefixes the message with the claim's name, so it starts with the field like the others.
        return new ClaimFailure(ClaimErrorType.OTHER_NODE, ConfigPaths.result(index) + " for request " + Printable.of(result.request()) + " names pool "
                + Printable.of(result.pool()) + " of driver " + DeviceModel.DRIVER + ", but this plugin serves pool "
                + nodeName + "; the scheduler allocated the claim for another node. A pod sharing an allocated claim"
                + " must run on the node it was allocated for: do not set spec.nodeName by hand, and delete the pod so"
                + " that the scheduler places it");
    }

    private static ClaimFailure sharingNotImplemented(DecodedConfig config, PlannedDevice planned) {
        String strategy = config.config().sharing().strategy();
        String where = config.fromClass()
                ? "It comes from the DeviceClass, so the cluster admin must remove it there (or the claim must use a"
                + " DeviceClass without it)"
                : "Remove the sharing block from the " + config.config().kind().value() + " in the claim (or its"
                + " ResourceClaimTemplate)";
        return new ClaimFailure(ClaimErrorType.SHARING_NOT_IMPLEMENTED, ConfigPaths.parameters(config.index())
                + ".sharing asks for GPU sharing with strategy " + strategy + " for device '" + planned.device().name()
                + "' (" + ConfigPaths.result(planned.resultIndex()) + "), but this driver version does not implement"
                + " GPU sharing (neither TimeSlicing nor MPS); preparing the device without it would silently give"
                + " different behaviour than asked for. " + where + " to get the device exclusively, or share GPUs"
                + " with MIG devices instead");
    }

    private String knownDevices() {
        if (inventory.isEmpty()) {
            return "no devices";
        }
        String listed = inventory.keySet().stream().sorted().limit(DEVICES_LISTED).collect(Collectors.joining(", "));
        return inventory.size() > DEVICES_LISTED ? listed + ", ... (" + inventory.size() + " in all)" : listed;
    }
}
