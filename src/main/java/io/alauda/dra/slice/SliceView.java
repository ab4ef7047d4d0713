package io.alauda.dra.slice;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;

import java.util.List;

/**
 * What the publisher needs to know about a ResourceSlice of any API version: who it belongs to and its canonical
 * spec. Read through the canonical tree so one class serves v1, v1beta2 and v1beta1 alike.
 */
record SliceView(HasMetadata object, String driver, String nodeName, String poolName, long generation, JsonNode spec) {

    static SliceView of(HasMetadata slice) {
        JsonNode spec = CanonicalSpec.of(slice);
        JsonNode pool = spec.path("pool");
        return new SliceView(slice, spec.path("driver").asText(null), spec.path("nodeName").asText(null),
                pool.path("name").asText(null), pool.path("generation").asLong(0), spec);
    }

    String name() {
        return object.getMetadata().getName();
    }

    boolean belongsTo(String driverName, String node) {
        return driverName.equals(driver) && node.equals(nodeName);
    }

    /** The Node with this UID is the slice's controlling owner, so garbage collection removes it with the Node. */
    boolean ownedBy(String nodeName, String nodeUid) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(owner -> "v1".equals(owner.getApiVersion())
                && "Node".equals(owner.getKind()) && nodeName.equals(owner.getName()) && nodeUid.equals(owner.getUid())
                && Boolean.TRUE.equals(owner.getController()));
    }
}
