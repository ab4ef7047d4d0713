package io.alauda.dra.operator.resources;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

/** The driver's namespace, created only when missing (an existing one, such as kube-system, is never touched). */
public final class DriverNamespace {

    private DriverNamespace() {
    }

    public static Namespace desired(InstallContext ctx) {
        return new NamespaceBuilder()
                .withMetadata(ctx.meta(ctx.namespace(), null, Labels.COMPONENT_CLUSTER))
                .build();
    }
}
