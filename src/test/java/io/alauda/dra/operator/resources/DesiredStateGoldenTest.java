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
        assertEquals(DesiredState.catalog().size() - 1, objects.size(),
                "a default install with a ServiceMonitor CRD wants every object but the MPS RoleBinding (MPSSupport is off)");
        for (HasMetadata object : objects) {
            String file = object.getKind().toLowerCase() + "-" + object.getMetadata().getName() + ".yaml";
            GoldenFiles.assertMatches(file, object);
        }
    }

    @Test
    void mpsSupportAddsTheRoleBindingOfTheShippedClusterRoleAndBidirectionalPluginsMount() throws IOException {
        InstallContext ctx = defaultContext();
        ctx.spec().featureGates.put("MPSSupport", true);
        List<HasMetadata> objects = DesiredState.build(ctx);
        assertEquals(DesiredState.catalog().size(), objects.size(), "with MPSSupport every object of the catalog is wanted");
        HasMetadata binding = objects.stream().filter(o -> o.getKind().equals("RoleBinding")
                && o.getMetadata().getName().equals(Names.KUBELET_PLUGIN_MPS)).findFirst().orElseThrow();
        GoldenFiles.assertMatches("rolebinding-" + Names.KUBELET_PLUGIN_MPS + ".yaml", binding);
        io.fabric8.kubernetes.api.model.apps.DaemonSet plugin = objects.stream()
                .filter(io.fabric8.kubernetes.api.model.apps.DaemonSet.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.apps.DaemonSet.class::cast).findFirst().orElseThrow();
        assertEquals("Bidirectional", plugin.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getName().equals("plugins")).findFirst().orElseThrow().getMountPropagation());
    }

    @Test
    void namespaceMatchesItsGoldenFile() throws IOException {
        GoldenFiles.assertMatches("namespace.yaml", DriverNamespace.desired(defaultContext()));
    }
}
