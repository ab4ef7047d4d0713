package io.alauda.dra.operator.resources;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;

/** One ServiceAccount per role, so each role gets exactly its own permissions. */
public final class ServiceAccounts {

    private ServiceAccounts() {
    }

    public static ServiceAccount kubeletPlugin(InstallContext ctx) {
        return account(ctx, Names.kubeletPluginServiceAccount(), Labels.COMPONENT_KUBELET_PLUGIN);
    }

    public static ServiceAccount controller(InstallContext ctx) {
        return account(ctx, Names.controllerServiceAccount(), Labels.COMPONENT_CONTROLLER);
    }

    private static ServiceAccount account(InstallContext ctx, String name, String component) {
        return new ServiceAccountBuilder()
                .withMetadata(ctx.meta(name, ctx.namespace(), component))
                .withImagePullSecrets(ctx.pullSecrets().stream().map(LocalObjectReference::new).toList())
                .build();
    }
}
