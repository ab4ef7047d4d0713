package io.alauda.dra.slice;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublisherOptionsTest {

    @Test
    void defaultsAreAutoFieldSelectorsAndKeepSlicesOnStop() {
        PublisherOptions options = PublisherOptions.forNode("node-a");
        assertEquals(Optional.empty(), options.forcedVersion());
        assertEquals(SliceListScope.FIELD_SELECTOR, options.listScope());
        assertFalse(options.deleteSlicesOnStop());
        assertEquals(Backoff.DEFAULT, options.backoff());
    }

    @Test
    void aForcedVersionIsParsed() {
        assertEquals(Optional.of(ResourceApiVersion.V1BETA1), PublisherOptions.forNode("n").withResourceApiVersion("v1beta1").forcedVersion());
    }

    @Test
    void anUnknownVersionIsRefusedListingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PublisherOptions.forNode("n").withResourceApiVersion("v1alpha3"));
        assertEquals("resource API version 'v1alpha3' is not supported: use auto, v1, v1beta2, v1beta1", e.getMessage());
    }

    @Test
    void anEmptyNodeNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PublisherOptions.forNode(" "));
        assertTrue(e.getMessage().startsWith("nodeName is empty"), e.getMessage());
    }
}
