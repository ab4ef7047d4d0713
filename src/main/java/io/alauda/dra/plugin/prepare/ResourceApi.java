package io.alauda.dra.plugin.prepare;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Arrays;
import java.util.Optional;

/** The {@code resource.k8s.io} versions a ResourceClaim can be read in, newest first. */
enum ResourceApi {
    V1("v1") {
        @Override
        AllocatedClaim convert(String json, KubernetesSerialization serialization, ClaimConversions conversions) {
            return conversions.fromV1(serialization.unmarshal(json,
                    io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim.class));
        }
    },
    V1BETA2("v1beta2") {
        @Override
        AllocatedClaim convert(String json, KubernetesSerialization serialization, ClaimConversions conversions) {
            return conversions.fromV1beta2(serialization.unmarshal(json,
                    io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceClaim.class));
        }
    },
    V1BETA1("v1beta1") {
        @Override
        AllocatedClaim convert(String json, KubernetesSerialization serialization, ClaimConversions conversions) {
            return conversions.fromV1beta1(serialization.unmarshal(json,
                    io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaim.class));
        }
    };

    static final String GROUP = "resource.k8s.io";

    private final String version;

    ResourceApi(String version) {
        this.version = version;
    }

    String version() {
        return version;
    }

    String apiVersion() {
        return GROUP + "/" + version;
    }

    /** Relative to the API server root; namespace and name must already be validated as DNS names. */
    String claimPath(String namespace, String name) {
        return "apis/" + apiVersion() + "/namespaces/" + namespace + "/resourceclaims/" + name;
    }

    String discoveryPath() {
        return "apis/" + apiVersion();
    }

    abstract AllocatedClaim convert(String json, KubernetesSerialization serialization, ClaimConversions conversions);

    /** Accepts {@code v1} as well as {@code resource.k8s.io/v1}. */
    static Optional<ResourceApi> parse(String served) {
        if (served == null) {
            return Optional.empty();
        }
        String bare = served.startsWith(GROUP + "/") ? served.substring(GROUP.length() + 1) : served;
        return Arrays.stream(values()).filter(v -> v.version.equals(bare)).findFirst();
    }
}
