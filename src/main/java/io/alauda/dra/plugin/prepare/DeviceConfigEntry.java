package io.alauda.dra.plugin.prepare;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code status.allocation.devices.config}.
 *
 * @param source         {@code FromClass} or {@code FromClaim} as the API server wrote it (checked when resolved)
 * @param requests       requests it applies to; empty = all
 * @param opaque         whether the entry has an {@code opaque} block (the only kind this driver understands)
 * @param opaqueDriver   {@code opaque.driver}, empty when not opaque
 * @param parametersJson {@code opaque.parameters} as JSON, or {@code null} when absent
 */
public record DeviceConfigEntry(String source, List<String> requests, boolean opaque, String opaqueDriver,
                                String parametersJson) {

    public static final String FROM_CLASS = "FromClass";
    public static final String FROM_CLAIM = "FromClaim";

    public DeviceConfigEntry {
        source = Objects.requireNonNullElse(source, "");
        requests = requests == null ? List.of() : List.copyOf(requests);
        opaqueDriver = Objects.requireNonNullElse(opaqueDriver, "");
    }
}
