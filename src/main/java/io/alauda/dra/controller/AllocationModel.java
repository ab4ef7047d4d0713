package io.alauda.dra.controller;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * From ResourceSlices, ResourceClaims and the selected GPU nodes, what is published and what is handed out. Pure:
 * no clock, no client, no registry.
 *
 * <p>Rules (docs/metrics.md repeats them for admins):
 * <ul>
 *   <li>Only slices of driver gpu.nvidia.com count, and of each pool only the slices of its newest generation
 *       (older ones are being replaced by the plugin).</li>
 *   <li>A device is allocated when a claim's allocation result names our driver, the device's pool and its name,
 *       without admin access. A device shared by several claims counts once, with its whole memory. Results that name
 *       no published device (its node just left) are not counted.</li>
 *   <li>A claim counts when it concerns our driver ({@link ClaimView#concernsDriver}): allocated when it has an
 *       allocation, pending when it has none.</li>
 *   <li>Slices without spec.nodeName (allNodes, nodeSelector) are counted under node "" ; our plugin never
 *       publishes those.</li>
 * </ul>
 */
public final class AllocationModel {

    private AllocationModel() {
    }

    public static AllocationSnapshot compute(Collection<SliceView> slices, Collection<ClaimView> claims,
                                             Set<String> selectedNodes, Set<String> driverClasses) {
        Map<String, Long> newestGeneration = new HashMap<>();
        for (SliceView slice : slices) {
            if (ours(slice)) {
                newestGeneration.merge(slice.pool(), slice.poolGeneration(), Math::max);
            }
        }

        Set<DeviceRef> held = new HashSet<>();
        for (ClaimView claim : claims) {
            held.addAll(claim.devices());
        }

        Map<DeviceGroup, DeviceTotals> devices = new HashMap<>();
        Map<String, Integer> slicesByNode = new HashMap<>();
        for (String node : selectedNodes) {
            slicesByNode.put(node, 0);
        }
        Set<DeviceRef> seen = new HashSet<>();
        for (SliceView slice : slices) {
            if (!ours(slice) || slice.poolGeneration() != newestGeneration.get(slice.pool())) {
                continue;
            }
            String node = slice.perNode() ? slice.nodeName() : "";
            slicesByNode.computeIfPresent(node, (k, count) -> count + 1);
            for (PublishedDevice device : slice.devices()) {
                DeviceRef ref = new DeviceRef(slice.pool(), device.name());
                if (!seen.add(ref)) {
                    continue; // the same device in two slices of one pool: an API server would reject that; count once
                }
                devices.merge(new DeviceGroup(node, device.product(), device.type()),
                        DeviceTotals.ZERO.plus(device.memoryBytes(), held.contains(ref)), AllocationModel::add);
            }
        }

        Map<String, ClaimCounts> claimsByNamespace = new HashMap<>();
        for (ClaimView claim : claims) {
            if (claim.concernsDriver(driverClasses)) {
                claimsByNamespace.merge(claim.namespace(), ClaimCounts.ZERO.plus(claim.allocated()),
                        (a, b) -> new ClaimCounts(a.allocated() + b.allocated(), a.pending() + b.pending()));
            }
        }
        return new AllocationSnapshot(devices, claimsByNamespace, slicesByNode);
    }

    private static boolean ours(SliceView slice) {
        return DeviceFacts.DRIVER.equals(slice.driver()) && slice.pool() != null;
    }

    private static DeviceTotals add(DeviceTotals a, DeviceTotals b) {
        return new DeviceTotals(a.devices() + b.devices(), a.allocatedDevices() + b.allocatedDevices(),
                a.memoryBytes() + b.memoryBytes(), a.allocatedMemoryBytes() + b.allocatedMemoryBytes());
    }
}
