package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriverSpec;
import io.alauda.dra.operator.PluginHandover;
import io.alauda.dra.operator.resources.ControllerRbac;
import io.alauda.dra.operator.resources.DesiredState;
import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.operator.resources.KubeletPluginRbac;
import io.alauda.dra.operator.resources.ManagedObject;
import io.alauda.dra.operator.resources.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentPermissions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kubernetes lets the operator create a (Cluster)Role only with permissions it holds itself (RBAC escalation
 * prevention), so the permissions the committed bundle and manifests give the operator must cover every rule the
 * operator grants to the kubelet plugin and the controller, and every object it manages.
 */
class OperatorPermissionsTest {

    private static final List<String> RESOURCE_VERSIONS = List.of("v1", "v1beta2", "v1beta1");

    @Test
    void csvClusterPermissionsCoverTheKubeletPluginClusterRole() {
        ClusterRole granted = KubeletPluginRbac.clusterRole(context("v1"));
        assertEquals(List.of(), RbacRules.missing(csvClusterRules(), granted.getRules()));
    }

    @Test
    void csvClusterPermissionsCoverTheControllerClusterRole() {
        ClusterRole granted = ControllerRbac.clusterRole(context("v1"));
        assertEquals(List.of(), RbacRules.missing(csvClusterRules(), granted.getRules()));
    }

    /** The controller's Lease Role lives in the driver's namespace (kube-system by default), not the operator's. */
    @Test
    void csvClusterPermissionsCoverTheControllerLeaderElectionRole() {
        Role granted = ControllerRbac.leaderElectionRole(context("v1"));
        assertEquals(List.of(), RbacRules.missing(csvClusterRules(), granted.getRules()));
    }

    /** PluginHandover: find the old-named install and plugin pods of any namespace, and remove the old objects. */
    @Test
    void operatorMayFindPluginPodsAndRemoveWhatTheOperatorBeforeTheRenameCreated() {
        List<PolicyRule> held = csvClusterRules();
        List<String> missing = new ArrayList<>();
        for (PluginHandover.LegacyObject object : PluginHandover.LEGACY_OBJECTS) {
            Class<? extends HasMetadata> type = object.type();
            for (String verb : List.of("get", "list", "delete")) {
                if (!RbacRules.allows(held, HasMetadata.getGroup(type), HasMetadata.getPlural(type), verb, object.name())) {
                    missing.add(verb + " " + HasMetadata.getApiVersion(type) + " " + HasMetadata.getPlural(type));
                }
            }
        }
        if (!RbacRules.allows(held, "", "pods", "list", null)) {
            missing.add("list pods");
        }
        assertEquals(List.of(), missing.stream().distinct().toList());
    }

    @Test
    void operatorMayReadWriteAndDeleteEveryObjectItManages() {
        List<PolicyRule> held = csvClusterRules();
        List<String> missing = new ArrayList<>();
        for (String version : RESOURCE_VERSIONS) {
            InstallContext ctx = context(version);
            for (ManagedObject object : DesiredState.catalog()) {
                Class<? extends HasMetadata> type = object.typeFor(ctx);
                for (String verb : List.of("get", "create", "update", "delete")) {
                    if (!RbacRules.allows(held, HasMetadata.getGroup(type), HasMetadata.getPlural(type), verb, object.name())) {
                        missing.add(verb + " " + HasMetadata.getApiVersion(type) + " " + HasMetadata.getPlural(type));
                    }
                }
            }
        }
        for (String verb : List.of("get", "create", "delete")) {
            if (!RbacRules.allows(held, "", "namespaces", verb, "kube-system")) {
                missing.add(verb + " namespaces");
            }
        }
        assertEquals(List.of(), missing.stream().distinct().toList());
    }

