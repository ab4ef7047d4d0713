package io.alauda.dra.operator.resources;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The install guide checks an install with {@code kubectl get pods -n kube-system | grep "nvidia-dra-driver-gpu"} and
 * shows the two pods of src/test/resources/seed/kubectl-get-pods.txt: those must be pods of the workloads the
 * operator creates.
 */
class SeedNamesTest {

    private static final String GUIDE_GREP = "nvidia-dra-driver-gpu";
    private static final String GUIDE_NAMESPACE = "kube-system";

    private static List<String> guidePods() throws IOException {
        return Files.readAllLines(Path.of("src/test/resources/seed/kubectl-get-pods.txt")).stream()
                .filter(l -> !l.isBlank()).map(l -> l.trim().split("\\s+")[0]).toList();
    }

    @Test
    void thePodsTheGuideShowsArePodsOfTheOperatorsDeploymentAndDaemonSet() throws IOException {
        InstallContext ctx = DesiredStateGoldenTest.defaultContext();
        Deployment controller = ControllerDeployment.desired(ctx);
        DaemonSet plugin = KubeletPluginDaemonSet.desired(ctx);
        List<String> pods = guidePods();
        assertEquals(2, pods.size(), pods.toString());

        assertEquals(GUIDE_NAMESPACE, controller.getMetadata().getNamespace());
        assertEquals(GUIDE_NAMESPACE, plugin.getMetadata().getNamespace());
        // A Deployment's pods are <deployment>-<pod-template-hash>-<5 characters>, a DaemonSet's <daemonset>-<5 characters>.
        Pattern controllerPod = Pattern.compile(Pattern.quote(controller.getMetadata().getName()) + "-[a-z0-9]{1,10}-[a-z0-9]{5}");
        Pattern pluginPod = Pattern.compile(Pattern.quote(plugin.getMetadata().getName()) + "-[a-z0-9]{5}");
        assertTrue(controllerPod.matcher(pods.get(0)).matches(), pods.get(0) + " is not a pod of Deployment " + controller.getMetadata().getName());
        assertTrue(pluginPod.matcher(pods.get(1)).matches(), pods.get(1) + " is not a pod of DaemonSet " + plugin.getMetadata().getName());
        assertFalse(pluginPod.matcher(pods.get(0)).matches(), "the plugin's pod pattern must not take the controller's pods");
        assertEquals("nvidia-dra-driver-gpu-controller", Names.CONTROLLER);
        assertEquals("nvidia-dra-driver-gpu-kubelet-plugin", Names.KUBELET_PLUGIN);
    }

    @Test
    void theGuidesGrepFindsEveryObjectTheOperatorNames() {
        InstallContext ctx = DesiredStateGoldenTest.defaultContext();
        for (HasMetadata object : DesiredState.build(ctx)) {
            String name = object.getMetadata().getName();
            if (name.equals(Names.GPU_DEVICE_CLASS) || name.equals(Names.MIG_DEVICE_CLASS)) {
                continue; // DeviceClasses are named by what they select, as in upstream
            }
            assertTrue(name.startsWith(GUIDE_GREP + "-") || name.equals(GUIDE_GREP), object.getKind() + " " + name);
        }
    }

    @Test
    void podsRunAsUpstreamsServiceAccountsAndThePolicyNamesThePluginsOne() {
        InstallContext ctx = DesiredStateGoldenTest.defaultContext();
        // upstream's chart, release nvidia-dra-driver-gpu: <release>-service-account-kubeletplugin / -controller
        assertEquals("nvidia-dra-driver-gpu-service-account-kubeletplugin",
                KubeletPluginDaemonSet.desired(ctx).getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals("nvidia-dra-driver-gpu-service-account-controller",
                ControllerDeployment.desired(ctx).getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals("request.userInfo.username == 'system:serviceaccount:kube-system:nvidia-dra-driver-gpu-service-account-kubeletplugin'",
                ResourceSlicePolicy.policy(ctx).getSpec().getMatchConditions().get(0).getExpression());
    }
}
