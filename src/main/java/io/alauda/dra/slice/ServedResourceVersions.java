package io.alauda.dra.slice;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Objects;

/**
 * Which {@code resource.k8s.io} versions the API server serves. An interface because discovery is the one call the
 * fabric8 mock server cannot answer; tests say what the cluster serves with {@link #fixed(String...)}.
 */
@FunctionalInterface
public interface ServedResourceVersions {

    /** Served versions such as {@code v1}, {@code v1beta2}; empty when the group is not served at all. */
    List<String> served();

    /** Asks the API server ({@code GET /apis/resource.k8s.io}). */
    static ServedResourceVersions fromApiServer(KubernetesClient client) {
        Objects.requireNonNull(client, "client");
        return () -> {
            APIGroup group = client.getApiGroup(SliceApiVersion.GROUP);
            if (group == null || group.getVersions() == null) {
                return List.of();
            }
            return group.getVersions().stream().map(GroupVersionForDiscovery::getVersion).filter(Objects::nonNull).toList();
        };
    }

    static ServedResourceVersions fixed(String... versions) {
        List<String> list = List.of(versions);
        return () -> list;
    }
}
