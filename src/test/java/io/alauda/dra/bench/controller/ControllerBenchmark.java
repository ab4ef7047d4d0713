package io.alauda.dra.bench.controller;

import io.alauda.dra.controller.AllocationModel;
import io.alauda.dra.controller.ControllerRuntime;
import io.alauda.dra.controller.ControllerSettings;
import io.alauda.dra.controller.NodeSelection;
import io.alauda.dra.realcluster.ControlPlane;
import io.alauda.dra.realcluster.K8sBinaries;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttributeBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceCapacityBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Scale benchmark of the controller role: N nodes with G GPUs each and C ResourceClaims, served by the fabric8 mock
 * API server (CRUD mode, in this JVM, over HTTP), watched by a real {@link ControllerRuntime} with production
 * settings (1 s minimum between recomputations). Prints what it measures as a Markdown section for
 * docs/benchmarks.md. Not a test: it asserts nothing and takes a minute or two. With {@code --real 1} the objects
 * are served by the real control plane of docs/testing.md instead (kube-apiserver and etcd built by
 * {@code tools/k8s/build.sh}, {@code -Dk8s.bin} or the tools cache), so the lists are the API server's own, from
 * its watch cache, over HTTPS.
 *
 * <pre>
 * mvn -B -q -o test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-Xmx2g -cp %classpath io.alauda.dra.bench.controller.ControllerBenchmark"
 * </pre>
 * Arguments (after the class name): --nodes 1000 --gpus 8 --claims 20000 --changes 20 --real 0
 */
@SuppressWarnings("deprecation")
public final class ControllerBenchmark {

    private static final String H100 = "NVIDIA H100 80GB HBM3";
    private static final String A100 = "NVIDIA A100-SXM4-80GB";
    private static final int NAMESPACES = 50;

    private final int nodes;
    private final int gpus;
    private final int claims;
    private final int changes;
    private final boolean real;

