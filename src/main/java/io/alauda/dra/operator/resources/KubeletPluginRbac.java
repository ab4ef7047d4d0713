package io.alauda.dra.operator.resources;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

import java.util.List;

/**
 * What the kubelet plugin may do, and nothing more (docs/rbac.md lists and explains every rule). Writes to
 * ResourceSlices are further limited to the plugin's own node by the admission policy in {@link ResourceSlicePolicy}.
 */
public final class KubeletPluginRbac {

    static final List<PolicyRule> RULES = List.of(
            // Publish, repair and (on shutdown of a pool) remove the node's ResourceSlice.
            rule("resource.k8s.io", "resourceslices", "get", "list", "watch", "create", "update", "delete"),
            // NodePrepareResources reads the claim it prepares, live, to check UID and allocation.
            rule("resource.k8s.io", "resourceclaims", "get"),
            // The slice's owner reference needs the Node's UID.
            rule("", "nodes", "get"),
            // Events about checkpoint recovery and registration failures, and node-check and device-health events on the Node.
            rule("", "events", "create", "patch"));

    /**
     * The node-check condition on the plugin's own Pod (NodePreflightReporter), confined to the driver's namespace. A
     * DaemonSet's pod names are not known in advance, so RBAC cannot confine them by name; fabric8 reads the Pod
     * before it patches the status.
     */
    static final List<PolicyRule> NAMESPACE_RULES = List.of(
            rule("", "pods", "get"),
            rule("", "pods/status", "patch"));

    /**
     * MPS control daemons, one Deployment per shared device group, created and deleted by the plugin in its namespace.
     * Deployment names are made per claim, so RBAC cannot confine them by name.
     */
    static final List<PolicyRule> MPS_RULES = List.of(rule("apps", "deployments", "get", "list", "watch", "create", "delete"));

    private KubeletPluginRbac() {
    }

    /**
     * The fixed ClusterRole for MPS, shipped with the install (plain manifests and bundle). The operator does not write
     * it: it would have to hold unconfined Deployment delete to do so. It only binds it (RBAC {@code bind}, confined
     * to this name) while MPSSupport is on.
     */
    public static ClusterRole mpsClusterRole(java.util.Map<String, String> labels) {
        return new ClusterRoleBuilder()
                .withNewMetadata().withName(Names.KUBELET_PLUGIN_MPS).withLabels(labels).endMetadata()
                .withRules(MPS_RULES)
                .build();
    }

    /** Grants the fixed MPS ClusterRole to the plugin in the driver namespace only. */
    public static RoleBinding mpsRoleBinding(InstallContext ctx) {
        return new RoleBindingBuilder()
                .withMetadata(ctx.meta(Names.KUBELET_PLUGIN_MPS, ctx.namespace(), Labels.COMPONENT_KUBELET_PLUGIN))
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", Names.KUBELET_PLUGIN_MPS)
                .addNewSubject().withKind("ServiceAccount").withName(Names.kubeletPluginServiceAccount())
                .withNamespace(ctx.namespace()).endSubject()
                .build();
    }

    public static Role podStatusRole(InstallContext ctx) {
        return new RoleBuilder()
                .withMetadata(ctx.meta(Names.KUBELET_PLUGIN_POD_STATUS, ctx.namespace(), Labels.COMPONENT_KUBELET_PLUGIN))
                .withRules(NAMESPACE_RULES)
                .build();
    }

    public static RoleBinding podStatusRoleBinding(InstallContext ctx) {
        return new RoleBindingBuilder()
                .withMetadata(ctx.meta(Names.KUBELET_PLUGIN_POD_STATUS, ctx.namespace(), Labels.COMPONENT_KUBELET_PLUGIN))
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", Names.KUBELET_PLUGIN_POD_STATUS)
                .addNewSubject().withKind("ServiceAccount").withName(Names.kubeletPluginServiceAccount())
                .withNamespace(ctx.namespace()).endSubject()
                .build();
    }

    public static ClusterRole clusterRole(InstallContext ctx) {
        return new ClusterRoleBuilder()
                .withMetadata(ctx.meta(Names.KUBELET_PLUGIN, null, Labels.COMPONENT_KUBELET_PLUGIN))
                .withRules(RULES)
                .build();
    }

    public static ClusterRoleBinding clusterRoleBinding(InstallContext ctx) {
        return new ClusterRoleBindingBuilder()
                .withMetadata(ctx.meta(Names.KUBELET_PLUGIN, null, Labels.COMPONENT_KUBELET_PLUGIN))
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", Names.KUBELET_PLUGIN)
                .addNewSubject().withKind("ServiceAccount").withName(Names.kubeletPluginServiceAccount())
                .withNamespace(ctx.namespace()).endSubject()
                .build();
    }

    static PolicyRule rule(String group, String resource, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
    }
}
