package io.alauda.dra.controller;

import java.util.Map;

/**
 * Everything the allocation gauges show, computed at one moment.
 *
 * @param devices            per node, product and device type; only groups with at least one published device
 * @param claimsByNamespace  only namespaces with at least one claim that concerns our driver
 * @param slicesBySelectedNode our driver's current slices per selected GPU node, 0 for a node that publishes none
 */
public record AllocationSnapshot(Map<DeviceGroup, DeviceTotals> devices, Map<String, ClaimCounts> claimsByNamespace,
                                 Map<String, Integer> slicesBySelectedNode) {

    public AllocationSnapshot {
        devices = Map.copyOf(devices);
        claimsByNamespace = Map.copyOf(claimsByNamespace);
        slicesBySelectedNode = Map.copyOf(slicesBySelectedNode);
    }
}
