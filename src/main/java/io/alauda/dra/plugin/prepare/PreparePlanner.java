package io.alauda.dra.plugin.prepare;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;

import java.util.ArrayList;
import java.util.HashMap;
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
    private final SharingGates gates;

    PreparePlanner(String nodeName, List<AllocatableDevice> devices) {
        this(nodeName, devices, null, SharingGates.NONE);
    }

    /**
     * @param withheld why the node publishes no devices (PreparerSettings#withheld), or null
     * @param gates    the sharing strategies the NvidiaDraDriver's feature gates allow
     */
    PreparePlanner(String nodeName, List<AllocatableDevice> devices, String withheld, SharingGates gates) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.withheld = withheld;
        this.gates = Objects.requireNonNull(gates, "gates");
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
        // Keyed by the config's index: results that share one config object form one group, as upstream groups them.
        Map<Integer, DecodedConfig> groupConfigs = new LinkedHashMap<>();
        Map<Integer, Map<String, AllocatableDevice>> groupDevices = new LinkedHashMap<>();
        for (PlannedDevice planned : devices) {
            Optional<DecodedConfig> config = ConfigResolver.resolve(configs, planned.resultIndex(), planned.result(),
                    planned.device());
            if (config.isEmpty() || config.get().config().sharing() == null) {
                continue;
            }
            DecodedConfig winner = config.get();
            if (!gates.allows(winner.config().sharing().strategy())) {
                throw gateOff(winner);
            }
            groupConfigs.putIfAbsent(winner.index(), winner);
            groupDevices.computeIfAbsent(winner.index(), k -> new LinkedHashMap<>())
                    .putIfAbsent(planned.device().name(), planned.device());
        }
        List<SharingGroup> groups = new ArrayList<>();
        groupConfigs.forEach((index, config) ->
                groups.add(new SharingGroup(config, List.copyOf(groupDevices.get(index).values()))));
        requireOneGroupPerDevice(groups);
        return new PreparePlan(devices, groups);
    }

    /**
     * Two configs of one claim may win for two requests that got the same device (admin access, or two requests
     * naming one GPU); setting two strategies on one GPU cannot both hold, so it is refused rather than left to the
     * order of the calls.
     */
    private static void requireOneGroupPerDevice(List<SharingGroup> groups) throws ClaimFailure {
        Map<String, SharingGroup> byDevice = new HashMap<>();
        for (SharingGroup group : groups) {
            for (AllocatableDevice device : group.devices()) {
                SharingGroup other = byDevice.putIfAbsent(device.name(), group);
                if (other != null && !other.sharing().equals(group.sharing())) {
                    throw new ClaimFailure(ClaimErrorType.INVALID_CONFIG, group.path() + " and " + other.path()
                            + " both apply to device '" + device.name() + "' with different sharing settings; one GPU"
                            + " takes one setting, so give both requests the same sharing block or only one of them");
                }
            }
        }
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

    /** Upstream: "%q is selected as the GPU sharing strategy, but the %q feature gate is not enabled". */
    private static ClaimFailure gateOff(DecodedConfig config) {
        String strategy = config.config().sharing().strategy();
        String gate = SharingGates.gateFor(strategy);
        String orRemove = config.fromClass()
                ? "or the cluster admin removes the sharing block from the DeviceClass's config (the claim got it from"
                + " there)"
                : "or remove the sharing block from the " + config.config().kind().value() + " in the claim (or its"
                + " ResourceClaimTemplate) to get the device unshared";
        return new ClaimFailure(ClaimErrorType.SHARING_GATE_OFF, ConfigPaths.parameters(config.index())
                + ".sharing.strategy: \"" + strategy + "\" is selected as the GPU sharing strategy, but the \"" + gate
                + "\" feature gate is not enabled. Set spec.featureGates." + gate + ": true on the NvidiaDraDriver CR"
                + " (the operator restarts the kubelet plugins with it), " + orRemove);
    }

    private String knownDevices() {
        if (inventory.isEmpty()) {
            return "no devices";
        }
        String listed = inventory.keySet().stream().sorted().limit(DEVICES_LISTED).collect(Collectors.joining(", "));
        return inventory.size() > DEVICES_LISTED ? listed + ", ... (" + inventory.size() + " in all)" : listed;
    }
}
