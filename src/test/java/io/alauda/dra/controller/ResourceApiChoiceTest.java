package io.alauda.dra.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnableKubernetesMockClient
class ResourceApiChoiceTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void autoTakesTheNewestServedVersion() {
        assertSame(ResourceApi.V1, ResourceApiChoice.choose("auto", () -> List.of("v1beta1", "v1", "v1beta2")));
        assertSame(ResourceApi.V1BETA2, ResourceApiChoice.choose("", () -> List.of("v1beta1", "v1beta2")));
        assertSame(ResourceApi.V1BETA1, ResourceApiChoice.choose(null, () -> List.of("v1alpha3", "v1beta1")));
    }

    @Test
    void aConfiguredVersionWinsWithoutAskingTheServer() {
        assertSame(ResourceApi.V1BETA1, ResourceApiChoice.choose("v1beta1", () -> {
            throw new AssertionError("discovery must not be asked");
        }));
        assertThrows(IllegalArgumentException.class, () -> ResourceApiChoice.choose("v1alpha3", List::of));
    }

    @Test
    void noServedVersionIsAnErrorThatSaysWhatToDo() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> ResourceApiChoice.choose("auto", List::of));
        assertTrue(error.getMessage().contains("enable Dynamic Resource Allocation"), error.getMessage());
    }

    @Test
    void theApiServerIsAskedThroughGroupDiscovery() {
        server.expect().get().withPath("/apis/resource.k8s.io").andReturn(200, "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\","
                + "\"name\":\"resource.k8s.io\",\"versions\":[{\"groupVersion\":\"resource.k8s.io/v1beta2\",\"version\":\"v1beta2\"},"
                + "{\"groupVersion\":\"resource.k8s.io/v1beta1\",\"version\":\"v1beta1\"}]}").always();

        assertEquals(List.of("v1beta2", "v1beta1"), new ApiServerResourceVersions(client).served());
        assertSame(ResourceApi.V1BETA2, ResourceApiChoice.choose("auto", new ApiServerResourceVersions(client)));
    }
}
