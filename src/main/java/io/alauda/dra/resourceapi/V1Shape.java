package io.alauda.dra.resourceapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one conversion between the {@code resource.k8s.io} versions: every role works on the v1 model and converts
 * at the edge, reading ({@link #slice}, {@link #claim}) or writing ({@link #as}). v1beta2 has v1's shape under another
 * name; v1beta1 nests a device's facts under {@code basic} and puts a request's fields directly on the request where
 * v1 has them under {@code exactly}. Objects already in the wanted version are returned as they are.
 */
public final class V1Shape {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /** The fields a v1beta1 request shares with v1's DeviceRequest; all others belong under {@code exactly}. */
    private static final List<String> REQUEST_OWN_FIELDS = List.of("name", "firstAvailable");
    private static final List<String> DEVICE_OWN_FIELDS = List.of("name");

    private V1Shape() {
    }

    /** A ResourceSlice of any of our versions as v1. */
    public static ResourceSlice slice(HasMetadata slice) {
        return (ResourceSlice) as(ResourceApiVersion.V1, slice);
    }

    /** A ResourceClaim of any of our versions as v1. */
    public static ResourceClaim claim(HasMetadata claim) {
        return (ResourceClaim) as(ResourceApiVersion.V1, claim);
    }

    /**
     * A ResourceSlice, ResourceClaim or DeviceClass of any of our versions in {@code target}'s model.
     *
     * @throws IllegalArgumentException when the object is none of those
     */
    public static HasMetadata as(ResourceApiVersion target, HasMetadata object) {
        ResourceApiVersion source = ResourceApiVersion.of(object);
        if (source == target) {
            return object;
        }
        Class<? extends HasMetadata> type = modelOf(target, object.getKind());
        ObjectNode tree = JSON.convertValue(object, ObjectNode.class);
        if (source == ResourceApiVersion.V1BETA1) {
            reshape(tree, true);
        } else if (target == ResourceApiVersion.V1BETA1) {
            reshape(tree, false);
        }
        tree.put("apiVersion", target.apiVersion());
        return JSON.convertValue(tree, type);
    }

    private static Class<? extends HasMetadata> modelOf(ResourceApiVersion version, String kind) {
        return switch (kind) {
            case "ResourceSlice" -> version.sliceClass();
            case "ResourceClaim" -> version.claimClass();
            case "DeviceClass" -> version.deviceClassClass();
            default -> throw new IllegalArgumentException("no " + ResourceApiVersion.GROUP + " model of kind " + kind);
        };
    }

    /** v1beta1 to v1 ({@code up}) or back: only slices' devices (v1beta1's {@code basic}) and claims' requests differ. */
    private static void reshape(ObjectNode tree, boolean up) {
        JsonNode devices = tree.path("spec").path("devices");
        if (devices.isArray()) { // a slice's
            devices.forEach(device -> move((ObjectNode) device, "basic", DEVICE_OWN_FIELDS, up, true));
        }
        // v1 nests what v1beta1 keeps flat on a request: the other way round
        devices.path("requests").forEach(request -> move((ObjectNode) request, "exactly", REQUEST_OWN_FIELDS, !up, false));
    }

    /**
     * Lifts the fields of {@code nested} into {@code node}, or nests all but {@code own} under it; an empty
     * {@code nested} is written only when {@code always}.
     */
    private static void move(ObjectNode node, String nested, List<String> own, boolean lift, boolean always) {
        if (lift) {
            JsonNode inner = node.remove(nested);
            if (inner instanceof ObjectNode object) {
                node.setAll(object);
            }
            return;
        }
        ObjectNode inner = node.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!own.contains(field.getKey())) {
                inner.set(field.getKey(), field.getValue());
                it.remove();
            }
        }
        if (always || !inner.isEmpty()) {
            node.set(nested, inner);
        }
    }
}
