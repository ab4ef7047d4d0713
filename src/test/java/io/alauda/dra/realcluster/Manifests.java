package io.alauda.dra.realcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The project's YAML files as the objects kubectl would send. */
public final class Manifests {

    public static final Path INSTALL = Path.of("deploy/install/nvidia-dra-driver-operator.yaml");
    public static final Path SAMPLE = Path.of("src/main/kubernetes/samples/nvidiadradriver.yaml");
    public static final Path SEED_WORKLOAD = Path.of("src/test/resources/seed/dra-gpu-test.yaml");

    private Manifests() {
    }

    public static List<HasMetadata> load(KubernetesClient client, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items();
        }
    }

    /** {@code kubectl apply --server-side} of every object in the file, as the admin. */
    public static List<HasMetadata> apply(KubernetesClient admin, Path file) throws IOException {
        List<HasMetadata> objects = load(admin, file);
        for (HasMetadata object : objects) {
            admin.resource(object).fieldManager("e2e-admin").forceConflicts().serverSideApply();
        }
        return objects;
    }
}
