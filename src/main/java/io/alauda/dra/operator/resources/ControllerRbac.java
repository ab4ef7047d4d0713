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

import static io.alauda.dra.operator.resources.KubeletPluginRbac.rule;

/**
 * What the controller may do (docs/rbac.md): read the allocation picture, delete slices of vanished nodes, say on
 * pending claims why they cannot be allocated, lead.
 */
public final class ControllerRbac {

    static final List<PolicyRule> CLUSTER_RULES = List.of(
            // Allocation metrics; delete only for slices whose Node is gone.
            rule("resource.k8s.io", "resourceslices", "get", "list", "watch", "delete"),
            rule("resource.k8s.io", "resourceclaims", "get", "list", "watch"),
            // The claim doctor judges pending claims against the DeviceClasses they name.
            rule("resource.k8s.io", "deviceclasses", "list"),
            // Which nodes exist, for the stale-slice cleanup and per-node metrics.
            rule("", "nodes", "get", "list", "watch"),
            rule("", "events", "create", "patch"));

    /**
     * Leader election when replicas > 1, confined to the driver's namespace and, but for create (which RBAC cannot
     * confine by name), to the controller's own Lease.
     */
    static final List<PolicyRule> NAMESPACE_RULES = List.of(
            rule("coordination.k8s.io", "leases", "create"),
            new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases")
                    .withResourceNames(Names.CONTROLLER_LEASE).withVerbs("get", "update", "patch").build());

    private ControllerRbac() {
    }

    public static ClusterRole clusterRole(InstallContext ctx) {
        return new ClusterRoleBuilder()
                .withMetadata(ctx.meta(Names.CONTROLLER, null, Labels.COMPONENT_CONTROLLER))
                .withRules(CLUSTER_RULES)
                .build();
    }

    public static ClusterRoleBinding clusterRoleBinding(InstallContext ctx) {
        return new ClusterRoleBindingBuilder()
                .withMetadata(ctx.meta(Names.CONTROLLER, null, Labels.COMPONENT_CONTROLLER))
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", Names.CONTROLLER)
                .addNewSubject().withKind("ServiceAccount").withName(Names.controllerServiceAccount())
                .withNamespace(ctx.namespace()).endSubject()
                .build();
    }

    public static Role leaderElectionRole(InstallContext ctx) {
        return new RoleBuilder()
                .withMetadata(ctx.meta(Names.CONTROLLER_LEADER_ELECTION, ctx.namespace(), Labels.COMPONENT_CONTROLLER))
                .withRules(NAMESPACE_RULES)
                .build();
    }

    public static RoleBinding leaderElectionRoleBinding(InstallContext ctx) {
        return new RoleBindingBuilder()
                .withMetadata(ctx.meta(Names.CONTROLLER_LEADER_ELECTION, ctx.namespace(), Labels.COMPONENT_CONTROLLER))
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", Names.CONTROLLER_LEADER_ELECTION)
                .addNewSubject().withKind("ServiceAccount").withName(Names.controllerServiceAccount())
                .withNamespace(ctx.namespace()).endSubject()
                .build();
    }
}
