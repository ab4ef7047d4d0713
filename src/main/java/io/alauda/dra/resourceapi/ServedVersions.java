package io.alauda.dra.resourceapi;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which {@code resource.k8s.io} versions the API server serves. An interface because discovery is the one call the
 * fabric8 mock server cannot answer; tests say what the cluster serves with {@link #fixed(String...)}.
 */
@FunctionalInterface
public interface ServedVersions {

    /** Served versions such as {@code v1}, {@code v1beta2}, as the server lists them; empty when the group is not served. */
    List<String> served();

    /** Ours among the served versions, newest first. */
    default List<ResourceApiVersion> ours() {
        return ResourceApiVersion.servedAmong(served());
    }

    /** The newest served version of ours; empty when the server serves none of them. */
    default Optional<ResourceApiVersion> newest() {
        return ResourceApiVersion.newestOf(served());
    }

    /**
     * The version to use: the configured one without asking the server, or for {@code auto} (null, blank) the newest
     * served; empty when the server serves none of ours.
     *
     * @throws IllegalArgumentException when the setting names no version of ours
     */
    default Optional<ResourceApiVersion> pick(String setting) {
        Optional<ResourceApiVersion> configured = ResourceApiVersion.configured(setting);
        return configured.isPresent() ? configured : newest();
    }

    /** Asks the API server ({@code GET /apis/resource.k8s.io}). */
    static ServedVersions fromApiServer(KubernetesClient client) {
        Objects.requireNonNull(client, "client");
        return () -> {
            APIGroup group = client.getApiGroup(ResourceApiVersion.GROUP);
            if (group == null || group.getVersions() == null) {
                return List.of();
            }
            return group.getVersions().stream().map(GroupVersionForDiscovery::getVersion).filter(Objects::nonNull).toList();
        };
    }

    static ServedVersions fixed(String... versions) {
        List<String> list = List.of(versions);
        return () -> list;
    }
}
