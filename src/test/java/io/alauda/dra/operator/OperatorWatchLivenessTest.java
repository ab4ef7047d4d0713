package io.alauda.dra.operator;

import io.alauda.dra.testing.FakeCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static io.alauda.dra.testing.OperatorAwait.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liveness notices a dead watch. fabric8 stops an informer for good when it cannot read an object; the operator's
 * own CR is read tolerantly, but any other watched type can still do it: here a Node whose spec.unschedulable is not a
 * boolean (the mock stores anything) ends the operator's Node watch for real, and /q/health/live must turn DOWN so
 * that the kubelet restarts the operator. Its own profile gives it its own application, as this one is broken on purpose.
 */
@QuarkusTest
@TestProfile(OperatorWatchLivenessTest.DeadWatch.class)
@WithKubernetesTestServer(setup = FakeCluster.class)
class OperatorWatchLivenessTest {

    public static class DeadWatch implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test";
        }
    }

    /** The name of OperatorWatchLiveness (spelled out, so that this test also runs, and fails, without it). */
    private static final String LIVENESS_CHECK = "NvidiaDraDriver operator watches";
    @Inject
    KubernetesClient client;

    @TestHTTPResource("/q/health/live")
    URL live;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void liveIsUpWhileTheWatchesRunAndDownOnceOneHasStopped() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> response = get();
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains(LIVENESS_CHECK), response.body());
        });

        GenericKubernetesResource node = Serialization.unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":"
                + "{\"name\":\"unreadable\"},\"spec\":{\"unschedulable\":\"maybe\"}}", GenericKubernetesResource.class);
        client.genericKubernetesResources("v1", "Node").resource(node).create();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> response = get();
            assertEquals(503, response.statusCode(), response.body());
            assertTrue(response.body().contains("nodes"), "the dead watch is not named: " + response.body());
        });
        // no cleanup: this application and its mock API server end with this class (own profile)
    }

    private HttpResponse<String> get() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(live.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
