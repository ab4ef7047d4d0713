package io.alauda.dra.plugin.api;

import java.util.List;

/**
 * One prepared device as kubelet receives it (and as the checkpoint records it).
 *
 * @param requestNames requests of the claim this device serves, sub-request suffix already stripped; empty = all
 * @param poolName     pool of the allocation result (the node name for this driver)
 * @param deviceName   device of the allocation result, e.g. {@code gpu-0}
 * @param cdiDeviceIds fully qualified CDI IDs ({@code vendor/class=name}) the runtime must inject
 * @param shareId      share ID of a consumable-capacity allocation, or {@code null}; only the v1 API carries it
 */
public record KubeletDevice(List<String> requestNames, String poolName, String deviceName, List<String> cdiDeviceIds,
                            String shareId) {

    public KubeletDevice {
        requestNames = copyWithoutNulls(requestNames, "requestNames");
        cdiDeviceIds = copyWithoutNulls(cdiDeviceIds, "cdiDeviceIds");
        requireText(poolName, "poolName");
        requireText(deviceName, "deviceName");
        if (shareId != null && shareId.isBlank()) {
            // Keeps "no share" single-valued, so the v1 response never carries an empty optional share_id.
            shareId = null;
        }
    }

    private static List<String> copyWithoutNulls(List<String> values, String field) {
        if (values == null) {
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException("KubeletDevice." + field + "[" + i + "] is null; drop the entry or give it a value");
            }
        }
        return List.copyOf(values);
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("KubeletDevice." + field + " is empty; kubelet requires it on every device");
        }
    }
}
