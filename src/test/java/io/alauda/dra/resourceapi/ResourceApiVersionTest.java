package io.alauda.dra.resourceapi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResourceApiVersionTest {

    @Test
    void newestServedVersionWins() {
        assertEquals(Optional.of(ResourceApiVersion.V1), ResourceApiVersion.newestOf(List.of("v1beta1", "v1", "v1beta2")));
        assertEquals(Optional.of(ResourceApiVersion.V1BETA2), ResourceApiVersion.newestOf(List.of("v1alpha3", "v1beta2", "v1beta1")));
        assertEquals(Optional.of(ResourceApiVersion.V1BETA1), ResourceApiVersion.newestOf(List.of("v1alpha3", "v1beta1")));
        assertEquals(Optional.empty(), ResourceApiVersion.newestOf(List.of("v1alpha3")));
    }

    @Test
    void servedVersionsAreOursNewestFirstWithOrWithoutTheGroup() {
        assertEquals(List.of(ResourceApiVersion.V1, ResourceApiVersion.V1BETA1),
                ResourceApiVersion.servedAmong(List.of("resource.k8s.io/v1beta1", "v1alpha3", "v1")));
        assertEquals(List.of(), ResourceApiVersion.servedAmong(null));
    }

    @Test
    void aConfiguredVersionIsAutoWhenBlankAndParsedOtherwise() {
        assertEquals(Optional.empty(), ResourceApiVersion.configured(null));
        assertEquals(Optional.empty(), ResourceApiVersion.configured(" "));
        assertEquals(Optional.empty(), ResourceApiVersion.configured("Auto"));
        assertEquals(Optional.of(ResourceApiVersion.V1BETA2), ResourceApiVersion.configured(" v1beta2 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResourceApiVersion.configured("v1alpha3"));
        assertEquals("resource API version 'v1alpha3' is not supported: use auto, v1, v1beta2, v1beta1", e.getMessage());
    }

    @Test
    void parseTakesOnlyTheBareVersion() {
        assertSame(ResourceApiVersion.V1BETA1, ResourceApiVersion.parse("v1beta1"));
        assertThrows(IllegalArgumentException.class, () -> ResourceApiVersion.parse("resource.k8s.io/v1"));
        assertEquals("resource.k8s.io/v1beta2", ResourceApiVersion.V1BETA2.apiVersion());
    }

    @Test
    void eachVersionNamesItsOwnModels() {
        for (ResourceApiVersion version : ResourceApiVersion.values()) {
            for (Class<? extends HasMetadata> model : List.of(version.sliceClass(), version.claimClass(), version.deviceClassClass())) {
                assertEquals("io.fabric8.kubernetes.api.model.resource." + version.id(), model.getPackageName());
                assertSame(version, ResourceApiVersion.of(instance(model)));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ResourceApiVersion.of(new Pod()));
    }

    private static HasMetadata instance(Class<? extends HasMetadata> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
