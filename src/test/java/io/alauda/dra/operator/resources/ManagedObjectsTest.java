package io.alauda.dra.operator.resources;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.api.v1alpha1.ResourceApiVersion;
import io.alauda.dra.testing.TestDrivers;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour of the builders that a golden file alone would not make obvious. */
class ManagedObjectsTest {

    private static InstallContext ctx(NvidiaDraDriver driver, String version, boolean serviceMonitor) {
        return new InstallContext(driver, "img:1", version, serviceMonitor);
    }

    @Test
    void admissionPolicyNamesTheAccountTheDaemonSetRunsAs() {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        driver.getSpec().namespace = "gpu-system";
        InstallContext ctx = ctx(driver, "v1", false);
        DaemonSet ds = KubeletPluginDaemonSet.desired(ctx);
        ValidatingAdmissionPolicy policy = ResourceSlicePolicy.policy(ctx);
        ClusterRoleBinding binding = KubeletPluginRbac.clusterRoleBinding(ctx);

        String account = ds.getSpec().getTemplate().getSpec().getServiceAccountName();
        String expectedUser = "system:serviceaccount:gpu-system:" + account;
        assertEquals("request.userInfo.username == '" + expectedUser + "'",
                policy.getSpec().getMatchConditions().get(0).getExpression(),
                "the policy must match the account the plugin pods really run as (upstream #1317)");
        assertEquals(account, binding.getSubjects().get(0).getName(), "the plugin's permissions go to the same account");
        assertEquals("gpu-system", binding.getSubjects().get(0).getNamespace());
        ValidatingAdmissionPolicyBinding policyBinding = ResourceSlicePolicy.binding(ctx);
        assertEquals(policy.getMetadata().getName(), policyBinding.getSpec().getPolicyName());
        assertEquals(List.of("Deny"), policyBinding.getSpec().getValidationActions());
    }

    @Test
    void daemonSetNeverLandsOnANodeThatCarriesAConflictingLabel() {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        driver.getSpec().conflictingNodeLabels = Map.of("gpu", "on", "nvidia.com/vgpu.deploy", "true");
        DaemonSet ds = KubeletPluginDaemonSet.desired(ctx(driver, "v1", false));
        var terms = ds.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertEquals(1, terms.size(), "one term: every expression must hold");
        List<NodeSelectorRequirement> expressions = terms.get(0).getMatchExpressions();
        assertEquals(2, expressions.size());
        assertEquals("gpu", expressions.get(0).getKey());
        assertEquals("NotIn", expressions.get(0).getOperator());
        assertEquals(List.of("on"), expressions.get(0).getValues());
        assertEquals("nvidia.com/vgpu.deploy", expressions.get(1).getKey());
        assertEquals(Map.of("nvidia-device-enable", "pgpu-dra"), ds.getSpec().getTemplate().getSpec().getNodeSelector());
    }

    @Test
    void noAffinityWhenNoLabelConflicts() {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        driver.getSpec().conflictingNodeLabels = Map.of();
        assertNull(KubeletPluginDaemonSet.desired(ctx(driver, "v1", false)).getSpec().getTemplate().getSpec().getAffinity());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v1beta2", "v1beta1"})
    void deviceClassesAreWrittenInTheResolvedVersion(String version) {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        driver.getSpec().deviceClasses.gpu.extendedResourceName = "nvidia.com/gpu";
        HasMetadata gpu = DeviceClasses.gpu(ctx(driver, version, false));
        assertEquals("resource.k8s.io/" + version, gpu.getApiVersion());
        assertEquals("DeviceClass", gpu.getKind());
        assertEquals(DesiredState.deviceClassType(ctx(driver, version, false)), gpu.getClass());
        assertEquals("device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'gpu'",
                DeviceClasses.selector("gpu"));
        assertTrue(io.fabric8.kubernetes.client.utils.Serialization.asJson(gpu).contains("\"extendedResourceName\":\"nvidia.com/gpu\""));
        assertTrue(io.fabric8.kubernetes.client.utils.Serialization.asJson(DeviceClasses.mig(ctx(driver, version, false)))
                .contains("type == 'mig'"));
    }

    @Test
    void featureGatesAndUserEnvReachThePluginContainer() {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        driver.getSpec().featureGates = Map.of("TimeSlicingSettings", true, "DynamicMIG", false);
        driver.getSpec().kubeletPlugin.env = List.of(new EnvVar("GODEBUG", "x=1", null));
        driver.getSpec().cdiHookPath = "/usr/local/nvidia/toolkit/nvidia-cdi-hook";
        List<EnvVar> env = KubeletPluginDaemonSet.desired(ctx(driver, "v1", false)).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv();
        assertEquals("DynamicMIG=false,TimeSlicingSettings=true", value(env, "FEATURE_GATES"));
        assertEquals("/usr/local/nvidia/toolkit/nvidia-cdi-hook", value(env, "NVIDIA_CDI_HOOK_PATH"));
        assertEquals("GODEBUG", env.get(env.size() - 1).getName(), "user variables come last");
    }

    @Test
    void optionalObjectsFollowTheSpecAndTheCluster() {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        assertFalse(names(ctx(driver, "v1", false)).contains("ServiceMonitor/" + Names.SERVICE_MONITOR),
                "no ServiceMonitor without its CRD");
        assertTrue(names(ctx(driver, "v1", true)).contains("ServiceMonitor/" + Names.SERVICE_MONITOR));
        driver.getSpec().metrics.enabled = false;
        driver.getSpec().deviceClasses.mig.enabled = false;
        List<String> names = names(ctx(driver, "v1", true));
        assertFalse(names.contains("ServiceMonitor/" + Names.SERVICE_MONITOR));
        assertFalse(names.contains("Service/" + Names.CONTROLLER_METRICS));
        assertFalse(names.contains("DeviceClass/" + Names.MIG_DEVICE_CLASS));
        assertTrue(names.contains("DeviceClass/" + Names.GPU_DEVICE_CLASS));
    }

    @Test
    void updateStrategyNeverSurgesASecondPluginOntoANode() {
        NvidiaDraDriver driver = TestDrivers.withDefaults("default");
        driver.getSpec().kubeletPlugin.updateStrategy.maxUnavailable = "3";
        var rolling = KubeletPluginDaemonSet.desired(ctx(driver, "v1", false)).getSpec().getUpdateStrategy().getRollingUpdate();
        assertEquals(0, rolling.getMaxSurge().getIntVal());
        assertEquals(3, rolling.getMaxUnavailable().getIntVal());
    }

    private static String value(List<EnvVar> env, String name) {
        return env.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
    }

    private static List<String> names(InstallContext ctx) {
        return DesiredState.build(ctx).stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }
}
