package io.alauda.dra.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * One metrics Service per role. The plugin's is headless: Prometheus must scrape every node's pod, not one behind
 * a virtual IP.
 */
public final class MetricsServices {

    private MetricsServices() {
    }

    public static Service kubeletPlugin(InstallContext ctx) {
        return service(ctx, Names.KUBELET_PLUGIN_METRICS, Labels.COMPONENT_KUBELET_PLUGIN, true);
    }

    public static Service controller(InstallContext ctx) {
        return service(ctx, Names.CONTROLLER_METRICS, Labels.COMPONENT_CONTROLLER, false);
    }

    private static Service service(InstallContext ctx, String name, String component, boolean headless) {
        return new ServiceBuilder()
                .withMetadata(ctx.meta(name, ctx.namespace(), component))
                .withNewSpec()
                .withClusterIP(headless ? "None" : null)
                .withSelector(Labels.selector(component))
                .addNewPort().withName("metrics").withPort(ctx.spec().metrics.port)
                .withTargetPort(new IntOrString("metrics")).withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }
}
