package io.alauda.dra.embedded;

import io.alauda.dra.testing.FakeCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.kubernetes.client.KubernetesServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The fabric8 mock API server in CRUD mode, made to look like a Kubernetes 1.34 cluster with DRA (version and
 * resource.k8s.io discovery), with the NvidiaDraDriver CRD and kube-system installed.
 */
public final class EmbeddedApiServer implements AutoCloseable {

    public static final Path CRD = Path.of("target/kubernetes/nvidiadradrivers.dra.alauda.io-v1.yml");

    private final KubernetesServer server;

    public EmbeddedApiServer() throws IOException {
        // the mock logs every request at INFO through java.util.logging
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        FakeCluster.reset();
        server = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        server.before();
        new FakeCluster().accept(server);
        try (InputStream in = Files.newInputStream(CRD)) {
            client().load(in).create();
        }
        client().resource(new NamespaceBuilder().withNewMetadata().withName("kube-system").endMetadata().build()).create();
    }

    public KubernetesClient client() {
        return server.getClient();
    }

    public KubernetesMockServer mock() {
        return server.getKubernetesMockServer();
    }

    public String url() {
        return client().getConfiguration().getMasterUrl();
    }

    public void node(String name, Map<String, String> labels) {
        client().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build()).create();
    }

    @Override
    public void close() {
        server.after();
    }
}
