package io.alauda.dra.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which {@code resource.k8s.io} version DeviceClasses are written in; {@code auto} takes the newest served. */
public enum ResourceApiVersion {
    AUTO("auto"),
    V1("v1"),
    V1BETA2("v1beta2"),
    V1BETA1("v1beta1");

    private final String value;

    ResourceApiVersion(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }
}