    private ControllerBenchmark(int nodes, int gpus, int claims, int changes, boolean real) {
        this.nodes = nodes;
        this.gpus = gpus;
        this.claims = claims;
        this.changes = changes;
        this.real = real;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = new HashMap<>(Map.of("--nodes", 1000, "--gpus", 8, "--claims", 20_000, "--changes", 20,
                "--real", 0));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; use " + options.keySet());
            }
            options.put(args[i], Integer.parseInt(args[i + 1]));
        }
        Logger.getLogger("io.fabric8").setLevel(Level.WARNING);
        Logger.getLogger("io.alauda").setLevel(Level.WARNING);
        new ControllerBenchmark(options.get("--nodes"), options.get("--gpus"), options.get("--claims"), options.get("--changes"),
                options.get("--real") != 0).run();
        System.exit(0);
    }

    private String loadAtStart = "";

    private void run() throws Exception {
        loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();
        if (real) {
            try (ControlPlane plane = ControlPlane.start(K8sBinaries.resolve(), Files.createTempDirectory("controller-bench"));
                 KubernetesClient client = plane.admin()) {
                for (int n = 0; n < NAMESPACES; n++) {
                    create(client, new NamespaceBuilder().withNewMetadata().withName("team-" + n).endMetadata().build());
                }
                measure(client);
            }
            return;
        }
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            measure(client);
        } finally {
            server.destroy();
        }
    }

    private void measure(KubernetesClient client) throws Exception {
        int devices = nodes * gpus;
        int allocatedClaims = Math.min(claims, devices * 7 / 8); // 7 of 8 devices taken, the rest of the claims wait

        long populateStart = System.nanoTime();
        populate(client, allocatedClaims);
        double populateSeconds = seconds(System.nanoTime() - populateStart);

        long heapBefore = Math.min(usedHeapAfterGc(), usedHeapAfterGc());
        histogram("before the controller starts");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ControllerSettings settings = new ControllerSettings(ResourceApiVersion.V1, ControllerSettings.DEFAULT_DEVICE_CLASSES,
                NodeSelection.parse("nvidia-device-enable=pgpu-dra", "gpu=on"), false,
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5), "bench", null,
                ControllerSettings.ExplainSettings.DEFAULT);
        long start = System.nanoTime();
        ControllerRuntime runtime = new ControllerRuntime(client, registry, settings, Clock.systemUTC());
        long[] syncedAt = {0};
        runtime.start().thenRun(() -> syncedAt[0] = System.nanoTime());
        await(() -> sum(registry, "nvidia_dra_controller_devices") == devices
                && sum(registry, "nvidia_dra_controller_devices_allocated") == allocatedClaims
                && sum(registry, "nvidia_dra_controller_resourceclaims") == claims, Duration.ofMinutes(10));
        double firstComplete = seconds(System.nanoTime() - start);
        double informersSynced = syncedAt[0] == 0 ? Double.NaN : seconds(syncedAt[0] - start);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // let the list responses and their buffers go
        long heapAfter = Math.min(usedHeapAfterGc(), usedHeapAfterGc());

        List<Double> reflect = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            reflect.add(reflectOneChange(client, registry, allocatedClaims + i, devices));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1100)); // the next change starts outside the 1 s window
        }
        reflectOneChange(client, registry, allocatedClaims + changes, devices);
        // right after a recomputation: this one waits out the rest of the 1 s minimum interval
        double burst = reflectOneChange(client, registry, allocatedClaims + changes + 1, devices);

        List<Double> compute = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            AllocationModel.compute(runtime.state().slices(), runtime.state().claims(), runtime.state().selectedNodes(),
                    runtime.state().driverClasses());
            compute.add(millis(System.nanoTime() - t));
        }
        List<Double> render = new ArrayList<>();
        String text = "";
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            text = registry.scrape();
            render.add(millis(System.nanoTime() - t));
        }
        long series = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();

        histogram("with the controller running");
        runtime.close();
        report(populateSeconds, firstComplete, informersSynced, heapBefore, heapAfter, reflect, burst, compute, render, series,
                text.getBytes(StandardCharsets.UTF_8).length);
    }

    private void populate(KubernetesClient client, int allocatedClaims) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(real ? 8 : 4);
        List<Future<?>> done = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            int node = n;
            done.add(pool.submit(() -> {
                create(client, new NodeBuilder().withNewMetadata().withName(nodeName(node))
                        .withLabels(Map.of("nvidia-device-enable", "pgpu-dra")).endMetadata().build());
                List<Device> list = new ArrayList<>();
                for (int g = 0; g < gpus; g++) {
                    list.add(gpu("gpu-" + g, node % 5 == 4 ? A100 : H100));
                }
                create(client, new ResourceSliceBuilder().withNewMetadata().withName(nodeName(node) + "-gpu.nvidia.com").endMetadata()
                        .withNewSpec().withDriver("gpu.nvidia.com").withNodeName(nodeName(node))
                        .withNewPool().withName(nodeName(node)).withGeneration(1L).withResourceSliceCount(1L).endPool()
                        .withDevices(list).endSpec().build());
            }));
        }
        for (int c = 0; c < claims; c++) {
            int claim = c;
            done.add(pool.submit(() -> {
                ResourceClaim object = claim(claim);
                if (claim < allocatedClaims) {
                    object.setStatus(allocation(claim));
                }
                ResourceClaim created = client.resource(object).create();
                if (real && object.getStatus() != null) {
                    // A real API server drops status on create; it is written through the status subresource.
                    created.setStatus(object.getStatus());
                    client.resource(created).updateStatus();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    /**
     * Allocates a pending claim to a free device and times until the gauges show it; the time the mock API server
     * takes to answer the status update itself is kept apart in {@link #apiCalls}.
     */
    private double reflectOneChange(KubernetesClient client, PrometheusMeterRegistry registry, int claimIndex, int devices) {
        double before = sum(registry, "nvidia_dra_controller_devices_allocated");
        ResourceClaim claim = client.resource(claim(claimIndex)).get();
        claim.setStatus(allocation(claimIndex % devices));
        long t = System.nanoTime();
        client.resource(claim).updateStatus();
        apiCalls.add(millis(System.nanoTime() - t));
        await(() -> sum(registry, "nvidia_dra_controller_devices_allocated") == before + 1, Duration.ofSeconds(30));
        return millis(System.nanoTime() - t);
    }

    private final List<Double> apiCalls = new ArrayList<>();

    private ResourceClaim claim(int index) {
        return new ResourceClaimBuilder()
                .withNewMetadata().withNamespace("team-" + index % NAMESPACES).withName("claim-" + index).endMetadata()
                .withNewSpec().withNewDevices().addNewRequest().withName("gpu")
                .withNewExactly().withDeviceClassName("gpu.nvidia.com").withCount(1L).endExactly()
                .endRequest().endDevices().endSpec()
                .build();
    }

    /** Claim i holds device i (node i / gpus, gpu i % gpus): every allocated claim a different device. */
    private io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimStatus allocation(int device) {
        return new ResourceClaimStatusBuilder().withNewAllocation().withNewDevices().addNewResult()
                .withRequest("gpu").withDriver("gpu.nvidia.com").withPool(nodeName(device / gpus)).withDevice("gpu-" + device % gpus)
                .endResult().endDevices().endAllocation().build();
    }

    private static Device gpu(String name, String product) {
        return new DeviceBuilder().withName(name)
                .withAttributes(Map.of("type", new DeviceAttributeBuilder().withString("gpu").build(),
                        "productName", new DeviceAttributeBuilder().withString(product).build(),
                        "uuid", new DeviceAttributeBuilder().withString("GPU-" + name).build()))
                .withCapacity(Map.of("memory", new DeviceCapacityBuilder().withValue(new Quantity("80Gi")).build()))
                .build();
    }

    private static String nodeName(int index) {
        return String.format(Locale.ROOT, "gpu-node-%04d", index);
    }

    private static void create(KubernetesClient client, HasMetadata object) {
        client.resource(object).create();
    }

    private static double sum(PrometheusMeterRegistry registry, String name) {
        return registry.find(name).gauges().stream().mapToDouble(Gauge::value).sum();
    }

    private static void await(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + limit);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** With -Dbench.histogram=true: the heap's biggest classes, to see what the retained heap is made of. */
    private static void histogram(String when) throws Exception {
        if (!Boolean.getBoolean("bench.histogram")) {
            return;
        }
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String histogram = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("heap histogram " + when + ":\n" + histogram.lines().limit(25).reduce("", (a, b) -> a + b + "\n"));
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private void report(double populate, double firstComplete, double informersSynced, long heapBefore, long heapAfter, List<Double> reflect,
                        double burst, List<Double> compute, List<Double> render, long series, int bytes) throws Exception {
        String free = new String(new ProcessBuilder("free", "-g").redirectErrorStream(true).start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).stripTrailing();
        StringBuilder out = new StringBuilder();
        out.append("## Controller\n\n");
        out.append(String.format(Locale.ROOT, "%d nodes x %d GPUs (%d devices in %d ResourceSlices), %d ResourceClaims in %d namespaces "
                        + "(%d allocated, one device each; the rest pending), resource.k8s.io/v1.%n%n",
                nodes, gpus, nodes * gpus, nodes, claims, NAMESPACES, Math.min(claims, nodes * gpus * 7 / 8)));
        out.append(real
                ? "Source: the real control plane (kube-apiserver and etcd of tools/k8s/build.sh, in processes of their own, over "
                        + "HTTPS); the controller's real informers, ControllerRuntime"
                : "Source: the fabric8 mock API server (CRUD mode) in the same JVM, over HTTP; the controller's real informers, "
                + "ControllerRuntime with production settings (recompute at most once per second, 50 ms quiet period), "
                + "one replica without leader election.\n\n");
        out.append("| measure | value |\n|---|---|\n");
        out.append(String.format(Locale.ROOT, "| time to first complete metrics (start to every gauge right) | %.2f s |%n", firstComplete));
        out.append(String.format(Locale.ROOT, "| of which the informers' first lists (start to synced) | %.2f s |%n", informersSynced));
        out.append(String.format(Locale.ROOT, "| time to reflect one claim change, median / p95 / max of %d | %.0f / %.0f / %.0f ms |%n",
                reflect.size(), percentile(reflect, 0.5), percentile(reflect, 0.95), percentile(reflect, 1.0)));
        out.append(String.format(Locale.ROOT, "| of which the API server answering the status update, median / max | %.0f / %.0f ms |%n",
                percentile(apiCalls, 0.5), percentile(apiCalls, 1.0)));
        out.append(String.format(Locale.ROOT, "| same, a change right after a recompute (waits out the 1 s interval) | %.0f ms |%n", burst));
        out.append(String.format(Locale.ROOT, "| one full recomputation (AllocationModel.compute), median of 20 | %.1f ms |%n",
                percentile(compute, 0.5)));
        out.append(String.format(Locale.ROOT, "| heap retained by the controller (used heap after full GC, with it running minus before it started) | %.1f MiB |%n",
                (heapAfter - heapBefore) / 1048576.0));
        out.append(String.format(Locale.ROOT, "| render /q/metrics text (registry scrape), median / max of 20 | %.1f / %.1f ms |%n",
                percentile(render, 0.5), percentile(render, 1.0)));
        out.append(String.format(Locale.ROOT, "| metrics text size / samples (this registry only: controller series) | %d KiB / %d |%n",
                bytes / 1024, series));
        out.append(String.format(Locale.ROOT, "| (creating the objects, not part of the controller) | %.1f s |%n%n", populate));
        out.append("Machine: `nproc` ").append(Runtime.getRuntime().availableProcessors()).append(", max heap ")
                .append(Runtime.getRuntime().maxMemory() / 1048576).append(" MiB; JDK ").append(System.getProperty("java.vm.vendor"))
                .append(' ').append(Runtime.version()).append("; date ").append(LocalDate.now()).append(".\n\n");
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        out.append("The 2 cores are shared with other builds: /proc/loadavg at the start was `").append(loadAtStart)
                .append("`, at the end `").append(load).append("`.\n\n");
        out.append("```\n$ free -g\n").append(free).append("\n```\n");
        System.out.println(out);
    }
}
