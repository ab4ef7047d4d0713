package io.alauda.dra.controller;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;

/** Asks the API server (/apis/resource.k8s.io) which resource.k8s.io versions it serves. */
public final class ApiServerResourceVersions implements ServedResourceVersions {

    private final KubernetesClient client;

    public ApiServerResourceVersions(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public List<String> served() {
        APIGroup group = client.getApiGroup("resource.k8s.io");
        List<String> versions = new ArrayList<>();
        if (group != null && group.getVersions() != null) {
            for (GroupVersionForDiscovery version : group.getVersions()) {
                versions.add(version.getVersion());
            }
        }
        return versions;
    }
}
