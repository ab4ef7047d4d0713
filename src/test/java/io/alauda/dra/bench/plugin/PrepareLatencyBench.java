package io.alauda.dra.bench.plugin;

import io.alauda.dra.cdi.ClaimSpecBuilder;
import io.alauda.dra.cdi.ClaimSpecStore;
import io.alauda.dra.cdi.DeviceNodeInfo;
import io.alauda.dra.cdi.DeviceNodeSource;
import io.alauda.dra.cdi.DriverFileDiscovery;
import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.device.GpuInfo;
import io.alauda.dra.device.NodeInventory;
import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.BootIdSource;
import io.alauda.dra.plugin.checkpoint.CheckpointRecoveryListener;
import io.alauda.dra.plugin.checkpoint.CheckpointStore;
import io.alauda.dra.plugin.grpc.KubeletPluginPaths;
import io.alauda.dra.plugin.grpc.KubeletPluginServers;
import io.alauda.dra.plugin.grpc.UdsChannels;
import io.alauda.dra.plugin.prepare.ClaimPreparer;
import io.alauda.dra.plugin.prepare.PrepareObserver;
import io.alauda.dra.plugin.prepare.PreparerSettings;
import io.alauda.dra.plugin.prepare.ResourceClaimFetcher;
import io.alauda.dra.plugin.proto.drav1.Claim;
import io.alauda.dra.plugin.proto.drav1.DRAPluginGrpc;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesRequest;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourcesResponse;
import io.alauda.dra.plugin.proto.drav1.NodeUnprepareResourcesRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.grpc.ManagedChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NodePrepareResources latency through the real DRA Unix socket, against the fabric8 mock API server (CRUD mode,
 * HTTPS) and a fake driver root in a temporary directory. Not a test: run it by hand and read the numbers.
 *
 * <pre>
 * mvn -B -q -o test-compile
 * mvn -B -q -o org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.alauda.dra.bench.plugin.PrepareLatencyBench [-Dexec.args="--rounds 5"]
 * </pre>
 *
 * <p>Scenarios: one claim at a time (fresh prepare, repeated prepare, unprepare), then rounds of 100 claims sent as
 * 100 concurrent NodePrepareResources calls (one per pod, as kubelet does). A breakdown times the steps alone (the
 * API GET, the CDI spec build+write, one checkpoint write) to show what dominates.
 */
public final class PrepareLatencyBench {

    private static final String NODE = "bench-node";
    private static final String DRIVER_VERSION = "580.159.04";
    private static final int GPUS = 128;
    private static final int CONCURRENT = 100;

    private PrepareLatencyBench() {
    }

