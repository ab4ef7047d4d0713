package io.alauda.dra.plugin.prepare;

import java.util.List;
import java.util.Objects;

/**
 * The part of a ResourceClaim that preparing needs, whichever {@code resource.k8s.io} version it was read in.
 *
 * @param apiVersion the version it was read in, e.g. {@code resource.k8s.io/v1} (for messages)
 * @param allocated  whether {@code status.allocation} is present
 * @param results    {@code status.allocation.devices.results}, in order (indexes match the object's)
 * @param configs    {@code status.allocation.devices.config}, in order (indexes match the object's)
 */
public record AllocatedClaim(String uid, String namespace, String name, String apiVersion, boolean allocated,
                             List<DeviceResult> results, List<DeviceConfigEntry> configs) {

    public AllocatedClaim {
        uid = Objects.requireNonNullElse(uid, "");
        namespace = Objects.requireNonNullElse(namespace, "");
        name = Objects.requireNonNullElse(name, "");
        results = results == null ? List.of() : List.copyOf(results);
        configs = configs == null ? List.of() : List.copyOf(configs);
    }

    /** {@code namespace/name}, as users know the claim. */
    public String displayName() {
        return namespace + "/" + name;
    }
}
