package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;

/**
 * Which {@code resource.k8s.io} version DeviceClasses are written in; {@code auto} takes the newest served. The CR's
 * spelling of {@link io.alauda.dra.resourceapi.ResourceApiVersion}, plus {@code auto}.
 */
public enum ResourceApiVersion {
    AUTO(null),
    V1(io.alauda.dra.resourceapi.ResourceApiVersion.V1),
    V1BETA2(io.alauda.dra.resourceapi.ResourceApiVersion.V1BETA2),
    V1BETA1(io.alauda.dra.resourceapi.ResourceApiVersion.V1BETA1);

    private final io.alauda.dra.resourceapi.ResourceApiVersion version;

    ResourceApiVersion(io.alauda.dra.resourceapi.ResourceApiVersion version) {
        this.version = version;
    }

    @JsonValue
    public String value() {
        return version == null ? io.alauda.dra.resourceapi.ResourceApiVersion.AUTO : version.id();
    }

    /** The version this names; empty for {@code auto}. */
    public Optional<io.alauda.dra.resourceapi.ResourceApiVersion> version() {
        return Optional.ofNullable(version);
    }
}
