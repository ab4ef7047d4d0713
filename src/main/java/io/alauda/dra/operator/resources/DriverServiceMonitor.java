package io.alauda.dra.operator.resources;

import io.alauda.dra.api.v1alpha1.MetricsSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A ServiceMonitor over both metrics Services, created only when the Prometheus Operator CRD exists. */
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
                        .addToMatchLabels(Labels.NAME, Names.APP)
                        .addToMatchLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                        .addToMatchExpressions(new LabelSelectorRequirementBuilder().withKey(Labels.COMPONENT)
                                .withOperator("In").withValues(Labels.COMPONENT_CONTROLLER, Labels.COMPONENT_KUBELET_PLUGIN).build())
                        .build())
                .withNewNamespaceSelector().withMatchNames(ctx.namespace()).endNamespaceSelector()
                // honorLabels: the controller's claim series carry a namespace label of their own (the claims'), which
                // Prometheus would otherwise rename to exported_namespace.
                .addNewEndpoint().withPort("metrics").withPath("/q/metrics").withInterval(sm.interval).withHonorLabels(true).endEndpoint()
                .endSpec()
                .build();
    }
}