    /**
     * What a compromised or buggy operator could otherwise do to the rest of the cluster: create or delete
     * NvidiaDraDrivers, update or delete other people's workloads, accounts, roles, policies or DeviceClasses, take over
     * another component's leader-election Lease.
     */
    @Test
    void theOperatorMayNotChangeWhatItDoesNotOwn() {
        List<PolicyRule> held = csvClusterRules();
        List<String> allowed = new ArrayList<>();
        record Probe(String group, String resource, String verb, String name) {
        }
        for (Probe p : List.of(
                new Probe("dra.alauda.io", "nvidiadradrivers", "create", null),
                new Probe("dra.alauda.io", "nvidiadradrivers", "delete", "default"),
                new Probe("apps", "daemonsets", "update", "kube-proxy"),
                new Probe("apps", "daemonsets", "delete", "kube-proxy"),
                new Probe("apps", "deployments", "update", "coredns"),
                new Probe("", "serviceaccounts", "delete", "default"),
                new Probe("", "services", "update", "kubernetes"),
                new Probe("rbac.authorization.k8s.io", "clusterroles", "update", "cluster-admin"),
                new Probe("rbac.authorization.k8s.io", "clusterrolebindings", "update", "cluster-admin"),
                new Probe("rbac.authorization.k8s.io", "rolebindings", "delete", "system:controller:bootstrap-signer"),
                new Probe("admissionregistration.k8s.io", "validatingadmissionpolicies", "delete", "someone-elses-policy"),
                new Probe("resource.k8s.io", "deviceclasses", "update", "other.example.com"),
                new Probe("monitoring.coreos.com", "servicemonitors", "delete", "kube-state-metrics"),
                new Probe("coordination.k8s.io", "leases", "update", "kube-scheduler"),
                new Probe("coordination.k8s.io", "leases", "get", "kube-controller-manager"))) {
            if (RbacRules.allows(held, p.group(), p.resource(), p.verb(), p.name())) {
                allowed.add(p.verb() + " " + p.resource() + (p.name() == null ? "" : "/" + p.name()));
            }
        }
        assertEquals(List.of(), allowed, "the operator's cluster rules allow these");
    }

    /** The documents of the operator's own permissions: all but the fixed MPS ClusterRole, which is the plugin's. */
    private static List<JsonNode> operatorsOwn(List<JsonNode> documents) {
        return documents.stream().filter(d -> !d.path("metadata").path("name").asText().equals(Names.KUBELET_PLUGIN_MPS)).toList();
    }

    @Test
    void theMpsClusterRoleShipsInBothShapesWithOnlyDeploymentRightsAndTheOperatorMayOnlyBindIt() throws IOException {
        List<JsonNode> shipped = BuildOutput.documents(Path.of(Install.MANIFESTS_FILE)).stream()
                .filter(d -> d.path("metadata").path("name").asText().equals(Names.KUBELET_PLUGIN_MPS)).toList();
        assertEquals(1, shipped.size(), "one MPS ClusterRole in the plain manifests");
        ClusterRole plain = Serialization.unmarshal(shipped.get(0).toString(), ClusterRole.class);
        ClusterRole bundled = Serialization.unmarshal(java.nio.file.Files.readString(Path.of("bundle").resolve(OlmBundle.MPS_CLUSTER_ROLE_FILE)),
                ClusterRole.class);
        assertEquals(plain.getRules(), bundled.getRules());
        assertEquals(List.of(new PolicyRuleBuilder().withApiGroups("apps").withResources("deployments")
                .withVerbs("get", "list", "watch", "create", "delete").build()), plain.getRules());
        List<PolicyRule> onTheRole = csvClusterRules().stream()
                .filter(r -> r.getResourceNames().contains(Names.KUBELET_PLUGIN_MPS) && r.getResources().contains("clusterroles")).toList();
        assertEquals(1, onTheRole.size(), "one operator rule names the MPS ClusterRole: " + onTheRole);
        assertEquals(List.of("bind"), onTheRole.get(0).getVerbs());
        assertEquals(List.of(Names.KUBELET_PLUGIN_MPS), onTheRole.get(0).getResourceNames());
    }

    @Test
    void plainManifestsGrantTheSameRulesAsTheCsv() {
        List<PolicyRule> clusterRules = new ArrayList<>();
        List<PolicyRule> namespaceRules = new ArrayList<>();
        for (JsonNode doc : operatorsOwn(BuildOutput.documents(Path.of(Install.MANIFESTS_FILE)))) {
            switch (doc.path("kind").asText()) {
                case "ClusterRole" -> clusterRules.addAll(Serialization.unmarshal(doc.toString(), ClusterRole.class).getRules());
                case "Role" -> namespaceRules.addAll(Serialization.unmarshal(doc.toString(), Role.class).getRules());
                default -> {
                }
            }
        }
        assertEquals(csvClusterRules(), clusterRules);
        assertEquals(csvPermissions(csv().getSpec().getInstall().getSpec().getPermissions()), namespaceRules);
    }

