package io.alauda.dra.bench.plugin;

import io.alauda.dra.embedded.EmbeddedApiServer;
import io.alauda.dra.embedded.OperatorProcess;
import io.alauda.dra.metrics.PrometheusText;
import io.alauda.dra.testing.StubCdiHook;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kubelet-plugin process benchmark (not a test): the production jar in the kubelet-plugin role, with the JVM options
 * the image ships, against the embedded API server, answering NVML from the two-H100 recording committed under
 * src/test/resources/nvml/captures. Prints the time from process start to the node's ResourceSlice being published
 * and the process's resident memory once it has settled.
 */
public final class PluginProcessBenchmark {

    /** What src/main/docker/Dockerfile.jvm gives the JVM (run-java.sh adds the heap ratio from the container limit). */
    static final List<String> SHIPPED_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError",
            "--enable-native-access=ALL-UNNAMED");
    private static final int RUNS = Integer.getInteger("runs", 5);
    /** {@code -Dtimeline=true}: where the start-up goes, from the plugin's own log lines. */
    private static final boolean TIMELINE = Boolean.getBoolean("timeline");
    static final String RECORDING = "src/test/resources/nvml/captures/h100-x2/discover-recording.json";

    private PluginProcessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("machine: %d cores, JDK %s, %s; JVM options %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), LocalDate.now(), String.join(" ", SHIPPED_JVM_OPTIONS));
        String variants = System.getProperty("variants");
        if (variants != null) {
            compareVariants(variants);
            System.exit(0);
        }
        // The default install sets no memory limit, so the operator gives the container JDK_JAVA_OPTIONS; take it from the
        // DaemonSet the operator builds for the default CR.
        Map<String, String> defaultEnv = defaultInstallJdkOptions(null);
        long[] startToPublished = new long[RUNS];
        for (int run = 0; run < RUNS; run++) {
            startToPublished[run] = runOnce(List.of(), defaultEnv, false);
        }
        java.util.Arrays.sort(startToPublished);
        System.out.printf("process start to ResourceSlice published, ms over %d runs: min %d, median %d, max %d%n",
                RUNS, startToPublished[0], startToPublished[RUNS / 2], startToPublished[RUNS - 1]);
        System.out.print("memory 10 s after publishing, default install (no limit, " + defaultEnv + "): ");
        runOnce(List.of(), defaultEnv, true);
        Map<String, String> limitedEnv = defaultInstallJdkOptions("256Mi");
        System.out.print("memory 10 s after publishing, under a 256 MiB container limit (-XX:MaxRAM=256m for the limit, "
                + limitedEnv + "): ");
        runOnce(List.of("-XX:MaxRAM=256m"), limitedEnv, true);
        // What the cap avoids: without a limit the JVM sizes its heap from the node's memory.
        System.out.print("memory 10 s after publishing, no limit and no cap on a 1 TiB node (-XX:MaxRAM=1t): ");
        runOnce(List.of("-XX:MaxRAM=1t"), Map.of(), true);
        // the mock server's and the Kubernetes client's executor threads are not daemons: without this the JVM stays up
        System.exit(0);
    }

    /** @return milliseconds from process start to the slice being listed */
    private static long runOnce(List<String> extraJvmOptions, Map<String, String> extraEnv, boolean reportMemory) throws Exception {
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            KubernetesClient client = server.client();
            server.node("gpu-node", Map.of("nvidia-device-enable", "pgpu-dra"));
            Path dir = Files.createTempDirectory("pb");
            int httpPort = OperatorProcess.freePort();
            long start = System.nanoTime();
            Process plugin = start(server.url(), dir, httpPort, extraJvmOptions, extraEnv);
            try {
                while (client.dynamicResourceAllocation().v1().resourcesSlices().list().getItems().isEmpty()) {
                    if (!plugin.isAlive()) {
                        throw new IllegalStateException("the plugin exited with " + plugin.exitValue() + "; see " + dir.resolve("plugin.log"));
                    }
                    Thread.sleep(20);
                }
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (TIMELINE) {
                    System.out.println("  timeline: " + timeline(plugin, dir.resolve("plugin.log")));
                }
                if (reportMemory) {
                    Thread.sleep(10_000); // let start-up garbage be collected before reading the resident set
                    Map<String, Double> jvm = jvmMemory(httpPort);
                    System.out.printf("resident %d MiB; heap used %.0f MiB of %.0f MiB committed; non-heap used %.0f MiB%n",
                            rss(plugin.pid()) / 1024, jvm.get("heap_used") / MIB, jvm.get("heap_committed") / MIB, jvm.get("nonheap_used") / MIB);
                    if (extraJvmOptions.contains("-XX:NativeMemoryTracking=summary")) {
                        System.out.println("  NMT committed: " + nmtSummary(plugin.pid()));
                    }
                }
                return elapsed;
            } finally {
                plugin.destroy();
                plugin.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Milliseconds from the process's start to the first line of each start-up step in its log: the JVM and Quarkus's
     * class loading until logging is up, Quarkus's own start, the plugin role's NVML and API work, the slice.
     */
    private static String timeline(Process plugin, Path log) throws Exception {
        java.time.Instant started = plugin.info().startInstant().orElseThrow();
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS")
                .withZone(java.time.ZoneId.systemDefault());
        Map<String, String> steps = new java.util.LinkedHashMap<>();
        steps.put("first log line", "");
        steps.put("kubelet-plugin role starts", "(kubelet-plugin-start)");
        steps.put("Quarkus started", "started in");
        steps.put("sockets served", "kubelet plugin gpu.nvidia.com ready");
        steps.put("slice published", "published ");
        StringBuilder out = new StringBuilder();
        List<String> lines = Files.readAllLines(log).stream().filter(l -> l.matches("^\\d{4}-\\d\\d-\\d\\d .*")).toList();
        for (Map.Entry<String, String> step : steps.entrySet()) {
            lines.stream().filter(l -> l.contains(step.getValue())).findFirst().ifPresent(line -> {
                java.time.Instant at = java.time.ZonedDateTime.parse(line.substring(0, 23), format).toInstant();
                out.append(step.getKey()).append(' ').append(java.time.Duration.between(started, at).toMillis()).append(" ms; ");
            });
        }
        return out.toString();
    }

    static final double MIB = 1024 * 1024;

    /**
     * {@code -Dvariants="name: -XX:Flag ... [ENV=value ...]; name2: ..."}: each variant's resident memory on top of
     * the default install's options, with Native Memory Tracking's committed totals by area, to find what holds
     * memory. Arguments with '=' and no leading '-' are environment variables (e.g. MALLOC_ARENA_MAX=2).
     */
    private static void compareVariants(String variants) throws Exception {
        Map<String, String> defaultEnv = defaultInstallJdkOptions(null);
        for (String variant : variants.split(";")) {
            String[] nameAndArgs = variant.split(":", 2);
            List<String> flags = new ArrayList<>(List.of("-XX:NativeMemoryTracking=summary"));
            Map<String, String> env = new java.util.HashMap<>(defaultEnv);
            for (String arg : nameAndArgs.length > 1 ? nameAndArgs[1].trim().split("\\s+") : new String[0]) {
                if (arg.isEmpty()) {
                    continue;
                }
                if (!arg.startsWith("-") && arg.contains("=")) {
                    env.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
                } else {
                    flags.add(arg);
                }
            }
            System.out.printf("%n== %s: %s %s%n", nameAndArgs[0].trim(), flags, env);
            System.out.printf("process start to ResourceSlice published: %d ms%n", runOnce(flags, env, true));
        }
    }

    /** Native Memory Tracking's committed size per area, from jcmd. */
    static String nmtSummary(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "VM.native_memory", "summary", "scale=MB").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        StringBuilder areas = new StringBuilder();
        for (String line : out.lines().toList()) {
            var m = java.util.regex.Pattern.compile("^\\s*(?:-\\s*)?([A-Za-z][A-Za-z .]*?) \\(reserved=\\d+MB, committed=(\\d+)MB\\)").matcher(line);
            if (m.find() && !m.group(2).equals("0")) {
                areas.append(m.group(1).trim()).append(' ').append(m.group(2)).append(" MiB; ");
            }
        }
        return areas.toString();
    }

    /** Sums of the plugin's own jvm_memory_* gauges from its /q/metrics. */
    static Map<String, Double> jvmMemory(int httpPort) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + httpPort + "/q/metrics"))
                .header("Accept", "text/plain;version=0.0.4").build();
        PrometheusText text = new PrometheusText(java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        return Map.of("heap_used", sum(text, "jvm_memory_used_bytes", true),
                "heap_committed", sum(text, "jvm_memory_committed_bytes", true),
                "nonheap_used", sum(text, "jvm_memory_used_bytes", false));
    }

    private static double sum(PrometheusText text, String metric, boolean heap) {
        return text.series(metric).stream().filter(series -> series.contains("area=\"heap\"") == heap).mapToDouble(text::value).sum();
    }

    /** @param memoryLimit the plugin's memory limit in the CR, or null for the default (none) */
    static Map<String, String> defaultInstallJdkOptions(String memoryLimit) {
        var driver = io.alauda.dra.testing.TestDrivers.withDefaults("default");
        if (memoryLimit != null) {
            driver.getSpec().kubeletPlugin.resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                    .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity(memoryLimit)).build();
        }
        var ctx = new io.alauda.dra.operator.resources.InstallContext(driver, "unused", "v1", false);
        return io.alauda.dra.operator.resources.KubeletPluginDaemonSet.desired(ctx).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().stream().filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
                .collect(java.util.stream.Collectors.toMap(e -> e.getName(), e -> e.getValue()));
    }

    static Process start(String apiServer, Path dir, int httpPort, List<String> extraJvmOptions, Map<String, String> extraEnv)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(SHIPPED_JVM_OPTIONS);
        command.addAll(extraJvmOptions);
        command.addAll(List.of("-jar", OperatorProcess.JAR.toString(), "kubelet-plugin"));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServer);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("HEALTHCHECK_PORT", Integer.toString(OperatorProcess.freePort()));
        env.put("NODE_NAME", "gpu-node");
        env.put("NVML_RECORDING", Path.of(RECORDING).toAbsolutePath().toString());
        env.put("SLICE_LIST_SCOPE", "client-side");
        env.put("IMAGE_CDI_HOOK", StubCdiHook.create(dir.resolve("image")).toString());
        env.put("RESOURCE_API_VERSION", "v1");
        env.put("DRIVER_ROOT_CTR_PATH", Files.createDirectories(dir.resolve("driver-root")).toString());
        env.put("CDI_ROOT", dir.resolve("cdi").toString());
        env.put("KUBELET_PLUGINS_DIRECTORY_PATH", dir.resolve("plugins").toString());
        env.put("KUBELET_REGISTRAR_DIRECTORY_PATH", dir.resolve("registry").toString());
        env.putAll(extraEnv);
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("plugin.log").toFile());
        return pb.start();
    }

    static long rss(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

}
