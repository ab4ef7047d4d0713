package io.alauda.dra.metrics;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.embedded.EmbeddedApiServer;
import io.alauda.dra.embedded.OperatorProcess;
import io.alauda.dra.testing.TestDrivers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's /q/metrics as it ships: the packaged jar in its own JVM (not @QuarkusTest, whose start-up order
 * differs), against the mock API server, after it has reconciled one NvidiaDraDriver; promtool must accept the
 * whole endpoint. Needs target/quarkus-app.
 */
class PackagedOperatorMetricsIT {

    @Test
    void packagedOperatorExportsSdkReconcileMetricsAndConditionGauges() throws Exception {
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            server.node("gpu-1", Map.of("nvidia-device-enable", "pgpu-dra"));
            int port = OperatorProcess.freePort();
            Process operator = OperatorProcess.start(server.url(), Map.of("QUARKUS_HTTP_PORT", Integer.toString(port)), false);
            try {
                NvidiaDraDriver driver = TestDrivers.withDefaults("default");
                driver.getMetadata().setUid(null);
                driver.getMetadata().setGeneration(null);
                server.client().resource(driver).create();
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                // promtool reads the Prometheus text format; without this header Quarkus answers in OpenMetrics
                HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics"))
                        .header("Accept", "text/plain;version=0.0.4").timeout(Duration.ofSeconds(5)).build();
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(java.io.IOException.class)
                        .untilAsserted(() -> {
                            assertTrue(operator.isAlive(), "the operator exited; see target/operator-process.log");
                            PrometheusText text = new PrometheusText(http.send(scrape, HttpResponse.BodyHandlers.ofString()).body());
                            assertFalse(text.series("reconciliations_started_total").isEmpty(),
                                    "the Java Operator SDK's reconcile counter is missing; series: " + text.seriesNames());
                            double started = text.series("reconciliations_started_total").stream().mapToDouble(text::value).sum();
                            assertTrue(started >= 1, "no reconciliation counted yet");
                            assertFalse(text.series("nvidia_dra_operator_condition").isEmpty(), "the condition gauges are missing");
                        });
                String exposition = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "packaged-operator-metrics.txt"), exposition);
                Promtool.Result lint = Promtool.checkMetrics(exposition);
                assertEquals(0, lint.exitCode(), () -> "promtool check metrics rejects the packaged operator's /q/metrics:\n" + lint.output());
            } finally {
                operator.destroy();
                if (!operator.waitFor(20, TimeUnit.SECONDS)) {
                    operator.destroyForcibly().waitFor();
                }
            }
        }
    }
}
