package io.alauda.dra.realcluster;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.embedded.OperatorProcess;
import io.alauda.dra.operator.resources.Names;
import io.alauda.dra.plugin.proto.drav1.NodePrepareResourceResponse;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestAllocationResult;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * {@code make run-cluster}: the seed's flow on a real control plane, for a person to look at. etcd, kube-apiserver,
 * kube-scheduler and kube-controller-manager ({@link ControlPlane}); two stand-in GPU nodes (a Tesla P100 replay on
 * {@code 192.168.140.59}, as in the seed, and an H100 x2 capture on {@code gpu-h100}) plus a CPU node; the plain
 * install and the sample CR applied with kubectl as {@code make deploy} does; the operator (the packaged jar, as its
 * ServiceAccount) installing the driver; one kubelet-plugin process per GPU node in place of its DaemonSet pod; the
 * seed's workload applied with kubectl, allocated by the real scheduler and prepared through the P100 plugin's socket.
 * It prints what a user would look at (kubectl's own output where kubectl shows it, run with an admin kubeconfig it
 * writes), then the kubectl commands to look further, and stays up until Ctrl-C; a shutdown hook stops every process
 * it started. {@code --exit-when-ready} exits 0 once everything is printed (1 on failure), for {@link RunClusterIT}.
 *
 * <p>Nothing here is a kubelet: {@link FakeKubelet} marks the driver's and the operator's pods Running (the processes
 * this program starts stand in for their containers); the workload pod stays Pending on its node, since no container
 * runtime runs it, after this program made kubelet's prepare call for its claim.
 */
public final class RunCluster {

    private static final String OPERATOR_NAMESPACE = "nvidia-dra-driver-operator";
    private static final String DRIVER_NAMESPACE = "kube-system";
    private static final String WORKLOAD_NAMESPACE = "default";
    private static final String WORKLOAD_POD = "dra-gpu-workload";
    private static final String P100_NODE = "192.168.140.59";
    private static final String H100_NODE = "gpu-h100";
    private static final String CPU_NODE = "cpu-node";
    private static final String GPU_LABEL = "nvidia-device-enable";
    private static final Path P100 = Path.of("src/test/resources/nvml/replays/p100-x1/discover-recording.json");
    private static final Path H100 = Path.of("src/test/resources/nvml/captures/h100-x2/discover-recording.json");
    private static final String ADMIN_SERVICE_ACCOUNT = "run-cluster-admin";
    /** Generous for a 2-core machine that may be running a test suite next to this. */
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    /** What to undo, newest first; the shutdown hook (Ctrl-C, System.exit, a failure) works through it. */
    private final Deque<Runnable> cleanups = new ConcurrentLinkedDeque<>();
    private final List<PluginNode> plugins = new CopyOnWriteArrayList<>();
    private final Map<String, String> phases = new LinkedHashMap<>();
    private final long started = System.nanoTime();
    private volatile boolean shuttingDown;

    private K8sBinaries binaries;
    private ControlPlane plane;
    private KubernetesClient admin;
    private Path adminKubeconfig;
    private ChildProcess operator;

    private RunCluster() {
    }

    public static void main(String[] args) {
        boolean exitWhenReady = Arrays.asList(args).contains("--exit-when-ready");
        RunCluster run = new RunCluster();
        Runtime.getRuntime().addShutdownHook(new Thread(run::stopEverything, "run-cluster-stop"));
        try {
            run.start();
        } catch (Throwable e) {
            // After Ctrl-C the waits fail because the processes are gone: that is no failure to report.
            if (!run.shutdownBegins()) {
                System.out.flush();
                System.err.println("\n==> run-cluster failed: " + e);
                e.printStackTrace();
                if (run.plane != null) {
                    System.err.println("==> the processes' logs are in " + run.plane.dir().resolve("logs"));
                }
            }
            System.exit(1);
        }
        if (exitWhenReady) {
            System.exit(0);
        }
        run.stayUp();
    }

