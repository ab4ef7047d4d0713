package io.alauda.dra.operator.resources;

import io.alauda.dra.api.v1alpha1.MetricsSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ServiceMonitor over the driver's two metrics Services and the operator's own (which the install ships in the
 * operator's namespace), created only when the Prometheus Operator CRD exists. The operator's Service is not in the
 * install as a ServiceMonitor of its own because an OLM bundle or a plain manifest holding one fails to install on a
 * cluster without that CRD.
 */
public final class DriverServiceMonitor {

    private DriverServiceMonitor() {
    }

    public static ServiceMonitor desired(InstallContext ctx) {
        MetricsSpec.ServiceMonitor sm = ctx.spec().metrics.serviceMonitor;
        ObjectMeta meta = ctx.meta(Names.SERVICE_MONITOR, ctx.namespace(), Labels.COMPONENT_CLUSTER);
        Map<String, String> labels = new LinkedHashMap<>(new TreeMap<>(sm.labels));
        labels.putAll(meta.getLabels());
        meta.setLabels(labels);
        return new ServiceMonitorBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withSelector(new LabelSelectorBuilder()
                        .addToMatchLabels(Labels.PART_OF, Names.APP)
                        .addToMatchExpressions(new LabelSelectorRequirementBuilder().withKey(Labels.COMPONENT).withOperator("In")
                                .withValues(Labels.COMPONENT_CONTROLLER, Labels.COMPONENT_KUBELET_PLUGIN, Labels.COMPONENT_OPERATOR).build())
                        .build())
                .withNewNamespaceSelector().withMatchNames(namespaces(ctx)).endNamespaceSelector()
                // honorLabels: the controller's claim series carry a namespace label of their own (the claims'), which
                // Prometheus would otherwise rename to exported_namespace.
                .addNewEndpoint().withPort("metrics").withPath("/q/metrics").withInterval(sm.interval).withHonorLabels(true).endEndpoint()
                .endSpec()
                .build();
    }

    private static List<String> namespaces(InstallContext ctx) {
        String operator = ctx.operatorNamespace();
        return operator == null || operator.equals(ctx.namespace()) ? List.of(ctx.namespace()) : List.of(ctx.namespace(), operator);
    }
}
