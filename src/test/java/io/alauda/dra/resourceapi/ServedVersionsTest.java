package io.alauda.dra.resourceapi;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@EnableKubernetesMockClient
class ServedVersionsTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void autoTakesTheNewestServedVersion() {
        assertEquals(Optional.of(ResourceApiVersion.V1), ServedVersions.fixed("v1beta1", "v1", "v1beta2").pick("auto"));
        assertEquals(Optional.of(ResourceApiVersion.V1BETA2), ServedVersions.fixed("v1beta1", "v1beta2").pick(""));
        assertEquals(Optional.of(ResourceApiVersion.V1BETA1), ServedVersions.fixed("v1alpha3", "v1beta1").pick(null));
        assertEquals(Optional.empty(), ServedVersions.fixed("v1alpha3").pick("auto"));
    }

    @Test
    void aConfiguredVersionWinsWithoutAskingTheServer() {
        ServedVersions unasked = () -> {
            throw new AssertionError("discovery must not be asked");
        };
        assertEquals(Optional.of(ResourceApiVersion.V1BETA1), unasked.pick("v1beta1"));
        assertThrows(IllegalArgumentException.class, () -> unasked.pick("v1alpha3"));
    }

    @Test
    void oursAreTheServedVersionsWeKnowNewestFirst() {
        assertEquals(List.of(ResourceApiVersion.V1BETA2, ResourceApiVersion.V1BETA1),
                ServedVersions.fixed("v1alpha3", "v1beta1", "v1beta2").ours());
    }

    @Test
    void theApiServerIsAskedThroughGroupDiscovery() {
        server.expect().get().withPath("/apis/resource.k8s.io").andReturn(200, "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\","
                + "\"name\":\"resource.k8s.io\",\"versions\":[{\"groupVersion\":\"resource.k8s.io/v1beta2\",\"version\":\"v1beta2\"},"
                + "{\"groupVersion\":\"resource.k8s.io/v1beta1\",\"version\":\"v1beta1\"}]}").always();

        ServedVersions discovery = ServedVersions.fromApiServer(client);
        assertEquals(List.of("v1beta2", "v1beta1"), discovery.served());
        assertEquals(Optional.of(ResourceApiVersion.V1BETA2), discovery.pick("auto"));
    }

    @Test
    void aServerWithoutTheGroupServesNothing() {
        server.expect().get().withPath("/apis/resource.k8s.io").andReturn(404, "").always();

        assertEquals(List.of(), ServedVersions.fromApiServer(client).served());
    }
}
