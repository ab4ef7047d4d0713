package io.alauda.dra.bench.plugin;

import io.alauda.dra.embedded.EmbeddedApiServer;
import io.alauda.dra.embedded.OperatorProcess;
import io.alauda.dra.plugin.grpc.KubeletPluginPaths;
import io.alauda.dra.plugin.grpc.UdsChannels;
import io.alauda.dra.plugin.proto.drav1.Claim;
import io.alauda.dra.plugin.proto.drav1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesResponse;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourcesRequest;
import io.alauda.dra.realcluster.StubDriverRoot;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kubelet-plugin memory under use (not a test): the production jar in the kubelet-plugin role with the default
 * install's JVM options, answering NVML from the two-H100 recording, driven through its real DRA socket like a
 * kubelet: 1,000 prepare/unprepare pairs of fresh claims and 100 bad requests, then another 1,000 pairs. Prints the
 * resident memory after start and after each phase, each read after the same settling pause, so growth shows as a
 * rising series.
 *
 * <p>{@code make bench-plugin-soak}; {@code -Dpairs=N} changes the pairs per phase; {@code -Dnmt=true} adds Native
 * Memory Tracking and prints its committed areas at each reading.
 */
public final class PluginSoakBenchmark {

    private static final String NODE = "gpu-node";
    private static final int PAIRS = Integer.getInteger("pairs", 1000);
    private static final int BAD = 100;
    private static final long SETTLE_MS = 10_000;
    private static final boolean NMT = Boolean.getBoolean("nmt");

    private PluginSoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = PluginProcessBenchmark.defaultInstallJdkOptions(null);
        System.out.printf("machine: %d cores, JDK %s, %s; JVM options %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), LocalDate.now(), String.join(" ", PluginProcessBenchmark.SHIPPED_JVM_OPTIONS), env);
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            KubernetesClient client = server.client();
            server.node(NODE, Map.of("nvidia-device-enable", "pgpu-dra"));
            Path dir = Files.createTempDirectory("soak");
            int httpPort = OperatorProcess.freePort();
            // Prepares write CDI specs naming the GPUs' device nodes: a driver root with real ones (mknod, so root).
            Map<String, String> pluginEnv = new java.util.HashMap<>(env);
            pluginEnv.put("DRIVER_ROOT_CTR_PATH", StubDriverRoot.create(dir.resolve("stub-driver-root"),
                    Path.of(PluginProcessBenchmark.RECORDING).toAbsolutePath()).toString());
            List<String> extra = new java.util.ArrayList<>(NMT ? List.of("-XX:NativeMemoryTracking=summary") : List.of());
            // e.g. -Dplugin.jvm.extra=-XX:StartFlightRecording=filename=/tmp/plugin.jfr,settings=profile to see where a
            // prepare's time goes inside the packaged plugin
            String more = System.getProperty("plugin.jvm.extra", "");
            if (!more.isBlank()) {
                extra.addAll(List.of(more.trim().split("\\s+")));
            }
            Process plugin = PluginProcessBenchmark.start(server.url(), dir, httpPort, extra, pluginEnv);
            try {
                while (client.dynamicResourceAllocation().v1().resourcesSlices().list().getItems().isEmpty()) {
                    if (!plugin.isAlive()) {
                        throw new IllegalStateException("the plugin exited with " + plugin.exitValue() + "; see " + dir.resolve("plugin.log"));
                    }
                    Thread.sleep(20);
                }
                report("after start", plugin, httpPort);
                ManagedChannel channel = UdsChannels.open(new KubeletPluginPaths(dir.resolve("plugins"), dir.resolve("registry")).draSocket(), group);
                try {
                    DRAPluginGrpc.DRAPluginBlockingStub kubelet = DRAPluginGrpc.newBlockingStub(channel);
                    int[] seq = {0};
                    pairs(client, kubelet, seq);
                    badRequests(client, kubelet);
                    report("after " + PAIRS + " prepare/unprepare pairs and " + BAD + " bad requests", plugin, httpPort);
                    List<Long> warm = pairs(client, kubelet, seq);
                    report("after " + PAIRS + " more pairs", plugin, httpPort);
                    latency("NodePrepareResources, one claim, client side, the second " + PAIRS + " pairs", warm);
                } finally {
                    channel.shutdownNow();
                }
            } finally {
                plugin.destroy();
                plugin.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    /** @return each fresh prepare's time, client side (the packaged plugin, shipped flags, real socket) */
    private static List<Long> pairs(KubernetesClient client, DRAPluginGrpc.DRAPluginBlockingStub kubelet, int[] seq) {
        List<Long> prepares = new java.util.ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            Claim claim = PrepareLatencyBench.wire(PrepareLatencyBench.create(client, "soak-" + seq[0]++, "gpu-" + (i % 2), NODE));
            long start = System.nanoTime();
            NodePrepareResourcesResponse response = kubelet.withDeadlineAfter(60, TimeUnit.SECONDS)
                    .nodePrepareResources(NodePrepareResourcesRequest.newBuilder().addClaims(claim).build());
            prepares.add(System.nanoTime() - start);
            String error = response.getClaimsOrThrow(claim.getUid()).getError();
            if (!error.isEmpty()) {
                throw new IllegalStateException("claim " + claim.getName() + " failed: " + error);
            }
            kubelet.withDeadlineAfter(60, TimeUnit.SECONDS)
                    .nodeUnprepareResources(NodeUnprepareResourcesRequest.newBuilder().addClaims(claim).build());
            // As a pod's template claim goes with it; the mock's GET scans every stored object (PrepareLatencyBench).
            client.resources(ResourceClaim.class).inNamespace(claim.getNamespace()).withName(claim.getName()).delete();
        }
        return prepares;
    }

    private static void latency(String what, List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d%n", what,
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6, sorted.size());
    }

