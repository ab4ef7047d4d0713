package io.alauda.dra.embedded;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.testing.FakeWorkloadController;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code make run}: the operator as it ships (the production jar, in its own process) against an embedded
 * Kubernetes API server (the fabric8 mock in CRUD mode, from the test classpath, so it never reaches the production
 * jar or image). It installs the CRD, creates a few nodes, applies the sample NvidiaDraDriver, prints what the
 * operator created and the CR's status, and stays up until Ctrl-C. A fake workload controller stands in for the
 * DaemonSet and Deployment controllers the mock lacks, so status can turn Ready.
 *
 * <p>{@code --exit-when-ready} exits 0 once Ready=True (1 on timeout), for the smoke test.
 */
public final class EmbeddedCluster {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private EmbeddedCluster() {
    }

    public static void main(String[] args) throws Exception {
        boolean exitWhenReady = Arrays.asList(args).contains("--exit-when-ready");
        Path sample = Path.of("src/main/kubernetes/samples/nvidiadradriver.yaml");
        for (Path required : List.of(OperatorProcess.JAR, EmbeddedApiServer.CRD, sample)) {
            if (!Files.exists(required)) {
                System.err.println("missing " + required + ": run 'mvn -B package -DskipTests' first (make run does)");
                System.exit(2);
            }
        }
        EmbeddedApiServer server = new EmbeddedApiServer();
        KubernetesClient client = server.client();
        String url = server.url();
        say("embedded Kubernetes API server (fabric8 mock, CRUD mode) at " + url + " answering as v1.34.2 with resource.k8s.io v1");
        server.node("gpu-node-1", Map.of("nvidia-device-enable", "pgpu-dra"));
        server.node("gpu-node-2", Map.of("nvidia-device-enable", "pgpu-dra"));
        server.node("hami-node", Map.of("nvidia-device-enable", "pgpu-dra", "gpu", "on"));
        server.node("cpu-node", Map.of());
        say("installed the CRD and namespace kube-system; created nodes gpu-node-1, gpu-node-2 (GPU, labelled pgpu-dra), "
                + "hami-node (also gpu=on: a conflict) and cpu-node");
        FakeWorkloadController workloads = new FakeWorkloadController(client);

        say("starting the operator: java -jar " + OperatorProcess.JAR + " operator");
        Process operator = OperatorProcess.start(url, Map.of(), true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.destroy();
            workloads.close();
            server.close();
        }));

        try (InputStream in = Files.newInputStream(sample)) {
            NvidiaDraDriver driver = Serialization.unmarshal(in, NvidiaDraDriver.class);
            client.resource(driver).create();
            say("applied " + sample);
        }
        boolean ready = awaitReady(client, operator);
        printInstall(client);
        if (exitWhenReady) {
            System.exit(ready ? 0 : 1);
        }
        say(ready ? "the operator is running; Ctrl-C stops it and the embedded API server"
                : "the install did not become Ready; the operator keeps running, Ctrl-C stops it");
        operator.waitFor();
    }

    private static boolean awaitReady(KubernetesClient client, Process operator) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!operator.isAlive()) {
                say("the operator exited with code " + operator.exitValue());
                return false;
            }
            NvidiaDraDriver driver = client.resources(NvidiaDraDriver.class).withName("default").get();
            if (driver != null && driver.getStatus() != null && driver.getStatus().conditions.stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
                return true;
            }
            Thread.sleep(500); // polling a local mock; nothing to wait on but time
        }
        return false;
    }

    private static void printInstall(KubernetesClient client) {
        List<String> lines = new ArrayList<>();
        Stream.of(
                client.serviceAccounts().inAnyNamespace().list().getItems(),
                client.rbac().clusterRoles().list().getItems(),
                client.rbac().clusterRoleBindings().list().getItems(),
                client.rbac().roles().inAnyNamespace().list().getItems(),
                client.rbac().roleBindings().inAnyNamespace().list().getItems(),
                client.resources(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy.class).list().getItems(),
                client.resources(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding.class).list().getItems(),
                client.resources(io.fabric8.kubernetes.api.model.resource.v1.DeviceClass.class).list().getItems(),
                client.services().inAnyNamespace().list().getItems(),
                client.apps().deployments().inAnyNamespace().list().getItems(),
                client.apps().daemonSets().inAnyNamespace().list().getItems())
                .flatMap(List::stream)
                .map(o -> (HasMetadata) o)
                .forEach(o -> lines.add(String.format("  %-34s %s", o.getKind(),
                        (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/") + o.getMetadata().getName())));
        say("objects the operator created:\n" + String.join("\n", lines));
        NvidiaDraDriver driver = client.resources(NvidiaDraDriver.class).withName("default").get();
        say("kubectl get nvidiadradriver default -o yaml (status):\n" + Serialization.asYaml(driver.getStatus()));
    }

    private static void say(String message) {
        System.out.println("\n==> " + message);
    }
}
