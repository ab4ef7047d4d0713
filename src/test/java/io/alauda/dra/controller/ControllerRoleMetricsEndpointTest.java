package io.alauda.dra.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alauda.dra.metrics.PrometheusText;
import io.alauda.dra.metrics.Promtool;
import io.alauda.dra.testing.FakeCluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1beta2.DeviceAttributeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1beta2.DeviceCapacityBuilder;
import io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceClaimBuilder;
import io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller role as the image runs it: Quarkus, the role chosen by configuration, the API version taken from
 * RESOURCE_API_VERSION, informers against the mock API server, and the real /q/metrics and readiness endpoints.
 */
@QuarkusTest
@TestProfile(ControllerRoleProfile.class)
@WithKubernetesTestServer(setup = FakeCluster.class)
class ControllerRoleMetricsEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(URL url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private PrometheusText scrape() throws Exception {
        return new PrometheusText(get(metrics).body());
    }

    @Test
    void servesAllocationOfV1beta2ObjectsAndPromtoolAcceptsTheEndpoint() throws Exception {
        client.resource(new NodeBuilder().withNewMetadata().withName("gpu-1").withLabels(Map.of("nvidia-device-enable", "pgpu-dra"))
                .endMetadata().build()).createOr(existing -> existing.update());
        client.resource(new ResourceSliceBuilder().withNewMetadata().withName("gpu-1-gpu.nvidia.com").endMetadata()
                .withNewSpec().withDriver("gpu.nvidia.com").withNodeName("gpu-1")
                .withNewPool().withName("gpu-1").withGeneration(1L).withResourceSliceCount(1L).endPool()
                .addNewDevice().withName("gpu-0")
                .withAttributes(Map.of("type", new DeviceAttributeBuilder().withString("gpu").build(),
                        "productName", new DeviceAttributeBuilder().withString("NVIDIA L40S").build()))
                .withCapacity(Map.of("memory", new DeviceCapacityBuilder().withValue(new Quantity("48Gi")).build()))
                .endDevice()
                .addNewDevice().withName("gpu-1")
                .withAttributes(Map.of("type", new DeviceAttributeBuilder().withString("gpu").build(),
                        "productName", new DeviceAttributeBuilder().withString("NVIDIA L40S").build()))
                .withCapacity(Map.of("memory", new DeviceCapacityBuilder().withValue(new Quantity("48Gi")).build()))
                .endDevice()
                .endSpec().build()).createOr(existing -> existing.update());
        client.resource(new ResourceClaimBuilder().withNewMetadata().withNamespace("ml").withName("train").endMetadata()
                .withNewSpec().withNewDevices().addNewRequest().withName("gpu").withNewExactly().withDeviceClassName("gpu.nvidia.com")
                .endExactly().endRequest().endDevices().endSpec()
                .withNewStatus().withNewAllocation().withNewDevices().addNewResult().withRequest("gpu").withDriver("gpu.nvidia.com")
                .withPool("gpu-1").withDevice("gpu-1").endResult().endDevices().endAllocation().endStatus()
                .build()).createOr(existing -> existing.update());

        String series = "{device_type=\"gpu\",node=\"gpu-1\",product=\"NVIDIA L40S\"}";
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText text = scrape();
            assertEquals(2.0, text.value("nvidia_dra_controller_devices" + series));
            assertEquals(1.0, text.value("nvidia_dra_controller_devices_allocated" + series));
            assertEquals(48.0 * (1L << 30), text.value("nvidia_dra_controller_memory_allocated_bytes" + series));
            assertEquals(1.0, text.value("nvidia_dra_controller_resourceclaims{namespace=\"ml\",state=\"allocated\"}"));
            assertEquals(1.0, text.value("nvidia_dra_controller_node_resourceslices{node=\"gpu-1\"}"));
        });

        // the 0.0.4 text format, which Prometheus accepts and promtool parses (without an Accept header Quarkus
        // answers in OpenMetrics, which promtool check metrics cannot read)
        String endpoint = http.send(HttpRequest.newBuilder(URI.create(metrics.toString())).header("Accept", "text/plain;version=0.0.4").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Files.writeString(Path.of("target", "controller-role-metrics.txt"), endpoint); // for a look when promtool objects
        Promtool.Result lint = Promtool.checkMetrics(endpoint);
        assertEquals("", lint.output().trim(), "promtool check metrics on the controller role's /q/metrics");
        assertEquals(0, lint.exitCode());
    }

    /**
     * Only this role's own check is asserted: QOSDK's operator check also answers on /q/health/ready and reports DOWN
     * wherever the operator is not started (reported to the lead).
     */
    @Test
    void readinessReportsTheInformersSyncedAndTheVersionWatched() {
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode check = null;
            for (JsonNode candidate : new ObjectMapper().readTree(get(ready).body()).path("checks")) {
                if (ControllerRole.READINESS_CHECK.equals(candidate.path("name").asText())) {
                    check = candidate;
                }
            }
            assertNotNull(check, "no readiness check " + ControllerRole.READINESS_CHECK);
            assertEquals("UP", check.path("status").asText());
            assertEquals("v1beta2", check.path("data").path("resourceApiVersion").asText());
            assertTrue(check.path("data").path("leader").asBoolean());
        });
    }
}