    /** Requests a kubelet should never send, five kinds in turn; each must get a per-claim error, not end the plugin. */
    private static void badRequests(KubernetesClient client, DRAPluginGrpc.DRAPluginBlockingStub kubelet) {
        ResourceClaim otherNode = PrepareLatencyBench.create(client, "soak-other-node", "gpu-0", "another-node");
        for (int i = 0; i < BAD; i++) {
            Claim bad = switch (i % 5) {
                case 0 -> Claim.newBuilder().setNamespace("bench").setName("soak-missing-" + i).setUid("uid-" + i).build();
                case 1 -> PrepareLatencyBench.wire(otherNode).toBuilder().setUid("not-its-uid-" + i).build();
                case 2 -> PrepareLatencyBench.wire(otherNode);
                case 3 -> Claim.newBuilder().setNamespace("../../etc").setName("passwd").setUid("../" + i).build();
                default -> Claim.newBuilder().setNamespace("").setName("").setUid("").build();
            };
            try {
                NodePrepareResourcesResponse response = kubelet.withDeadlineAfter(60, TimeUnit.SECONDS)
                        .nodePrepareResources(NodePrepareResourcesRequest.newBuilder().addClaims(bad).build());
                if (response.getClaimsMap().values().stream().allMatch(r -> r.getError().isEmpty())) {
                    throw new IllegalStateException("bad request " + bad + " was answered without an error");
                }
            } catch (io.grpc.StatusRuntimeException refused) {
                // INVALID_ARGUMENT for a request that names nothing: also an answer, and the plugin stays up
            }
        }
    }

    private static void report(String when, Process plugin, int httpPort) throws Exception {
        Thread.sleep(SETTLE_MS);
        Map<String, Double> jvm = PluginProcessBenchmark.jvmMemory(httpPort);
        System.out.printf("%s: resident %d MiB; heap used %.0f MiB of %.0f MiB committed; non-heap used %.0f MiB%n", when,
                PluginProcessBenchmark.rss(plugin.pid()) / 1024, jvm.get("heap_used") / PluginProcessBenchmark.MIB,
                jvm.get("heap_committed") / PluginProcessBenchmark.MIB, jvm.get("nonheap_used") / PluginProcessBenchmark.MIB);
        if (NMT) {
            System.out.println("  NMT committed: " + PluginProcessBenchmark.nmtSummary(plugin.pid()));
        }
    }
}
