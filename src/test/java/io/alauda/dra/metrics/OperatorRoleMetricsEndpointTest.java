package io.alauda.dra.metrics;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.operator.OperatorMetrics;
import io.alauda.dra.testing.FakeCluster;
import io.alauda.dra.testing.TestDrivers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.alauda.dra.testing.OperatorAwait.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The operator role's real /q/metrics after a reconcile: JOSDK's reconcile meters, the JVM and HTTP meters Quarkus
 * binds, and {@link OperatorMetrics} registered on the same registry (as the reconciler will), all through promtool.
 */
@QuarkusTest
@WithKubernetesTestServer(setup = FakeCluster.class)
class OperatorRoleMetricsEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void deleteDriver() {
        client.resources(NvidiaDraDriver.class).delete();
        await().atMost(WAIT).until(() -> client.resources(NvidiaDraDriver.class).list().getItems().isEmpty());
    }

    private String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(metrics.toString())).header("Accept", "text/plain;version=0.0.4").build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void promtoolAcceptsTheOperatorEndpointWithReconcileAndConditionSeries() throws Exception {
        FakeCluster.reset();
        NvidiaDraDriver driver = TestDrivers.withDefaults("metrics");
        driver.getMetadata().setUid(null);
        driver.getMetadata().setGeneration(null);
        client.resource(driver).create();
        OperatorMetrics conditions = new OperatorMetrics(registry, "test");

        await().atMost(WAIT).untilAsserted(() -> {
            NvidiaDraDriver current = client.resources(NvidiaDraDriver.class).withName("metrics").get();
            assertFalse(current.getStatus() == null || current.getStatus().conditions.isEmpty(), "no conditions yet");
            conditions.update("metrics", current.getStatus().conditions);
            PrometheusText text = new PrometheusText(scrape());
            assertFalse(text.series("reconciliations_started_total").isEmpty(), "JOSDK's reconcile counter is missing");
            assertFalse(text.series("nvidia_dra_operator_condition").isEmpty());
        });

        String endpoint = scrape();
        Files.writeString(Path.of("target", "operator-role-metrics.txt"), endpoint); // for a look when promtool objects
        Promtool.Result lint = Promtool.checkMetrics(endpoint);
        assertEquals("", lint.output().trim(), "promtool check metrics on the operator role's /q/metrics");
        assertEquals(0, lint.exitCode());
        conditions.remove("metrics");
    }
}
