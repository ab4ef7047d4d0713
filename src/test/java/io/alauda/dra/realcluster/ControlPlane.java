package io.alauda.dra.realcluster;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A real Kubernetes control plane for tests: etcd, kube-apiserver (Node,RBAC authorization, the default admission
 * plugins with ValidatingAdmissionPolicy, plus NodeRestriction), kube-scheduler and kube-controller-manager, each a
 * process built from the pinned Go modules. There is no kubelet: nodes are API objects ({@link FakeNodes}), and the
 * node-lifecycle controller is off so that nodes without heartbeats stay Ready.
 *
 * <p>Clients authenticate with static tokens: the test's admin ({@code system:masters}), the scheduler as
 * {@code system:kube-scheduler} (its bootstrap RBAC) and the controller-manager as a master. Roles under test get
 * ServiceAccount tokens from the TokenRequest API ({@link #serviceAccountKubeconfig}), so the install's RBAC is what
 * they meet.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** Long enough for a make run-cluster left running for a day; nothing here refreshes tokens as kubelet does. */
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(24);

    private final K8sBinaries binaries;
    private final Path dir;
    private final List<ChildProcess> processes = new ArrayList<>();
    private final String adminToken = randomToken();
    private String url;
    private KubernetesClient admin;

    private ControlPlane(K8sBinaries binaries, Path dir) {
        this.binaries = binaries;
        this.dir = dir;
    }

    public static ControlPlane start(K8sBinaries binaries, Path dir) throws Exception {
        ControlPlane plane = new ControlPlane(binaries, dir);
        try {
            plane.startAll();
            return plane;
        } catch (Exception | Error e) {
            plane.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Files.createDirectories(dir);
        Path logs = dir.resolve("logs");
        int etcdPort = freePort();
        int apiPort = freePort();
        url = "https://127.0.0.1:" + apiPort;

        ChildProcess etcd = ChildProcess.start("etcd", List.of(binaries.binary("etcd").toString(),
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=http://127.0.0.1:" + etcdPort, "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls=http://127.0.0.1:" + freePort(),
                "--unsafe-no-fsync=true", "--log-level=warn"), Map.of(), logs);
        processes.add(etcd);

        Path keys = Files.createDirectories(dir.resolve("keys"));
        writeServiceAccountKeys(keys);
        String schedulerToken = randomToken();
        String controllerManagerToken = randomToken();
        Files.writeString(keys.resolve("tokens.csv"), String.join("\n",
                adminToken + ",admin,admin-uid,\"system:masters\"",
                schedulerToken + ",system:kube-scheduler,scheduler-uid",
                controllerManagerToken + ",system:kube-controller-manager,kcm-uid,\"system:masters\"") + "\n");

        Path certs = dir.resolve("apiserver-certs");
        List<String> apiserver = new ArrayList<>(List.of(binaries.binary("kube-apiserver").toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort,
                "--cert-dir=" + certs,
                "--token-auth-file=" + keys.resolve("tokens.csv"),
                "--authorization-mode=Node,RBAC",
                "--enable-admission-plugins=NodeRestriction",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + keys.resolve("sa.pub"),
                "--service-account-signing-key-file=" + keys.resolve("sa.key"),
                "--service-cluster-ip-range=10.96.0.0/16",
                "--allow-privileged=true",
                // every request with its user and response code: the suites check that no role met a 403 and count
                // what the operator sends
                "--audit-policy-file=" + writeAuditPolicy(keys), "--audit-log-path=" + auditLog(),
                "--audit-log-format=json", "--audit-log-mode=blocking",
                "--v=1"));
        apiserver.addAll(draFlags(true));
        processes.add(ChildProcess.start("kube-apiserver", apiserver, Map.of(), logs));

        ChildProcess apiserverProcess = processes.get(processes.size() - 1);
        // the client reads the CA when it is built; kube-apiserver writes its self-signed pair at start
        await("kube-apiserver's serving certificate").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            apiserverProcess.assertAlive();
            return Files.exists(caFile());
        });
        admin = new KubernetesClientBuilder().withConfig(config(adminToken)).build();
        await("kube-apiserver /readyz").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    etcd.assertAlive();
                    apiserverProcess.assertAlive();
                    return "ok".equals(admin.raw("/readyz"));
                });

        Path schedulerConfig = writeKubeconfig("kube-scheduler", schedulerToken, null);
        List<String> scheduler = new ArrayList<>(List.of(binaries.binary("kube-scheduler").toString(),
                "--kubeconfig=" + schedulerConfig, "--authentication-kubeconfig=" + schedulerConfig,
                "--authorization-kubeconfig=" + schedulerConfig,
                "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=" + freePort(), "--v=2"));
        scheduler.addAll(draFlags(false));
        processes.add(ChildProcess.start("kube-scheduler", scheduler, Map.of(), logs));

        Path kcmConfig = writeKubeconfig("kube-controller-manager", controllerManagerToken, null);
        List<String> controllerManager = new ArrayList<>(List.of(binaries.binary("kube-controller-manager").toString(),
                "--kubeconfig=" + kcmConfig, "--authentication-kubeconfig=" + kcmConfig, "--authorization-kubeconfig=" + kcmConfig,
                "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=" + freePort(),
                // No kubelet posts node heartbeats: without this the nodes turn NotReady and get NoExecute taints.
                "--controllers=*,-node-lifecycle-controller",
                "--root-ca-file=" + certs.resolve("apiserver.crt"),
                "--v=1"));
        controllerManager.addAll(draFlags(false));
        processes.add(ChildProcess.start("kube-controller-manager", controllerManager, Map.of(), logs));
    }

    /**
     * Feature gates and API versions for DRA as the seed's install guide sets them: 1.32 and 1.33 need the gate and
     * the beta API groups; 1.34 serves resource.k8s.io/v1 by default, and the seed's own workload is written against
     * v1beta1, which 1.34 serves only when asked to (the guide's "DRA and the API groups must be enabled"). Device
     * taints on top where the release has them ({@link #devicesTaintable()}).
     */
    private List<String> draFlags(boolean apiserver) {
        List<String> flags = new ArrayList<>();
        List<String> gates = new ArrayList<>();
        if (!binaries.servesResourceV1()) {
            gates.add("DynamicResourceAllocation=true");
        }
        if (devicesTaintable()) {
            gates.add("DRADeviceTaints=true");
        }
        if (!gates.isEmpty()) {
            flags.add("--feature-gates=" + String.join(",", gates));
        }
        if (apiserver) {
            List<String> versions = new ArrayList<>(List.of("resource.k8s.io/v1beta1=true"));
            if (binaries.minorNumber() >= 33) {
                versions.add("resource.k8s.io/v1beta2=true");
            }
            if (devicesTaintable()) {
                versions.add("resource.k8s.io/v1alpha3=true"); // DeviceTaintRule, which the scheduler watches with the gate
            }
            flags.add("--runtime-config=" + String.join(",", versions));
        }
        return flags;
    }

    /**
     * Device taints (the plugin's health taints) as a cluster that wants them runs: DRADeviceTaints on the API server,
     * scheduler and controller-manager. Alpha from 1.33 (unknown to 1.32, which would refuse to start), off by default
     * until 1.36.
     */
    public boolean devicesTaintable() {
        return binaries.minorNumber() >= 33;
    }

    public String url() {
        return url;
    }

    public K8sBinaries binaries() {
        return binaries;
    }

    public Path dir() {
        return dir;
    }

    /** A client with every right (system:masters); for setting up and checking, never for a role under test. */
    public KubernetesClient admin() {
        return admin;
    }

    public Path caFile() {
        return dir.resolve("apiserver-certs/apiserver.crt");
    }

    public Config config(String token) {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url).withOauthToken(token).withCaCertFile(caFile().toString())
                .withRequestTimeout(30_000).build();
    }

    /** The processes of the control plane, for checks that they are still alive. */
    public List<ChildProcess> processes() {
        return List.copyOf(processes);
    }

    /** A token for a ServiceAccount from the TokenRequest API; bound to a Pod when {@code podName} is given, as kubelet does. */
    public String serviceAccountToken(String namespace, String serviceAccount, String podName) {
        TokenRequestBuilder request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(TOKEN_LIFETIME.toSeconds()).endSpec();
        if (podName != null) {
            String uid = admin.pods().inNamespace(namespace).withName(podName).get().getMetadata().getUid();
            request.editSpec().withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(podName).withUid(uid)
                    .endBoundObjectRef().endSpec();
        }
        TokenRequest issued = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request.build());
        return issued.getStatus().getToken();
    }

    /** A kubeconfig with every right (system:masters), for kubectl as a cluster admin types it. */
    public Path adminKubeconfig() throws IOException {
        return writeKubeconfig("admin", adminToken, null);
    }

    /** A kubeconfig that authenticates as the ServiceAccount, for a role's process ({@code KUBECONFIG}). */
    public Path serviceAccountKubeconfig(String namespace, String serviceAccount, String podName) throws IOException {
        String token = serviceAccountToken(namespace, serviceAccount, podName);
        return writeKubeconfig(serviceAccount + (podName == null ? "" : "-" + podName), token, namespace);
    }

    private Path writeKubeconfig(String name, String token, String namespace) throws IOException {
        Path file = Files.createDirectories(dir.resolve("kubeconfigs")).resolve(name + ".kubeconfig");
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: test
                  context:
                    cluster: test
                    user: %s
                    namespace: %s
                current-context: test
                """.formatted(url, caFile(), name, token, name, namespace == null ? "default" : namespace);
        Files.writeString(file, yaml);
        return file;
    }

    /** The audit log: one JSON event per request (Metadata level: user, verb, object, response code). */
    public Path auditLog() {
        return dir.resolve("audit.log");
    }

    /** Audit events of requests sent by {@code user} (e.g. {@code system:serviceaccount:ns:name}), in order. */
    public List<AuditEvent> auditEventsOf(String user) throws IOException {
        return AuditEvent.read(auditLog()).stream().filter(e -> e.user().equals(user)).toList();
    }

    private static Path writeAuditPolicy(Path keys) throws IOException {
        Path policy = keys.resolve("audit-policy.yaml");
        Files.writeString(policy, """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: ["RequestReceived"]
                rules:
                - level: Metadata
                """);
        return policy;
    }

    private static void writeServiceAccountKeys(Path keys) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(keys.resolve("sa.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(keys.resolve("sa.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String randomToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static int freePort() throws IOException {
        return io.alauda.dra.embedded.OperatorProcess.freePort();
    }

    /** Stops the controller-manager and scheduler first, then the API server, then etcd. */
    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop(10);
        }
    }
}
