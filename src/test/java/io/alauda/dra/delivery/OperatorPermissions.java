package io.alauda.dra.delivery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The operator's own permissions, in the two shapes they ship in: RBAC objects for the plain manifests, and
 * {@code clusterPermissions} / {@code permissions} for the CSV (OLM creates the objects then).
 *
 * <p>Cluster-wide rules come only from QOSDK's build output (the reconciler's primary resource plus its
 * {@code @RBACRule} annotations), never from a list kept here. The one namespaced rule is the operator's own
 * leader-election Lease, confined to the operator's namespace with a Role. (The cluster rules also hold Lease
 * verbs, but for another reason: the operator grants them to the driver's controller in the driver's namespace,
 * and Kubernetes lets it grant only what it holds.)
 */
public final class OperatorPermissions {

    /**
     * What JOSDK's LeaderElectionManager checks for (get, create, update) and what fabric8's LeaderElector under it
     * sends when it acquires or renews the Lease (patch); the real API server refuses the renewal without patch.
     */
    static final List<PolicyRule> LEADER_ELECTION_RULES = List.of(new PolicyRuleBuilder()
            .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("get", "create", "update", "patch").build());

    private final BuildOutput build;
    private final String version;

    public OperatorPermissions(BuildOutput build, String version) {
        this.build = build;
        this.version = version;
    }

    /** Every cluster-wide rule, in the order the generated ClusterRoles list them. */
    public List<PolicyRule> clusterRules() {
        List<PolicyRule> rules = new ArrayList<>();
        build.clusterRoles().forEach(role -> rules.addAll(role.getRules()));
        return rules;
    }

    public List<PolicyRule> namespaceRules() {
        return LEADER_ELECTION_RULES;
    }

    /** ClusterRoles (as generated, relabelled), their bindings, and the leader-election Role and binding. */
    public List<HasMetadata> objects() {
        List<HasMetadata> objects = new ArrayList<>();
        for (ClusterRole generated : build.clusterRoles()) {
            String name = generated.getMetadata().getName();
            objects.add(new ClusterRoleBuilder()
                    .withNewMetadata().withName(name).withLabels(Install.labels(version)).endMetadata()
                    .withRules(generated.getRules())
                    .withAggregationRule(generated.getAggregationRule())
                    .build());
            objects.add(new ClusterRoleBindingBuilder()
                    .withNewMetadata().withName(name + "-binding").withLabels(Install.labels(version)).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                    .addNewSubject().withKind("ServiceAccount").withName(Install.SERVICE_ACCOUNT).withNamespace(Install.NAMESPACE).endSubject()
                    .build());
        }
        objects.add(new RoleBuilder()
                .withNewMetadata().withName(Install.LEADER_ELECTION).withNamespace(Install.NAMESPACE).withLabels(Install.labels(version)).endMetadata()
                .withRules(LEADER_ELECTION_RULES)
                .build());
        objects.add(new RoleBindingBuilder()
                .withNewMetadata().withName(Install.LEADER_ELECTION).withNamespace(Install.NAMESPACE).withLabels(Install.labels(version)).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", Install.LEADER_ELECTION)
                .addNewSubject().withKind("ServiceAccount").withName(Install.SERVICE_ACCOUNT).withNamespace(Install.NAMESPACE).endSubject()
                .build());
        return objects;
    }
}