    private void start() throws Exception {
        for (Path required : List.of(OperatorProcess.JAR, Manifests.INSTALL, Manifests.SAMPLE, Manifests.SEED_WORKLOAD, P100, H100)) {
            if (!Files.exists(required)) {
                throw new IllegalStateException("missing " + required + " (run from the project root, after 'mvn -B package -DskipTests'; "
                        + "make run-cluster does both)");
            }
        }
        if (System.getProperty("k8s.bin", "").isBlank()) {
            say("Kubernetes binaries: tools/k8s/build.sh " + System.getProperty("k8s.minor", K8sBinaries.DEFAULT_MINOR)
                    + " (cached after the first build, which takes minutes; its log goes to target/controlplane/)");
        }
        binaries = K8sBinaries.resolve();
        // Its own directory per run: another run or a test suite's control plane may be up at the same time.
        Path dir = Path.of("target/run-cluster/" + binaries.minor() + "-" + ProcessHandle.current().pid()).toAbsolutePath();
        say("starting the real control plane (etcd, kube-apiserver, kube-scheduler, kube-controller-manager from "
                + binaries.dir() + "); state and logs in " + dir);
        // Runs after the control plane has stopped: the logs stay for a look back, etcd's data (some 120 MB, most of it
        // preallocated WAL) goes, since no later run reuses it.
        cleanups.push(() -> deleteTree(dir.resolve("etcd")));
        plane = ControlPlane.start(binaries, dir);
        cleanups.push(plane::close);
        admin = plane.admin();
        adminKubeconfig = writeAdminKubeconfig();
        phase("control plane up");
        System.out.println("kube-apiserver " + plane.url() + "; admin kubeconfig " + adminKubeconfig);

        FakeNodes nodes = new FakeNodes(admin);
        nodes.create(P100_NODE, Map.of(GPU_LABEL, "pgpu-dra"));
        nodes.create(H100_NODE, Map.of(GPU_LABEL, "pgpu-dra"));
        nodes.create(CPU_NODE, Map.of());
        // What the NVIDIA container toolkit (or the GPU Operator) leaves on a GPU cluster; the seed's pod names it.
        admin.resource(new RuntimeClassBuilder().withNewMetadata().withName("nvidia").endMetadata().withHandler("nvidia").build())
                .serverSideApply();
        say("stand-in nodes " + P100_NODE + " (Tesla P100 replay), " + H100_NODE + " (2 x H100 capture), both labelled "
                + GPU_LABEL + "=pgpu-dra, and " + CPU_NODE + "; RuntimeClass nvidia");

        sayKubectl("apply", "-f", Manifests.INSTALL.toString());
        kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/nvidiadradrivers.dra.alauda.io");
        // The processes below stand in for these pods' containers; these fake kubelets report the pods Running so
        // that the DaemonSet and Deployment controllers, and through them the operator, see what a cluster shows.
        FakeKubelet driverKubelet = new FakeKubelet(admin, DRIVER_NAMESPACE, pod -> pod.getMetadata().getName().startsWith(Names.PREFIX),
                pod -> plugins.stream().filter(p -> p.podName().equals(pod.getMetadata().getName())).forEach(PluginNode::close));
        cleanups.push(driverKubelet::close);
        FakeKubelet operatorKubelet = new FakeKubelet(admin, OPERATOR_NAMESPACE,
                pod -> pod.getMetadata().getName().startsWith("nvidia-dra-driver-operator"), pod -> { });
        cleanups.push(operatorKubelet::close);

        Map<String, String> operatorEnv = operatorContainerEnv();
        Path operatorKubeconfig = plane.serviceAccountKubeconfig(OPERATOR_NAMESPACE, "nvidia-dra-driver-operator", null);
        operator = RoleProcess.start("operator", "operator", operatorKubeconfig, operatorEnv, plane.dir().resolve("logs"));
        ChildProcess operatorProcess = operator;
        cleanups.push(() -> operatorProcess.stop(10));
        say("starting the operator in place of its Deployment's pod: java -jar " + OperatorProcess.JAR + " operator, as ServiceAccount "
                + OPERATOR_NAMESPACE + "/nvidia-dra-driver-operator, env " + operatorEnv + "; log " + operator.log());

        sayKubectl("apply", "-f", Manifests.SAMPLE.toString());

        for (Map.Entry<String, Path> gpuNode : List.of(Map.entry(P100_NODE, P100), Map.entry(H100_NODE, H100))) {
            Pod pod = await("the kubelet-plugin pod on " + gpuNode.getKey()).atMost(WAIT).until(() -> {
                operatorProcess.assertAlive();
                return PluginNode.podOn(admin, DRIVER_NAMESPACE, Names.KUBELET_PLUGIN, gpuNode.getKey());
            }, Optional::isPresent).get();
            PluginNode plugin = PluginNode.start(plane, pod, gpuNode.getValue());
            plugins.add(plugin);
            cleanups.push(() -> {
                plugin.close();
                deleteTree(plugin.root()); // the node's stand-in driver root, CDI specs and sockets under /tmp
            });
            say("starting the kubelet plugin of " + plugin.node() + " in place of pod " + DRIVER_NAMESPACE + "/" + plugin.podName()
                    + ": java -jar " + OperatorProcess.JAR + " kubelet-plugin, NVML replay " + gpuNode.getValue()
                    + ", host paths under " + plugin.root() + "; log " + plugin.process().log());
        }
        for (PluginNode plugin : plugins) {
            await("the ResourceSlice of " + plugin.node()).atMost(WAIT).until(() -> {
                plugin.process().assertAlive();
                return !slicesOf(plugin.node()).isEmpty();
            });
        }
        phase("ResourceSlices of both GPU nodes published");
        await("NvidiaDraDriver default Ready=True with both plugins ready").atMost(WAIT).until(() -> {
            operatorProcess.assertAlive();
            NvidiaDraDriver driver = admin.resources(NvidiaDraDriver.class).withName("default").get();
            return driver != null && driver.getStatus() != null && driver.getStatus().nodes != null
                    && driver.getStatus().nodes.ready == 2 && driver.getStatus().conditions.stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
        phase("NvidiaDraDriver Ready");

        sayKubectl("apply", "-f", Manifests.SEED_WORKLOAD.toString());
        PluginNode p100 = plugins.stream().filter(p -> p.node().equals(P100_NODE)).findFirst().orElseThrow();
        Pod pod = await(WORKLOAD_POD + " bound to " + P100_NODE).atMost(WAIT).until(
                () -> admin.pods().inNamespace(WORKLOAD_NAMESPACE).withName(WORKLOAD_POD).get(),
                p -> p != null && P100_NODE.equals(p.getSpec().getNodeName()));
        String claimName = pod.getStatus().getResourceClaimStatuses().get(0).getResourceClaimName();
        ResourceClaim claim = admin.resources(ResourceClaim.class).inNamespace(WORKLOAD_NAMESPACE).withName(claimName).get();
        DeviceRequestAllocationResult allocated = claim.getStatus().getAllocation().getDevices().getResults().get(0);
        NodePrepareResourceResponse prepared;
        try (KubeletStandIn kubelet = new KubeletStandIn(p100)) {
            kubelet.register();
            prepared = kubelet.prepare(claim);
        }
        if (!prepared.getError().isEmpty() || prepared.getDevicesCount() == 0) {
            throw new IllegalStateException("NodePrepareResources for claim " + claimName + " failed: '" + prepared.getError()
                    + "'; plugin log " + p100.process().log());
        }
        String cdiId = prepared.getDevices(0).getCdiDeviceIds(0);
        Path cdiSpec = cdiSpecOf(p100, claim.getMetadata().getUid());
        phase("the seed's workload allocated and prepared");

        printWhatAUserLooksAt(claimName, allocated, p100, cdiId, cdiSpec);
    }

    private void printWhatAUserLooksAt(String claimName, DeviceRequestAllocationResult allocated, PluginNode p100, String cdiId,
            Path cdiSpec) throws Exception {
        sayKubectl("get", "nodes", "-L", GPU_LABEL);
        sayKubectl("get", "nvidiadradrivers");
        NvidiaDraDriver driver = admin.resources(NvidiaDraDriver.class).withName("default").get();
        say("kubectl get nvidiadradriver default -o yaml (status):\n" + Serialization.asYaml(driver.getStatus()).stripTrailing());
        sayKubectl("get", "pods", "-n", OPERATOR_NAMESPACE, "-o", "wide");
        sayKubectl("get", "pods", "-n", DRIVER_NAMESPACE, "-o", "wide");
        System.out.println("(Running as the stand-in kubelet reports them; processes stand in for the operator and the kubelet plugins, "
                + "none for the controller, which the seed's flow does not need)");
        sayKubectl("get", "deviceclasses");
        sayKubectl("get", "resourceslices", "-o", "wide");
        sayKubectl("get", "resourceslices", "-o", "yaml");
        System.out.println("(the workload pod stays Pending: it is bound, but no kubelet or container runtime runs it)");
        sayKubectl("get", "pods,resourceclaims", "-n", WORKLOAD_NAMESPACE, "-o", "wide");
        sayKubectl("get", "resourceclaim", claimName, "-n", WORKLOAD_NAMESPACE, "-o", "yaml");
        say("NodePrepareResources for claim " + WORKLOAD_NAMESPACE + "/" + claimName + " (device " + allocated.getDevice() + " of pool "
                + allocated.getPool() + "), called as kubelet does through " + p100.draSocket() + ":\n"
                + "CDI device ID: " + cdiId);
        say("CDI spec " + cdiSpec + ":\n" + Files.readString(cdiSpec).stripTrailing());

        Path kubectl = binaries.binary("kubectl");
        String k = kubectl + " --kubeconfig " + adminKubeconfig;
        say("ready after " + seconds(System.nanoTime() - started) + " s (" + seconds(TimeUnit.MILLISECONDS.toNanos(
                ManagementFactory.getRuntimeMXBean().getUptime())) + " s since this JVM started); phases: " + phases);
        say("look further meanwhile (kubectl " + kubectl + ", admin kubeconfig " + adminKubeconfig + "):\n"
                + String.join("\n", Stream.of(
                        "get nvidiadradrivers -o wide",
                        "get nvidiadradriver default -o yaml",
                        "get pods -A -o wide",
                        "get resourceslices -o yaml",
                        "get resourceclaims -n default -o yaml",
                        "get deviceclasses gpu.nvidia.com -o yaml",
                        "get events -A",
                        "edit nvidiadradriver default")
                        .map(command -> "  " + k + " " + command).toList())
                + "\nlogs of every process (operator, kubelet-plugin-<node>, kube-apiserver, ...): " + plane.dir().resolve("logs")
                + "\n(the operator's and plugins' ServiceAccount tokens last 24 hours, as ControlPlane issues them)");
    }

    /** Until Ctrl-C; says so when a process dies meanwhile, since the rest of the cluster then no longer adds up. */
    private void stayUp() {
        List<ChildProcess> watched = new ArrayList<>(plane.processes());
        watched.add(operator);
        plugins.forEach(p -> watched.add(p.process()));
        for (ChildProcess process : watched) {
            process.process().onExit().thenAcceptAsync(exited -> {
                if (!shutdownBegins()) {
                    System.out.println("\n==> " + process.name() + " exited with code " + exited.exitValue() + "; its log: "
                            + process.log() + "\n" + process.tail(20));
                }
            });
        }
        say("running; Ctrl-C stops the plugins, the operator and the control plane");
        try {
            new CountDownLatch(1).await(); // nothing counts it down: only the shutdown hook ends this program
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether this program is stopping, given a moment to start: Ctrl-C signals the terminal's whole process group, so
     * a child may exit on it just before this JVM runs its shutdown hook, and that exit is no news to report.
     */
    private boolean shutdownBegins() {
        try {
            await("shutdown").atMost(SHUTDOWN_GRACE).pollInterval(Duration.ofMillis(50)).until(() -> shuttingDown);
            return true;
        } catch (ConditionTimeoutException unexpectedExit) {
            return false;
        }
    }

    /** Stops everything started, newest first; each step on its own so that one failing leaves none running. */
    private void stopEverything() {
        shuttingDown = true;
        for (Runnable cleanup = cleanups.poll(); cleanup != null; cleanup = cleanups.poll()) {
            try {
                cleanup.run();
            } catch (RuntimeException e) {
                System.err.println("stopping: " + e);
            }
        }
    }

    /**
     * A cluster-admin ServiceAccount's token in a kubeconfig, for kubectl: ControlPlane keeps its static admin token
     * to itself, and a ServiceAccount is what a person would be given on a real cluster too.
     */
    private Path writeAdminKubeconfig() throws IOException {
        admin.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(ADMIN_SERVICE_ACCOUNT).endMetadata().build()).create();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(ADMIN_SERVICE_ACCOUNT)
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("cluster-admin")
                .endRoleRef().addNewSubject().withKind("ServiceAccount").withName(ADMIN_SERVICE_ACCOUNT).withNamespace("default").endSubject()
                .build()).create();
        // the fixture's 24-hour TokenRequest token, as every role of the session gets
        return plane.serviceAccountKubeconfig("default", ADMIN_SERVICE_ACCOUNT, null);
    }

    /** The operator container's literal env from the install's Deployment: what the process would get in its pod. */
    private Map<String, String> operatorContainerEnv() throws IOException {
        Deployment deployment = Manifests.load(admin, Manifests.INSTALL).stream().filter(Deployment.class::isInstance)
                .map(Deployment.class::cast).findFirst().orElseThrow(() -> new IllegalStateException("no Deployment in " + Manifests.INSTALL));
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            }
        }
        return env;
    }

