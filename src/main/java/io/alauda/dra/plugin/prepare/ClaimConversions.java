package io.alauda.dra.plugin.prepare;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.List;

/**
 * The three served shapes of a ResourceClaim (fabric8 models of {@code resource.k8s.io/v1}, {@code v1beta2},
 * {@code v1beta1}) brought to one {@link AllocatedClaim}. The fields preparing reads are the same in all three; they are
 * different Java classes, hence one small method per version.
 */
final class ClaimConversions {

    private final KubernetesSerialization serialization;

    ClaimConversions(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    AllocatedClaim fromV1(io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim claim) {
        var allocation = claim.getStatus() == null ? null : claim.getStatus().getAllocation();
        List<DeviceResult> results = new ArrayList<>();
        List<DeviceConfigEntry> configs = new ArrayList<>();
        if (allocation != null && allocation.getDevices() != null) {
            for (var r : nullSafe(allocation.getDevices().getResults())) {
                results.add(new DeviceResult(r.getRequest(), r.getDriver(), r.getPool(), r.getDevice(),
                        Boolean.TRUE.equals(r.getAdminAccess())));
            }
            for (var c : nullSafe(allocation.getDevices().getConfig())) {
                var opaque = c.getOpaque();
                configs.add(new DeviceConfigEntry(c.getSource(), c.getRequests(), opaque != null,
                        opaque == null ? null : opaque.getDriver(), opaque == null ? null : json(opaque.getParameters())));
            }
        }
        return claim(claim.getMetadata(), claim.getApiVersion(), allocation != null, results, configs);
    }

    AllocatedClaim fromV1beta2(io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceClaim claim) {
        var allocation = claim.getStatus() == null ? null : claim.getStatus().getAllocation();
        List<DeviceResult> results = new ArrayList<>();
        List<DeviceConfigEntry> configs = new ArrayList<>();
        if (allocation != null && allocation.getDevices() != null) {
            for (var r : nullSafe(allocation.getDevices().getResults())) {
                results.add(new DeviceResult(r.getRequest(), r.getDriver(), r.getPool(), r.getDevice(),
                        Boolean.TRUE.equals(r.getAdminAccess())));
            }
            for (var c : nullSafe(allocation.getDevices().getConfig())) {
                var opaque = c.getOpaque();
                configs.add(new DeviceConfigEntry(c.getSource(), c.getRequests(), opaque != null,
                        opaque == null ? null : opaque.getDriver(), opaque == null ? null : json(opaque.getParameters())));
            }
        }
        return claim(claim.getMetadata(), claim.getApiVersion(), allocation != null, results, configs);
    }

    AllocatedClaim fromV1beta1(io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaim claim) {
        var allocation = claim.getStatus() == null ? null : claim.getStatus().getAllocation();
        List<DeviceResult> results = new ArrayList<>();
        List<DeviceConfigEntry> configs = new ArrayList<>();
        if (allocation != null && allocation.getDevices() != null) {
            for (var r : nullSafe(allocation.getDevices().getResults())) {
                results.add(new DeviceResult(r.getRequest(), r.getDriver(), r.getPool(), r.getDevice(),
                        Boolean.TRUE.equals(r.getAdminAccess())));
            }
            for (var c : nullSafe(allocation.getDevices().getConfig())) {
                var opaque = c.getOpaque();
                configs.add(new DeviceConfigEntry(c.getSource(), c.getRequests(), opaque != null,
                        opaque == null ? null : opaque.getDriver(), opaque == null ? null : json(opaque.getParameters())));
            }
        }
        return claim(claim.getMetadata(), claim.getApiVersion(), allocation != null, results, configs);
    }

    private static AllocatedClaim claim(ObjectMeta meta, String apiVersion, boolean allocated, List<DeviceResult> results,
                                        List<DeviceConfigEntry> configs) {
        ObjectMeta m = meta == null ? new ObjectMeta() : meta;
        return new AllocatedClaim(m.getUid(), m.getNamespace(), m.getName(), apiVersion, allocated, results, configs);
    }

    /** fabric8 hands parameters over as a generic object (map or GenericKubernetesResource); the decoder wants JSON. */
    private String json(Object parameters) {
        return parameters == null ? null : serialization.asJson(parameters);
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
