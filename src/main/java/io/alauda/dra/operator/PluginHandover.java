package io.alauda.dra.operator;

import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.operator.resources.Labels;
import io.alauda.dra.operator.resources.Names;
import io.alauda.dra.operator.resources.Names.Legacy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Keeps two kubelet plugins off one node, and takes over an install made under the names operators used before
 * the rename ({@link Names.Legacy}).
 *
 * <p>Two plugin pods on one node would both bind the node's registration and DRA sockets and both write its
 * checkpoint and the claims' CDI specs. A DaemonSet's own rollout never does that (maxSurge 0), but a new DaemonSet
 * does not wait for the pods of another one: the old-named DaemonSet of an earlier operator, the DaemonSet left in
 * the previous namespace after {@code spec.namespace} changed, or this DaemonSet deleted by hand without waiting
 * for its pods. So the operator creates the plugin DaemonSet only while no kubelet-plugin pod exists anywhere in
 * the cluster (every version's pods carry the same selector labels). Until then it installs everything else, and
 * the status names the pods it waits for.
 *
 * <p>Taking over an old-named install: the old DaemonSet and Deployment are deleted first (foreground: they stay
 * until their pods are gone), with the old metrics Services and ServiceMonitor, so that nothing is scraped twice.
 * The new DaemonSet follows once the last old plugin pod is gone. The old ServiceAccounts, roles and admission
 * policy go last, once no pod runs as an old account: a terminating plugin still needs its permissions to
 * unprepare claims and remove its ResourceSlices. The new controller Deployment starts at once: the controller keeps
 * no node state, and its own rollouts overlap an old and a new replica too (maxSurge 1).
 */
public final class PluginHandover {

    static final int MAX_LISTED = 5;

    private static final Logger LOG = Logger.getLogger(PluginHandover.class);

    /** One old-named object: its type, name, scope, and whether it goes before the new DaemonSet is created. */
    public record LegacyObject(Class<? extends HasMetadata> type, String name, boolean namespaced, boolean early) {
    }

    /** In deletion order: workloads first, the accounts the pods ran as last. */
    public static final List<LegacyObject> LEGACY_OBJECTS = List.of(
            new LegacyObject(DaemonSet.class, Legacy.KUBELET_PLUGIN, true, true),
            new LegacyObject(Deployment.class, Legacy.CONTROLLER, true, true),
            new LegacyObject(ServiceMonitor.class, Legacy.SERVICE_MONITOR, true, true),
            new LegacyObject(Service.class, Legacy.KUBELET_PLUGIN_METRICS, true, true),
            new LegacyObject(Service.class, Legacy.CONTROLLER_METRICS, true, true),
            new LegacyObject(ValidatingAdmissionPolicyBinding.class, Legacy.RESOURCE_SLICE_POLICY, false, false),
            new LegacyObject(ValidatingAdmissionPolicy.class, Legacy.RESOURCE_SLICE_POLICY, false, false),
            new LegacyObject(RoleBinding.class, Legacy.CONTROLLER_LEADER_ELECTION, true, false),
            new LegacyObject(Role.class, Legacy.CONTROLLER_LEADER_ELECTION, true, false),
            new LegacyObject(ClusterRoleBinding.class, Legacy.CONTROLLER, false, false),
            new LegacyObject(ClusterRole.class, Legacy.CONTROLLER, false, false),
            new LegacyObject(ClusterRoleBinding.class, Legacy.KUBELET_PLUGIN, false, false),
            new LegacyObject(ClusterRole.class, Legacy.KUBELET_PLUGIN, false, false),
            new LegacyObject(ServiceAccount.class, Legacy.CONTROLLER_SERVICE_ACCOUNT, true, false),
            new LegacyObject(ServiceAccount.class, Legacy.KUBELET_PLUGIN_SERVICE_ACCOUNT, true, false));

    /**
     * What one reconcile found.
     *
     * @param legacyNamespaces namespaces that still hold an old-named workload or account of this CR
     * @param otherPlugins     kubelet-plugin pods that exist while this install's DaemonSet does not; while there are
     *                         any, the DaemonSet is not created
     */
    record State(Set<String> legacyNamespaces, List<Pod> otherPlugins) {

        boolean holdsBackDaemonSet() {
            return !otherPlugins.isEmpty();
        }

        String message(InstallContext ctx) {
            StringBuilder sb = new StringBuilder("waiting for ").append(otherPlugins.size())
                    .append(" kubelet plugin pod(s) to be gone before creating DaemonSet ").append(ctx.namespace()).append('/')
                    .append(Names.KUBELET_PLUGIN).append(", so that no node runs two plugins: ");
            List<String> listed = otherPlugins.stream().limit(MAX_LISTED).map(PluginHandover::describe).toList();
            sb.append(String.join(", ", listed));
            if (otherPlugins.size() > MAX_LISTED) {
                sb.append(", ...");
            }
            sb.append(". Pods of a deleted DaemonSet go by themselves; a pod whose node is down stays Terminating until "
                    + "`kubectl delete pod --force` once the node is known to be off; a pod nobody deletes (orphaned, or of "
                    + "a DaemonSet this operator does not own) must be deleted by hand");
            return sb.toString();
        }
    }

    private final KubernetesClient client;
    private final ResourceApplier applier;
    private final OwnedObjects cache;

    PluginHandover(KubernetesClient client, ResourceApplier applier, OwnedObjects cache) {
        this.client = client;
        this.applier = applier;
        this.cache = cache;
    }

    /**
     * Before the install: deletes the old workloads, metrics Services and ServiceMonitor of this CR, and finds the
     * plugin pods that hold the new DaemonSet back.
     */
    State begin(InstallContext ctx, Report report) {
        Set<String> legacyNamespaces = legacyNamespaces(ctx.owner());
        for (String ns : legacyNamespaces) {
            for (LegacyObject object : LEGACY_OBJECTS) {
                if (object.early() && (object.type() != ServiceMonitor.class || ctx.serviceMonitorAvailable())) {
                    delete(object, ns, ctx.owner(), report);
                }
            }
        }
        List<Pod> otherPlugins = List.of();
        if (get(DaemonSet.class, ctx.namespace(), Names.KUBELET_PLUGIN) == null) {
            otherPlugins = client.pods().inAnyNamespace().withLabels(Labels.selector(Labels.COMPONENT_KUBELET_PLUGIN)).list()
                    .getItems().stream()
                    .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace()).thenComparing(p -> p.getMetadata().getName()))
                    .toList();
            if (!otherPlugins.isEmpty()) {
                LOG.infof("not creating DaemonSet %s/%s yet: %d kubelet plugin pod(s) still exist", ctx.namespace(),
                        Names.KUBELET_PLUGIN, otherPlugins.size());
            }
        }
        return new State(legacyNamespaces, otherPlugins);
    }

    /**
     * After the install: once the old workloads are gone and no pod runs as an old account (in every namespace that
     * holds old objects: the cluster-scoped roles and policy serve them all), deletes the old admission policy, roles
     * and bindings and, last, the accounts, which mark that old objects remain.
     */
    void finish(State state, InstallContext ctx, Report report) {
        if (state.legacyNamespaces().isEmpty()) {
            return;
        }
        for (String ns : state.legacyNamespaces()) {
            if (get(DaemonSet.class, ns, Legacy.KUBELET_PLUGIN) != null || get(Deployment.class, ns, Legacy.CONTROLLER) != null) {
                return;
            }
            List<String> users = client.pods().inNamespace(ns).withLabel(Labels.NAME, Names.APP).list().getItems().stream()
                    .filter(p -> p.getSpec() != null && Legacy.SERVICE_ACCOUNTS.contains(p.getSpec().getServiceAccountName()))
                    .map(p -> p.getMetadata().getName()).toList();
            if (!users.isEmpty()) {
                LOG.infof("keeping the previous install's accounts and roles while pods still run as them: %s/%s", ns, users);
                return;
            }
        }
        boolean deletedTheRest = true;
        for (LegacyObject object : LEGACY_OBJECTS) {
            if (object.early() || object.type() == ServiceAccount.class) {
                continue;
            }
            if (object.namespaced()) {
                for (String ns : state.legacyNamespaces()) {
                    deletedTheRest &= delete(object, ns, ctx.owner(), report);
                }
            } else {
                deletedTheRest &= delete(object, null, ctx.owner(), report);
            }
        }
        if (deletedTheRest) {
            for (String ns : state.legacyNamespaces()) {
                LEGACY_OBJECTS.stream().filter(o -> o.type() == ServiceAccount.class).forEach(o -> delete(o, ns, ctx.owner(), report));
            }
            LOG.infof("removed the objects of the previous install (names %s-*) in %s", Names.LEGACY_PREFIX, state.legacyNamespaces());
        }
    }

    /**
     * Namespaces where this CR still owns an old-named DaemonSet, Deployment or ServiceAccount. Operators before the
     * rename labelled their objects as this one does, so the watches' caches hold them.
     */
    private Set<String> legacyNamespaces(String owner) {
        return cache.namespacesHolding(owner, client, Legacy.KUBELET_PLUGIN, Legacy.CONTROLLER, Legacy.SERVICE_ACCOUNTS);
    }

    private boolean delete(LegacyObject object, String namespace, String owner, Report report) {
        return applier.deleteOrReport(object.type(), object.namespaced() ? namespace : null, object.name(), owner, report,
                "the previous install");
    }

    private <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        return cache.get(type, namespace, name, client);
    }

    private static String describe(Pod pod) {
        String node = pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "no node yet" : pod.getSpec().getNodeName();
        String state;
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            state = "Terminating";
        } else {
            OwnerReference controller = pod.getMetadata().getOwnerReferences() == null ? null
                    : pod.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst()
                    .orElse(null);
            String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Unknown" : pod.getStatus().getPhase();
            state = phase + (controller == null ? ", no owner" : ", of " + controller.getKind() + " " + controller.getName());
        }
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + " on " + node + " (" + state + ")";
    }

}
