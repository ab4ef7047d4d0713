package io.alauda.dra.controller;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.resourceapi.ServedVersions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The version the controller watches. */
class ControllerResourceApiTest {

    @Test
    void autoWatchesTheNewestServedVersionAndAConfiguredOneWins() {
        assertSame(ResourceApiVersion.V1BETA2, ControllerRole.resourceApi("auto", ServedVersions.fixed("v1beta1", "v1beta2")));
        assertSame(ResourceApiVersion.V1BETA1, ControllerRole.resourceApi("v1beta1", ServedVersions.fixed("v1")));
    }

    @Test
    void noServedVersionIsAnErrorThatSaysWhatToDo() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> ControllerRole.resourceApi("auto", ServedVersions.fixed("v1alpha3")));
        assertTrue(error.getMessage().contains("served: [v1alpha3]"), error.getMessage());
        assertTrue(error.getMessage().contains("enable Dynamic Resource Allocation"), error.getMessage());
    }
}
