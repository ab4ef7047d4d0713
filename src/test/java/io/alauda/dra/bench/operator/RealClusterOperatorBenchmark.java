package io.alauda.dra.bench.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.operator.resources.DesiredState;
import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.operator.resources.Names;
import io.alauda.dra.realcluster.AuditEvent;
import io.alauda.dra.realcluster.ChildProcess;
import io.alauda.dra.realcluster.ControlPlane;
import io.alauda.dra.realcluster.FakeKubelet;
import io.alauda.dra.realcluster.FakeNodes;
import io.alauda.dra.realcluster.K8sBinaries;
import io.alauda.dra.realcluster.Manifests;
import io.alauda.dra.realcluster.RoleProcess;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Operator benchmark on the real control plane (not a test): the packaged operator as its ServiceAccount against
 * kube-apiserver 1.34 with the real DaemonSet and Deployment controllers (pods marked Ready by the stand-in kubelet).
 * Prints the time from creating the CR to every desired object existing, and what the operator sends while it has
 * nothing to do, counted from the API server's audit log: with the shipped resync and with a 1 s resync. The mock
 * figures of {@link OperatorBenchmark} stand beside these in docs/benchmarks.md.
 */
public final class RealClusterOperatorBenchmark {

    private static final int RUNS = Integer.getInteger("runs", 5);
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(Long.getLong("idleSeconds", 60));
    /** Which idle scenarios to run: idle (shipped resync), warning (a standing warning), fast (1 s resync). */
    private static final List<String> SCENARIOS = List.of(System.getProperty("scenarios", "idle,warning,fast").split(","));
    private static final String OPERATOR = Names.serviceAccountUser("nvidia-dra-driver-operator", "nvidia-dra-driver-operator");

    private RealClusterOperatorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        K8sBinaries binaries = K8sBinaries.resolve();
        System.out.printf("machine: %d cores, JDK %s, %s; Kubernetes %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), LocalDate.now(), binaries.dir().getFileName());
        Path dir = Files.createTempDirectory("bench-operator-real");
        try (ControlPlane plane = ControlPlane.start(binaries, dir)) {
            KubernetesClient admin = plane.admin();
            new FakeNodes(admin).create("gpu-1", Map.of("nvidia-device-enable", "pgpu-dra"));
            Manifests.apply(admin, Manifests.INSTALL);
            try (FakeKubelet kubelet = new FakeKubelet(admin, "kube-system", p -> p.getMetadata().getName().startsWith(Names.PREFIX), p -> { })) {
                if (RUNS > 0) {
                    measureInstall(plane, admin);
                }
                if (SCENARIOS.contains("idle")) {
                    measureIdle(plane, admin, Map.of(), Map.of(), "shipped resync");
                }
                if (SCENARIOS.contains("warning")) {
                    // Accepted but not implemented: a FeatureGateNotImplemented warning that stands as long as the spec does.
                    measureIdle(plane, admin, Map.of(), Map.of("PassthroughSupport", true), "standing warning (FeatureGateNotImplemented)");
                }
                if (SCENARIOS.contains("fast")) {
                    measureIdle(plane, admin, Map.of("DRA_OPERATOR_RESYNC", "1s"), Map.of(), "1 s resync");
                }
            }
        }
        System.exit(0);
    }

    private static void measureInstall(ControlPlane plane, KubernetesClient admin) throws Exception {
        long[] createToInstalled = new long[RUNS];
        ChildProcess operator = startOperator(plane, Map.of());
        try {
            for (int run = 0; run < RUNS; run++) {
                NvidiaDraDriver driver = Serialization.unmarshal(Files.readString(Manifests.SAMPLE), NvidiaDraDriver.class);
                long start = System.nanoTime();
                admin.resource(driver).create();
                List<HasMetadata> wanted = DesiredState.build(new InstallContext(
                        admin.resources(NvidiaDraDriver.class).withName("default").get(), "unused", "v1", false));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> wanted.stream().allMatch(o -> admin.resource(o).get() != null));
                createToInstalled[run] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                admin.resources(NvidiaDraDriver.class).withName("default").delete();
                await().atMost(Duration.ofMinutes(2)).until(() -> admin.resources(NvidiaDraDriver.class).withName("default").get() == null);
            }
        } finally {
            operator.stop(10);
        }
        Arrays.sort(createToInstalled);
        System.out.printf("create-to-installed ms over %d runs: min %d, median %d, max %d (real API server)%n",
                RUNS, createToInstalled[0], createToInstalled[RUNS / 2], createToInstalled[RUNS - 1]);
    }

    private static void measureIdle(ControlPlane plane, KubernetesClient admin, Map<String, String> env, Map<String, Boolean> featureGates,
            String label) throws Exception {
        ChildProcess operator = startOperator(plane, env);
        try {
            NvidiaDraDriver driver = Serialization.unmarshal(Files.readString(Manifests.SAMPLE), NvidiaDraDriver.class);
            if (!featureGates.isEmpty()) {
                driver.getSpec().featureGates = featureGates;
            }
            admin.resource(driver).create();
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                NvidiaDraDriver d = admin.resources(NvidiaDraDriver.class).withName("default").get();
                return d.getStatus() != null && d.getStatus().conditions.stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))
                        && (featureGates.isEmpty() || Serialization.asJson(d.getStatus()).contains("FeatureGateNotImplemented"));
            });
            int before = plane.auditEventsOf(OPERATOR).size();
            long start = System.nanoTime();
            await().pollDelay(IDLE_WINDOW).atMost(IDLE_WINDOW.plusSeconds(5)).until(operator::isAlive);
            double minutes = (System.nanoTime() - start) / 60e9;
            List<AuditEvent> window = plane.auditEventsOf(OPERATOR);
            window = window.subList(before, window.size());
            List<AuditEvent> leases = window.stream().filter(AuditEvent::isLease).toList();
            List<AuditEvent> others = window.stream().filter(e -> !e.isLease()).toList();
            long writes = others.stream().filter(AuditEvent::isWrite).count();
            System.out.printf("idle, %s, %.1f min: %.1f requests/min without Leases (%.1f reads, %.1f writes), %.1f Lease requests/min%n",
                    label, minutes, others.size() / minutes, (others.size() - writes) / minutes, writes / minutes, leases.size() / minutes);
            System.out.println("  by request: " + others.stream().collect(Collectors.groupingBy(
                    e -> e.verb() + " " + e.resource(), java.util.TreeMap::new, Collectors.counting())));
            admin.resources(NvidiaDraDriver.class).withName("default").delete();
            await().atMost(Duration.ofMinutes(2)).until(() -> admin.resources(NvidiaDraDriver.class).withName("default").get() == null);
        } finally {
            operator.stop(10);
        }
    }

    private static ChildProcess startOperator(ControlPlane plane, Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("RELATED_IMAGE_NVIDIA_DRA_DRIVER", "ghcr.io/alauda/nvidia-dra-driver:bench");
        return RoleProcess.start("operator-bench", "operator",
                plane.serviceAccountKubeconfig("nvidia-dra-driver-operator", "nvidia-dra-driver-operator", null), all,
                plane.dir().resolve("logs"));
    }
}