    public static void main(String[] args) {
        // The mock server leaves non-daemon Vert.x threads behind, which would keep exec:java waiting forever.
        try {
            run(args);
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        int rounds = args.length == 2 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 5;
        int single = 300;
        int warmup = 100;
        Path tmp = Files.createTempDirectory("prepare-bench");
        // Every prepare logs at INFO and the mock server logs every request; that is noise here (and costs time).
        java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler handler : root.getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                new MockWebServer(), new HashMap<>(), new KubernetesMixedDispatcher(new HashMap<>()), true);
        server.init();
        KubernetesClient client = server.createClient();
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        try {
            List<AllocatableDevice> devices = DeviceModel.devices(inventory());
            ClaimSpecBuilder builder = specBuilder(tmp);
            ClaimSpecStore specs = new ClaimSpecStore(tmp.resolve("cdi"));
            KubeletPluginPaths paths = new KubeletPluginPaths(tmp.resolve("plugins"), tmp.resolve("registry"));
            ResourceClaimFetcher fetcher = new ResourceClaimFetcher(client, List.of("v1"));
            ClaimPreparer preparer = ClaimPreparer.open(new PreparerSettings(NODE, devices, builder, specs,
                    paths.checkpointFile(), BootIdSource.fixed("bench")), fetcher, PrepareObserver.NONE);
            try (KubeletPluginServers servers = KubeletPluginServers.start(paths, preparer)) {
                ManagedChannel channel = UdsChannels.open(paths.draSocket(), group);
                DRAPluginGrpc.DRAPluginBlockingStub kubelet = DRAPluginGrpc.newBlockingStub(channel);
                header(tmp, rounds);

                int[] seq = {0};
                Samples fresh = new Samples();
                Samples repeat = new Samples();
                Samples unprepare = new Samples();
                for (int i = 0; i < warmup + single; i++) {
                    Claim claim = wire(create(client, "single-" + seq[0]++, "gpu-" + (i % GPUS)));
                    long t0 = System.nanoTime();
                    check(prepare(kubelet, claim));
                    long t1 = System.nanoTime();
                    check(prepare(kubelet, claim));
                    long t2 = System.nanoTime();
                    kubelet.withDeadlineAfter(60, TimeUnit.SECONDS).nodeUnprepareResources(
                            NodeUnprepareResourcesRequest.newBuilder().addClaims(claim).build());
                    long t3 = System.nanoTime();
                    delete(client, claim);
                    if (i >= warmup) {
                        fresh.add(t1 - t0);
                        repeat.add(t2 - t1);
                        unprepare.add(t3 - t2);
                    }
                }
                System.out.println("one claim at a time (" + single + " calls after " + warmup + " warm-up):");
                System.out.println("  NodePrepareResources, first time  " + fresh.summary());
                System.out.println("  NodePrepareResources, repeated    " + repeat.summary());
                System.out.println("  NodeUnprepareResources            " + unprepare.summary());

                Samples concurrent = new Samples();
                Samples wall = new Samples();
                for (int round = 0; round < rounds + 1; round++) {
                    List<Claim> claims = new ArrayList<>();
                    for (int i = 0; i < CONCURRENT; i++) {
                        claims.add(wire(create(client, "burst-" + seq[0]++, "gpu-" + i)));
                    }
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Long>> calls = new ArrayList<>();
                    for (Claim claim : claims) {
                        calls.add(pool.submit(timed(start, () -> check(prepare(kubelet, claim)))));
                    }
                    long t0 = System.nanoTime();
                    start.countDown();
                    List<Long> took = new ArrayList<>();
                    for (Future<Long> call : calls) {
                        took.add(call.get(120, TimeUnit.SECONDS));
                    }
                    long elapsed = System.nanoTime() - t0;
                    if (round > 0) {
                        took.forEach(concurrent::add);
                        wall.add(elapsed);
                    }
                    NodeUnprepareResourcesRequest.Builder all = NodeUnprepareResourcesRequest.newBuilder();
                    claims.forEach(all::addClaims);
                    kubelet.withDeadlineAfter(120, TimeUnit.SECONDS).nodeUnprepareResources(all.build());
                    claims.forEach(claim -> delete(client, claim));
                }
                System.out.println(CONCURRENT + " concurrent NodePrepareResources calls, one claim each (" + rounds
                        + " rounds after 1 warm-up):");
                System.out.println("  per call                          " + concurrent.summary());
                System.out.println("  whole burst (first sent to last answered) " + wall.summary());

                breakdown(client, fetcher, builder, devices, tmp);
                channel.shutdownNow();
            }
        } finally {
            pool.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            client.close();
            server.destroy();
        }
    }

