package io.alauda.dra.delivery;

import io.alauda.dra.operator.OwnedNames;
import io.alauda.dra.operator.resources.KubeletPluginRbac;
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
import java.util.Set;

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

    private static final String PRIMARY_GROUP = "dra.alauda.io";
    private static final String PRIMARY = "nvidiadradrivers";

    private final BuildOutput build;
    private final String version;

    public OperatorPermissions(BuildOutput build, String version) {
        this.build = build;
        this.version = version;
    }

    /** Every cluster-wide rule, in the order the generated ClusterRoles list them. */
    public List<PolicyRule> clusterRules() {
        List<PolicyRule> rules = new ArrayList<>();
        build.clusterRoles().forEach(role -> rules.addAll(narrowed(role.getRules())));
        return rules;
    }

    /**
     * The generated rules, narrowed where QOSDK cannot express it: QOSDK grants the primary resource every verb,
     * create and delete included, while the operator only reads its CRs, adds and removes its finalizer and writes
     * their status; and it merges rules of one resource, dropping resourceNames, so the confinement by name of
     * {@link OwnedNames} is applied here.
     */
    static List<PolicyRule> narrowed(List<PolicyRule> generated) {
        List<PolicyRule> rules = new ArrayList<>();
        for (PolicyRule rule : generated) {
            if (rule.getApiGroups().equals(List.of(PRIMARY_GROUP))) {
                rules.add(primary(PRIMARY, "get", "list", "watch", "patch", "update"));
                rules.add(primary(PRIMARY + "/status", "get", "patch", "update"));
                // blockOwnerDeletion on the objects the CR owns needs update on its finalizers (OwnerReferencesPermissionEnforcement)
                rules.add(primary(PRIMARY + "/finalizers", "update"));
            } else if (rule.getApiGroups().size() == 1 && rule.getResourceNames().isEmpty()) {
                rules.addAll(confined(rule));
            } else {
                rules.add(rule);
            }
        }
        return rules;
    }

    /** One rule for the verbs RBAC cannot confine, then one per owned resource for the confined verbs, by name. */
    private static List<PolicyRule> confined(PolicyRule rule) {
        String group = rule.getApiGroups().get(0);
        List<String> open = new ArrayList<>();
        List<PolicyRule> named = new ArrayList<>();
        for (String resource : rule.getResources()) {
            List<String> names = OwnedNames.BY_RESOURCE.get(group + "/" + resource);
            if (names == null) {
                return List.of(rule);
            }
            Set<String> confinedVerbs = OwnedNames.confinedVerbs(group + "/" + resource);
            List<String> verbs = rule.getVerbs().stream().filter(confinedVerbs::contains).toList();
            if (!verbs.isEmpty()) {
                named.add(new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withResourceNames(names)
                        .withVerbs(verbs).build());
            }
            List<String> bindable = OwnedNames.BIND_ONLY.get(group + "/" + resource);
            if (bindable != null && rule.getVerbs().contains("bind")) {
                named.add(new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withResourceNames(bindable)
                        .withVerbs("bind").build());
            }
            open = rule.getVerbs().stream().filter(v -> !confinedVerbs.contains(v) && !"bind".equals(v)).toList();
        }
        List<PolicyRule> rules = new ArrayList<>();
        if (!open.isEmpty()) {
            rules.add(new PolicyRuleBuilder().withApiGroups(group).withResources(rule.getResources()).withVerbs(open).build());
        }
        rules.addAll(named);
        return rules;
    }

    private static PolicyRule primary(String resource, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(PRIMARY_GROUP).withResources(resource).withVerbs(verbs).build();
    }

    /** The plugin's MPS rights, shipped as they are: the operator binds this ClusterRole and never writes it. */
    public HasMetadata mpsClusterRole() {
        return KubeletPluginRbac.mpsClusterRole(Install.labels(version));
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
                    .withRules(narrowed(generated.getRules()))
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
