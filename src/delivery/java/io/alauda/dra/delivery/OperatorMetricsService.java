package io.alauda.dra.delivery;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * The Service in front of the operator's /q/metrics, shipped with the install (plain manifests and bundle). The
 * driver's ServiceMonitor, which the operator creates when the Prometheus Operator's CRD exists, selects it too (port
 * {@code metrics}, component {@code operator}); without it the NvidiaDraDriverDegraded alert and the dashboard's Ready
 * panel would get no data.
 */
public final class OperatorMetricsService {

    public static final String NAME = Install.PACKAGE + "-metrics";
    public static final String BUNDLE_FILE = "manifests/" + NAME + "_v1_service.yaml";

    private OperatorMetricsService() {
    }

    /** @param namespace the operator's namespace, or null for the bundle (OLM puts it in the install namespace) */
    public static Service desired(DeliveryConfig config, String namespace) {
        return new ServiceBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(Install.labels(config.version())).endMetadata()
                .withNewSpec()
                .withSelector(Install.selector())
                .addNewPort().withName("metrics").withPort(Install.HTTP_PORT).withTargetPort(new IntOrString("http"))
                .withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }
}
