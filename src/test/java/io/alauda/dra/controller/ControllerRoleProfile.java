package io.alauda.dra.controller;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The image started as {@code controller}. RESOURCE_API_VERSION is set the way the operator sets the pod's
 * environment (here as a system property, which the same ${RESOURCE_API_VERSION} default reads), forcing v1beta2
 * although the fake cluster serves v1 too. The mock ignores field selectors it does not know, so the slice
 * informer filters on the client side only.
 */
public class ControllerRoleProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "dra.role", "controller",
                "RESOURCE_API_VERSION", "v1beta2",
                "dra.controller.slice-field-selector", "false",
                "dra.controller.metrics-interval", "100ms");
    }
}
