package io.alauda.dra.delivery;

import io.alauda.dra.operator.resources.DriverServiceMonitor;
import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.testing.TestDrivers;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's metrics reach Prometheus: the shipped Service finds the operator's pod, the driver's ServiceMonitor finds the Service. */
class OperatorMetricsServiceTest {

    private final DeliveryConfig config = new DeliveryConfig(Path.of("."), "0.1.0", DeliveryConfig.DEFAULT_REPOSITORY, null, null);

    @Test
    void theServiceSelectsTheOperatorPodAndTargetsItsHttpPort() {
        Service service = OperatorMetricsService.desired(config, Install.NAMESPACE);
        Deployment operator = OperatorDeployment.desired(config);
        Map<String, String> podLabels = operator.getSpec().getTemplate().getMetadata().getLabels();
        service.getSpec().getSelector().forEach((k, v) -> assertEquals(v, podLabels.get(k), "pod label " + k));
        String target = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
        assertTrue(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .anyMatch(p -> p.getName().equals(target)), "the operator container has no port named " + target);
    }

    @Test
    void theDriversServiceMonitorSelectsTheOperatorsServiceInTheOperatorsNamespace() {
        Service service = OperatorMetricsService.desired(config, Install.NAMESPACE);
        ServiceMonitor monitor = DriverServiceMonitor.desired(new InstallContext(TestDrivers.withDefaults("default"), "img:1", "v1", true,
                Install.NAMESPACE));
        assertTrue(monitor.getSpec().getNamespaceSelector().getMatchNames().contains(Install.NAMESPACE));
        Map<String, String> labels = service.getMetadata().getLabels();
        monitor.getSpec().getSelector().getMatchLabels().forEach((k, v) -> assertEquals(v, labels.get(k), "Service label " + k));
        for (LabelSelectorRequirement r : monitor.getSpec().getSelector().getMatchExpressions()) {
            assertEquals("In", r.getOperator());
            assertTrue(r.getValues().contains(labels.get(r.getKey())), "Service label " + r.getKey() + "=" + labels.get(r.getKey()));
        }
        String port = monitor.getSpec().getEndpoints().get(0).getPort();
        assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(port)), "the Service has no port " + port);
    }

    @Test
    void withoutAKnownOperatorNamespaceTheMonitorWatchesTheDriverNamespaceOnly() {
        ServiceMonitor monitor = DriverServiceMonitor.desired(new InstallContext(TestDrivers.withDefaults("default"), "img:1", "v1", true));
        assertEquals(java.util.List.of("kube-system"), monitor.getSpec().getNamespaceSelector().getMatchNames());
    }
}
