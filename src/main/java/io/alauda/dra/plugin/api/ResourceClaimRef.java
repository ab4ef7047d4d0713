package io.alauda.dra.plugin.api;

import java.util.Objects;

/**
 * The claim identity kubelet sends in NodePrepareResources / NodeUnprepareResources.
 * Kubelet always sends all three; the gRPC layer rejects a request whose claim lacks its UID,
 * so a handler never sees a blank {@code uid}.
 */
public record ResourceClaimRef(String namespace, String uid, String name) {

    public ResourceClaimRef {
        namespace = Objects.requireNonNullElse(namespace, "");
        uid = Objects.requireNonNullElse(uid, "");
        name = Objects.requireNonNullElse(name, "");
    }

    /** {@code namespace/name (uid)}, the form used in logs and error messages. */
    @Override
    public String toString() {
        return namespace + "/" + name + " (" + uid + ")";
    }
}
