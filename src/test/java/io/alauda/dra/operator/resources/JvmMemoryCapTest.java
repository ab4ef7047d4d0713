package io.alauda.dra.operator.resources;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.testing.TestDrivers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JVM without a memory limit is told how much memory to assume, so it does not size its heap from the node's. */
class JvmMemoryCapTest {

    private static final String MIB_512 = Long.toString(512L * 1024 * 1024);
    /** The plugin's footprint options come first, the cap last. */
    private static final String PLUGIN = "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=24m -XX:MaxHeapFreeRatio=20"
            + " -XX:MinHeapFreeRatio=5 -Xms24m";

    @Test
    void defaultPluginAndControllerAssume512MiB() {
        InstallContext ctx = context(TestDrivers.withDefaults("default"));
        assertEquals(Optional.of(PLUGIN + " -XX:MaxRAM=" + MIB_512), jdkOptions(KubeletPluginDaemonSet.desired(ctx).getSpec().getTemplate().getSpec().getContainers().get(0)));
        assertEquals(Optional.of("-XX:MaxRAM=" + MIB_512), jdkOptions(ControllerDeployment.desired(ctx).getSpec().getTemplate().getSpec().getContainers().get(0)));
    }

    @Test
    void aRequestLargerThanTheDefaultIsWhatTheJvmAssumes() {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        driver.getSpec().kubeletPlugin.resources = new ResourceRequirementsBuilder().addToRequests("memory", new Quantity("1Gi")).build();
        Container plugin = KubeletPluginDaemonSet.desired(context(driver)).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(Optional.of(PLUGIN + " -XX:MaxRAM=1073741824"), jdkOptions(plugin));
    }

    @Test
    void aSmallerRequestStillAssumes512MiB() {
        var resources = new ResourceRequirementsBuilder().addToRequests("memory", new Quantity("100Mi")).build();
        assertEquals(Optional.of("-XX:MaxRAM=" + MIB_512), PodParts.jvmMemoryCap(resources, List.of()).map(EnvVar::getValue));
    }

    @Test
    void aMemoryLimitIsLeftToTheJvmToRead() {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        driver.getSpec().kubeletPlugin.resources = new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity("256Mi")).addToLimits("memory", new Quantity("1Gi")).build();
        driver.getSpec().controller.resources = new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("2Gi")).build();
        InstallContext ctx = context(driver);
        assertEquals(Optional.of(PLUGIN), jdkOptions(KubeletPluginDaemonSet.desired(ctx).getSpec().getTemplate().getSpec().getContainers().get(0)),
                "the footprint options stay; only the cap goes");
        assertTrue(jdkOptions(ControllerDeployment.desired(ctx).getSpec().getTemplate().getSpec().getContainers().get(0)).isEmpty());
    }

    @Test
    void theUsersOwnJdkJavaOptionsWinAndAreNotDuplicated() {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        driver.getSpec().kubeletPlugin.env = List.of(new EnvVarBuilder().withName("JDK_JAVA_OPTIONS").withValue("-Xmx300m").build());
        Container plugin = KubeletPluginDaemonSet.desired(context(driver)).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(List.of("-Xmx300m"), plugin.getEnv().stream().filter(e -> e.getName().equals("JDK_JAVA_OPTIONS")).map(EnvVar::getValue).toList());
    }

    private static InstallContext context(NvidiaDraDriver driver) {
        return new InstallContext(driver, "registry.example.com/nvidia-dra-driver:0.1.0", "v1", false);
    }

    private static Optional<String> jdkOptions(Container container) {
        List<String> values = container.getEnv().stream().filter(e -> e.getName().equals("JDK_JAVA_OPTIONS")).map(EnvVar::getValue).toList();
        assertTrue(values.size() <= 1, "JDK_JAVA_OPTIONS set more than once: " + values);
        return values.stream().findFirst();
    }
}