    @Test
    void plainManifestsBindEveryRoleToTheOperatorAccountOnly() {
        List<String> bound = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (JsonNode doc : operatorsOwn(BuildOutput.documents(Path.of(Install.MANIFESTS_FILE)))) {
            String kind = doc.path("kind").asText();
            if (kind.equals("ClusterRole") || kind.equals("Role")) {
                roles.add(kind + "/" + doc.path("metadata").path("name").asText());
            }
            if (kind.equals("ClusterRoleBinding")) {
                ClusterRoleBinding b = Serialization.unmarshal(doc.toString(), ClusterRoleBinding.class);
                assertEquals(1, b.getSubjects().size());
                assertEquals(Install.SERVICE_ACCOUNT, b.getSubjects().get(0).getName());
                assertEquals(Install.NAMESPACE, b.getSubjects().get(0).getNamespace());
                bound.add(b.getRoleRef().getKind() + "/" + b.getRoleRef().getName());
            }
            if (kind.equals("RoleBinding")) {
                RoleBinding b = Serialization.unmarshal(doc.toString(), RoleBinding.class);
                // The leader-election Lease is the operator's own business, in the operator's own namespace.
                assertEquals(Install.NAMESPACE, b.getMetadata().getNamespace());
                assertEquals(Install.SERVICE_ACCOUNT, b.getSubjects().get(0).getName());
                bound.add(b.getRoleRef().getKind() + "/" + b.getRoleRef().getName());
            }
        }
        assertEquals(roles.stream().sorted().toList(), bound.stream().sorted().toList());
    }

    @Test
    void leaderElectionLeasesOfTheOperatorAreConfinedToItsNamespace() {
        List<PolicyRule> namespaced = csvPermissions(csv().getSpec().getInstall().getSpec().getPermissions());
        assertTrue(RbacRules.allows(namespaced, "coordination.k8s.io", "leases", "update", "any"));
        for (JsonNode doc : BuildOutput.documents(Path.of(Install.MANIFESTS_FILE))) {
            if (doc.path("kind").asText().equals("Role")) {
                assertEquals(Install.NAMESPACE, doc.path("metadata").path("namespace").asText());
            }
        }
    }

    // ---- the coverage check itself ----

    @Test
    void aMissingVerbIsReported() {
        List<PolicyRule> held = List.of(rule("resource.k8s.io", "resourceslices", "get", "list"));
        assertEquals(List.of("watch resource.k8s.io/resourceslices"),
                RbacRules.missing(held, List.of(rule("resource.k8s.io", "resourceslices", "get", "watch"))));
    }

    @Test
    void aRuleLimitedToNamesCoversOnlyThoseNames() {
        List<PolicyRule> held = List.of(new PolicyRuleBuilder().withApiGroups("").withResources("nodes").withVerbs("get")
                .withResourceNames("node-1").build());
        assertFalse(RbacRules.missing(held, List.of(rule("", "nodes", "get"))).isEmpty());
        assertTrue(RbacRules.allows(held, "", "nodes", "get", "node-1"));
    }

    @Test
    void wildcardsCoverEverything() {
        assertEquals(List.of(), RbacRules.missing(List.of(rule("*", "*", "*")), List.of(rule("apps", "daemonsets", "delete"))));
    }

    @Test
    void removingARuleFromTheOperatorBreaksCoverage() {
        List<PolicyRule> held = new ArrayList<>(csvClusterRules());
        held.removeIf(r -> r.getResources().contains("resourceslices"));
        assertFalse(RbacRules.missing(held, KubeletPluginRbac.clusterRole(context("v1")).getRules()).isEmpty());
    }

    // ---- helpers ----

    static ClusterServiceVersion csv() {
        JsonNode tree = BuildOutput.documents(Path.of(Install.BUNDLE_DIR).resolve(OlmBundle.CSV_FILE)).get(0);
        return Serialization.unmarshal(tree.toString(), ClusterServiceVersion.class);
    }

    private static List<PolicyRule> csvClusterRules() {
        return csvPermissions(csv().getSpec().getInstall().getSpec().getClusterPermissions());
    }

    private static List<PolicyRule> csvPermissions(List<StrategyDeploymentPermissions> permissions) {
        List<PolicyRule> rules = new ArrayList<>();
        for (StrategyDeploymentPermissions p : permissions) {
            assertEquals(Install.SERVICE_ACCOUNT, p.getServiceAccountName());
            rules.addAll(p.getRules());
        }
        return rules;
    }

    static InstallContext context(String resourceVersion) {
        NvidiaDraDriver driver = new NvidiaDraDriver();
        driver.setMetadata(new ObjectMetaBuilder().withName("default").withUid("6f1c2a4e-0d7b-4c35-9e61-2b8f0c9a7d10").build());
        driver.setSpec(new NvidiaDraDriverSpec());
        return new InstallContext(driver, "registry.example.com/nvidia-dra-driver:test", resourceVersion, true);
    }

    private static PolicyRule rule(String group, String resource, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
    }
}
