package io.alauda.dra.plugin.prepare;

import java.util.List;

/**
 * One of this driver's configs of a claim, decoded, with where it came from.
 *
 * @param index     its index in {@code status.allocation.devices.config}
 * @param fromClass true for a DeviceClass config, false for one written in the claim
 * @param requests  the requests it names; empty = every request
 */
record DecodedConfig(int index, boolean fromClass, List<String> requests, OpaqueDeviceConfig config) {

    DecodedConfig {
        requests = List.copyOf(requests);
    }

    /** A request {@code req} covers its sub-requests {@code req/x}; {@code req/x} covers only that one. */
    boolean names(DeviceResult result) {
        return requests.contains(result.request()) || requests.contains(result.mainRequest());
    }

    String origin() {
        return fromClass ? "DeviceClass config" : "claim config";
    }
}
