package io.alauda.dra.controller;

import java.util.List;
import java.util.Locale;

/** Picks the resource.k8s.io version to watch: the configured one, or with "auto" the newest the server serves. */
public final class ResourceApiChoice {

    public static final String AUTO = "auto";

    private ResourceApiChoice() {
    }

    public static ResourceApi<?, ?> choose(String configured, ServedResourceVersions discovery) {
        String wanted = configured == null || configured.isBlank() ? AUTO : configured.trim().toLowerCase(Locale.ROOT);
        if (!AUTO.equals(wanted)) {
            return ResourceApi.forVersion(wanted);
        }
        List<String> served = discovery.served();
        for (ResourceApi<?, ?> api : ResourceApi.ALL) {
            if (served.contains(api.version())) {
                return api;
            }
        }
        throw new IllegalStateException("the API server serves no resource.k8s.io version this controller can read "
                + "(v1, v1beta2 or v1beta1; served: " + served + "): enable Dynamic Resource Allocation on the cluster, "
                + "or set RESOURCE_API_VERSION through the NvidiaDraDriver's spec.resourceApiVersion");
    }
}
