package io.alauda.dra.operator.resources;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.testing.TestDrivers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every managed object of a default install, against golden YAML read by hand. */
class DesiredStateGoldenTest {

    static InstallContext defaultContext() {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        return new InstallContext(driver, "registry.example.com/nvidia-dra-driver:0.1.0", "v1", true, "nvidia-dra-driver-operator");
    }

    @Test
    void everyObjectOfTheDefaultInstallMatchesItsGoldenFile() throws IOException {
        InstallContext ctx = defaultContext();
        List<HasMetadata> objects = DesiredState.build(ctx);
        assertEquals(DesiredState.catalog().size(), objects.size(), "a default install with a ServiceMonitor CRD wants every object");
        for (HasMetadata object : objects) {
            String file = object.getKind().toLowerCase() + "-" + object.getMetadata().getName() + ".yaml";
            GoldenFiles.assertMatches(file, object);
        }
    }

    @Test
    void namespaceMatchesItsGoldenFile() throws IOException {
        GoldenFiles.assertMatches("namespace.yaml", DriverNamespace.desired(defaultContext()));
    }
}