    /** Each step alone, in process, to see what dominates a fresh prepare. */
    private static void breakdown(KubernetesClient client, ResourceClaimFetcher fetcher, ClaimSpecBuilder builder,
                                  List<AllocatableDevice> devices, Path tmp) throws Exception {
        ResourceClaimRef ref = ref(create(client, "breakdown", "gpu-0"));
        ClaimSpecStore specs = new ClaimSpecStore(tmp.resolve("cdi-breakdown"));
        CheckpointStore checkpoint = new CheckpointStore(tmp.resolve("breakdown/checkpoint.json"),
                BootIdSource.fixed("bench"), CheckpointRecoveryListener.NONE);
        checkpoint.load();
        List<KubeletDevice> answer = List.of(new KubeletDevice(List.of("gpu"), NODE, "gpu-0",
                List.of("k8s.gpu.nvidia.com/claim=" + ref.uid() + "-gpu-0"), null));
        CheckpointStore full = new CheckpointStore(tmp.resolve("breakdown-full/checkpoint.json"),
                BootIdSource.fixed("bench"), CheckpointRecoveryListener.NONE);
        full.load();
        for (int i = 0; i < CONCURRENT; i++) {
            full.putCompleted(new ResourceClaimRef("bench", String.format("00000000-0000-4000-8000-%012d", i),
                    "c" + i), answer);
        }
        Samples get = new Samples();
        Samples build = new Samples();
        Samples cpFull = new Samples();
        Samples write = new Samples();
        Samples cp = new Samples();
        for (int i = 0; i < 400; i++) {
            long t0 = System.nanoTime();
            fetcher.fetch(ref);
            long t1 = System.nanoTime();
            var spec = builder.build(ref.uid(), List.of(devices.get(0)));
            long t2 = System.nanoTime();
            specs.write(ref.uid(), spec);
            long t3 = System.nanoTime();
            checkpoint.putStarted(ref, answer);
            long t4 = System.nanoTime();
            full.putStarted(ref, answer);
            long t5 = System.nanoTime();
            if (i >= 100) {
                get.add(t1 - t0);
                build.add(t2 - t1);
                write.add(t3 - t2);
                cp.add(t4 - t3);
                cpFull.add(t5 - t4);
            }
        }
        System.out.println("breakdown of a fresh prepare, each step alone (300 runs):");
        System.out.println("  API GET of the claim (mock, HTTPS)        " + get.summary());
        System.out.println("  CDI spec build (driver file discovery)    " + build.summary());
        System.out.println("  CDI spec write (temp, rename; no fsync)   " + write.summary());
        System.out.println("  one checkpoint write (fsync; x2/prepare) " + cp.summary());
        System.out.println("  same, with " + CONCURRENT + " other claims recorded       " + cpFull.summary());
    }

    private static void header(Path tmp, int rounds) throws IOException {
        System.out.println("NodePrepareResources benchmark, " + ZonedDateTime.now());
        System.out.println("machine: nproc=" + Runtime.getRuntime().availableProcessors() + ", " + cpuModel()
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", load average "
                + loadAverage() + " (other work on the machine skews every number)");
        System.out.println("JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        System.out.println("files: " + tmp + " on " + Files.getFileStore(tmp).type() + " (checkpoint writes"
                + " fsync here); API server: fabric8 mock, CRUD mode, HTTPS on localhost; node: " + GPUS
                + " fake GPUs");
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "cpu unknown";
        }
        return "cpu unknown";
    }

    private static NodePrepareResourcesResponse prepare(DRAPluginGrpc.DRAPluginBlockingStub kubelet, Claim claim) {
        return kubelet.withDeadlineAfter(120, TimeUnit.SECONDS)
                .nodePrepareResources(NodePrepareResourcesRequest.newBuilder().addClaims(claim).build());
    }

    private static NodePrepareResourcesResponse check(NodePrepareResourcesResponse response) {
        response.getClaimsMap().forEach((uid, r) -> {
            if (!r.getError().isEmpty()) {
                throw new IllegalStateException("claim " + uid + " failed: " + r.getError());
            }
        });
        return response;
    }

    private static Callable<Long> timed(CountDownLatch start, Runnable call) {
        return () -> {
            start.await();
            long t0 = System.nanoTime();
            call.run();
            return System.nanoTime() - t0;
        };
    }

    private static ResourceClaim create(KubernetesClient client, String name, String device) {
        return create(client, name, device, NODE);
    }

    /** A claim in namespace bench, already allocated {@code device} of {@code pool} (the node's name). */
    static ResourceClaim create(KubernetesClient client, String name, String device, String pool) {
        return client.resource(new ResourceClaimBuilder()
                .withNewMetadata().withNamespace("bench").withName(name).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withNewAllocation().withNewDevices()
                .addNewResult().withRequest("gpu").withDriver(DeviceModel.DRIVER).withPool(pool).withDevice(device)
                .endResult()
                .endDevices().endAllocation().endStatus().build()).create();
    }

