package io.alauda.dra.operator;

import io.alauda.dra.operator.resources.Names;
import io.alauda.dra.operator.resources.Names.Legacy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names of the objects the operator changes, by {@code group/resource}: the shipped ClusterRole confines the
 * operator's changing verbs on these resources to these names, so that it cannot update or delete anyone else's
 * DaemonSet, account, role, policy or DeviceClass, nor touch another component's Lease. RBAC cannot confine create,
 * list or watch by name (informers list by label), nor namespaces, whose name the CR chooses; docs/rbac.md says so.
 * Today's names and those of operators before the rename, which it removes on upgrade.
 */
public final class OwnedNames {

    /** Verbs confined by name; a Lease's get too, since reading one is how leader election is observed. */
    public static final Set<String> CONFINED_VERBS = Set.of("update", "patch", "delete");
    public static final Set<String> CONFINED_LEASE_VERBS = Set.of("get", "update", "patch", "delete");

    public static final Map<String, List<String>> BY_RESOURCE = Map.ofEntries(
            Map.entry("/serviceaccounts", List.of(Names.KUBELET_PLUGIN_SERVICE_ACCOUNT, Names.CONTROLLER_SERVICE_ACCOUNT,
                    Legacy.KUBELET_PLUGIN_SERVICE_ACCOUNT, Legacy.CONTROLLER_SERVICE_ACCOUNT)),
            Map.entry("/services", List.of(Names.KUBELET_PLUGIN_METRICS, Names.CONTROLLER_METRICS,
                    Legacy.KUBELET_PLUGIN_METRICS, Legacy.CONTROLLER_METRICS)),
            Map.entry("apps/daemonsets", List.of(Names.KUBELET_PLUGIN, Legacy.KUBELET_PLUGIN)),
            Map.entry("apps/deployments", List.of(Names.CONTROLLER, Legacy.CONTROLLER)),
            Map.entry("rbac.authorization.k8s.io/clusterroles", List.of(Names.KUBELET_PLUGIN, Names.CONTROLLER,
                    Legacy.KUBELET_PLUGIN, Legacy.CONTROLLER)),
            Map.entry("rbac.authorization.k8s.io/clusterrolebindings", List.of(Names.KUBELET_PLUGIN, Names.CONTROLLER,
                    Legacy.KUBELET_PLUGIN, Legacy.CONTROLLER)),
            Map.entry("rbac.authorization.k8s.io/roles", List.of(Names.CONTROLLER_LEADER_ELECTION, Names.KUBELET_PLUGIN_POD_STATUS,
                    Legacy.CONTROLLER_LEADER_ELECTION)),
            Map.entry("rbac.authorization.k8s.io/rolebindings", List.of(Names.CONTROLLER_LEADER_ELECTION,
                    Names.KUBELET_PLUGIN_POD_STATUS, Legacy.CONTROLLER_LEADER_ELECTION, Names.KUBELET_PLUGIN_MPS)),
            Map.entry("admissionregistration.k8s.io/validatingadmissionpolicies",
                    List.of(Names.RESOURCE_SLICE_POLICY, Names.KUBELET_PLUGIN_POD_STATUS, Legacy.RESOURCE_SLICE_POLICY)),
            Map.entry("admissionregistration.k8s.io/validatingadmissionpolicybindings",
                    List.of(Names.RESOURCE_SLICE_POLICY, Names.KUBELET_PLUGIN_POD_STATUS, Legacy.RESOURCE_SLICE_POLICY)),
            Map.entry("resource.k8s.io/deviceclasses", List.of(Names.GPU_DEVICE_CLASS, Names.MIG_DEVICE_CLASS)),
            Map.entry("monitoring.coreos.com/servicemonitors", List.of(Names.SERVICE_MONITOR, Legacy.SERVICE_MONITOR)),
            Map.entry("coordination.k8s.io/leases", List.of(Names.CONTROLLER_LEASE)));

    /**
     * ClusterRoles the operator may only {@code bind}: shipped with the install, never written by the operator (so not
     * in {@link #BY_RESOURCE}), granted to the plugin with a RoleBinding when a feature needs them.
     */
    public static final Map<String, List<String>> BIND_ONLY = Map.of(
            "rbac.authorization.k8s.io/clusterroles", List.of(Names.KUBELET_PLUGIN_MPS));

    private OwnedNames() {
    }

    public static Set<String> confinedVerbs(String groupResource) {
        return groupResource.equals("coordination.k8s.io/leases") ? CONFINED_LEASE_VERBS : CONFINED_VERBS;
    }
}