    private List<ResourceSlice> slicesOf(String node) {
        return admin.resources(ResourceSlice.class).list().getItems().stream()
                .filter(s -> node.equals(s.getSpec().getNodeName()) && Names.DRIVER.equals(s.getSpec().getDriver())).toList();
    }

    private static Path cdiSpecOf(PluginNode plugin, String claimUid) throws IOException {
        try (Stream<Path> files = Files.list(plugin.cdiRoot())) {
            return files.filter(f -> f.getFileName().toString().contains(claimUid)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no CDI spec for claim " + claimUid + " in " + plugin.cdiRoot()));
        }
    }

    /** Prints the command as a header and kubectl's output (stderr too: its warnings are what a user sees). */
    private void sayKubectl(String... args) throws IOException, InterruptedException {
        String output = kubectl(args);
        say("kubectl " + String.join(" ", args) + "\n" + output.stripTrailing());
    }

    private String kubectl(String... args) throws IOException, InterruptedException {
        return new Kubectl(plane, adminKubeconfig).run(args);
    }

    private void phase(String name) {
        phases.put(name, seconds(System.nanoTime() - started) + " s");
    }

    private static String seconds(long nanos) {
        return String.format("%.1f", nanos / 1e9);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("cannot remove " + root + ": " + e);
        }
    }

    private static void say(String message) {
        System.out.println("\n==> " + message);
    }
}