    /**
     * As a pod's template claim goes with the pod. The mock answers a GET by scanning every object it stores, so
     * claims left behind would make each later GET slower, which a real API server (a key lookup) does not do.
     */
    private static void delete(KubernetesClient client, Claim claim) {
        client.resources(ResourceClaim.class).inNamespace(claim.getNamespace()).withName(claim.getName()).delete();
    }

    private static ResourceClaimRef ref(ResourceClaim claim) {
        return new ResourceClaimRef(claim.getMetadata().getNamespace(), claim.getMetadata().getUid(),
                claim.getMetadata().getName());
    }

    static Claim wire(ResourceClaim claim) {
        return Claim.newBuilder().setNamespace(claim.getMetadata().getNamespace()).setUid(claim.getMetadata().getUid())
                .setName(claim.getMetadata().getName()).build();
    }

    private static NodeInventory inventory() {
        List<GpuInfo> gpus = new ArrayList<>();
        for (int minor = 0; minor < GPUS; minor++) {
            gpus.add(new GpuInfo(minor, minor, String.format("GPU-00000000-0000-0000-0000-%012d", minor),
                    "NVIDIA H100 80GB HBM3", "Nvidia", "Hopper", "9.0", String.format("0000:%02x:00.0", minor),
                    85520809984L, null, null, false, List.of()));
        }
        return new NodeInventory(DRIVER_VERSION, 13000, gpus);
    }

    private static ClaimSpecBuilder specBuilder(Path tmp) throws IOException {
        Path root = tmp.resolve("driver");
        for (String file : List.of("lib64/libcuda.so." + DRIVER_VERSION, "lib64/libnvidia-ml.so." + DRIVER_VERSION,
                "lib64/libnvidia-ptxjitcompiler.so." + DRIVER_VERSION, "bin/nvidia-smi", "bin/nvidia-debugdump",
                "firmware/nvidia/" + DRIVER_VERSION + "/gsp_ga10x.bin")) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.writeString(root.resolve(file), file);
        }
        DriverRoots roots = new DriverRoots(root, Path.of("/usr/local/nvidia"), Path.of("/"), tmp.resolve("proc"));
        return new ClaimSpecBuilder(new DriverFileDiscovery(roots, new AnyGpuNodes()), DRIVER_VERSION,
                "/usr/local/nvidia/bin/nvidia-cdi-hook");
    }

    /** Answers for {@code /dev/nvidiactl}, {@code /dev/nvidia-uvm} and every {@code /dev/nvidia<minor>}. */
    private static final class AnyGpuNodes implements DeviceNodeSource {
        private static final Pattern GPU = Pattern.compile("/dev/nvidia(\\d+)");

        @Override
        public Optional<DeviceNodeInfo> stat(Path path) {
            String p = path.toString();
            if (p.equals("/dev/nvidiactl")) {
                return Optional.of(new DeviceNodeInfo("c", 195, 255, 0666, 0));
            }
            if (p.equals("/dev/nvidia-uvm")) {
                return Optional.of(new DeviceNodeInfo("c", 510, 0, 0666, 0));
            }
            Matcher m = GPU.matcher(p);
            return m.matches() ? Optional.of(new DeviceNodeInfo("c", 195, Long.parseLong(m.group(1)), 0666, 0))
                    : Optional.empty();
        }
    }

    /** Latencies in nanoseconds; summary in milliseconds. */
    private static final class Samples {
        private final List<Long> values = new ArrayList<>();

        synchronized void add(long nanos) {
            values.add(nanos);
        }

        synchronized String summary() {
            List<Long> sorted = new ArrayList<>(values);
            sorted.sort(null);
            return String.format("n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms", sorted.size(), ms(pct(sorted, 50)),
                    ms(pct(sorted, 99)), ms(sorted.get(sorted.size() - 1)));
        }

        /** Nearest-rank percentile. */
        private static long pct(List<Long> sorted, int p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.size());
            return sorted.get(Math.max(0, rank - 1));
        }

        private static double ms(long nanos) {
            return nanos / 1_000_000.0;
        }
    }
}
