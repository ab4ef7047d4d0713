package io.alauda.dra.bench.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.embedded.EmbeddedApiServer;
import io.alauda.dra.embedded.OperatorProcess;
import io.alauda.dra.operator.resources.DesiredState;
import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.testing.FakeWorkloadController;
import io.alauda.dra.testing.TestDrivers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Operator benchmark (not a test): the production jar against the embedded API server.
 * <ol>
 *   <li>time from creating the NvidiaDraDriver to every managed object being present;</li>
 *   <li>API write requests per reconcile that has nothing to change (target: zero).</li>
 * </ol>
 * Run with {@code make bench-operator}; prints one line per number. Numbers go to docs/benchmarks.md.
 */
public final class OperatorBenchmark {

    private static final int RUNS = Integer.getInteger("runs", 5);

    private OperatorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("machine: %d cores, JDK %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), LocalDate.now());
        long[] createToInstalled = new long[RUNS];
        double writesPerNoopReconcile = -1;
        double noopReconciles = 0;
        for (int run = 0; run < RUNS; run++) {
            try (EmbeddedApiServer server = new EmbeddedApiServer()) {
                KubernetesClient client = server.client();
                server.node("gpu-1", Map.of("nvidia-device-enable", "pgpu-dra"));
                int port = OperatorProcess.freePort();
                Process operator = OperatorProcess.start(server.url(), Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                        "DRA_OPERATOR_RESYNC", "1s"), false);
                try (FakeWorkloadController workloads = new FakeWorkloadController(client)) {
                    awaitStarted(port);
                    NvidiaDraDriver driver = TestDrivers.withDefaults("default");
                    driver.getMetadata().setUid(null);
                    driver.getMetadata().setGeneration(null);
                    long start = System.nanoTime();
                    client.resource(driver).create();
                    InstallContext ctx = new InstallContext(client.resources(NvidiaDraDriver.class).withName("default").get(),
                            "unused", "v1", false);
                    List<HasMetadata> wanted = DesiredState.build(ctx);
                    while (!wanted.stream().allMatch(o -> client.resource(o).get() != null)) {
                        Thread.onSpinWait();
                    }
                    createToInstalled[run] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    if (run == RUNS - 1) {
                        awaitReady(client);
                        drain(server);
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                        while (System.nanoTime() < deadline) {
                            Thread.sleep(200); // a benchmark window: the operator resyncs every second
                        }
                        List<RecordedRequest> requests = drain(server);
                        // every reconcile of the active CR starts its preflight with GET /version
                        noopReconciles = requests.stream().filter(r -> r.getMethod().equals("GET") && "/version".equals(r.getPath())).count();
                        // leader election renews its Lease every few seconds whatever the reconciler does: not a reconcile write
                        List<String> writeList = requests.stream().filter(r -> !r.getMethod().equals("GET"))
                                .filter(r -> !r.getPath().contains("/coordination.k8s.io/")).map(r -> r.getMethod() + " " + r.getPath()).toList();
                        long leaseWrites = requests.stream().filter(r -> !r.getMethod().equals("GET") && r.getPath().contains("/leases/")).count();
                        long writes = writeList.size();
                        System.out.printf("writes during the window, Lease renewals left out (%d of those): %s%n", leaseWrites, writeList);
                        writesPerNoopReconcile = noopReconciles == 0 ? -1 : writes / noopReconciles;
                    }
                } finally {
                    operator.destroy();
                    if (!operator.waitFor(20, TimeUnit.SECONDS)) {
                        operator.destroyForcibly().waitFor();
                    }
                }
            }
        }
        java.util.Arrays.sort(createToInstalled);
        System.out.printf("create-to-installed ms over %d runs: min %d, median %d, max %d (17 objects, mock API server)%n",
                RUNS, createToInstalled[0], createToInstalled[RUNS / 2], createToInstalled[RUNS - 1]);
        System.out.printf("no-op reconciles observed: %.0f; API writes per no-op reconcile: %.2f%n", noopReconciles, writesPerNoopReconcile);
        // the mock server's and the Kubernetes client's executor threads are not daemons: without this the JVM stays up
        System.exit(0);
    }

    private static List<RecordedRequest> drain(EmbeddedApiServer server) throws InterruptedException {
        List<RecordedRequest> requests = new java.util.ArrayList<>();
        RecordedRequest r;
        while ((r = server.mock().takeRequest(20, TimeUnit.MILLISECONDS)) != null) {
            requests.add(r);
        }
        return requests;
    }

    private static void awaitReady(KubernetesClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            NvidiaDraDriver d = client.resources(NvidiaDraDriver.class).withName("default").get();
            if (d != null && d.getStatus() != null && d.getStatus().conditions.stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the install never became Ready");
    }

    private static void scrape(int port) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static void awaitStarted(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            try {
                scrape(port);
                return;
            } catch (Exception notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the operator did not start");
    }

}
