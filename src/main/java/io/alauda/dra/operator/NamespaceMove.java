package io.alauda.dra.operator;

import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.operator.resources.Labels;
import io.alauda.dra.operator.resources.ManagedObject;
import io.alauda.dra.operator.resources.Names;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;

/**
 * Takes the install out of the namespaces that {@code spec.namespace} named before, in the order that keeps the
 * node safe and the old pods working to the end.
 *
 * <p>The old DaemonSet and Deployment go first (foreground, so they stay until their pods are gone) with the metrics
 * Services and ServiceMonitor; {@link PluginHandover} keeps the new DaemonSet back meanwhile, because old plugin pods
 * still exist, so no node ever runs two plugins on one set of sockets and one checkpoint. The ServiceAccounts and the
 * controller's leader-election Role go only once no pod of the driver is left in the old namespace: a terminating
 * plugin still needs its identity to unprepare claims and remove its ResourceSlice. Last, the old namespace itself,
 * if this operator created it (it carries the CR's owner label; an existing namespace such as kube-system is never
 * the operator's) and no pod at all runs there any more.
 *
 * <p>The old namespaces are found from the objects themselves (this CR's owner label, our names, a namespace other
 * than the current one), not from the status: a move that takes several reconciles, or an operator restart in the
 * middle of one, picks up where it was.
 */
final class NamespaceMove {

    private static final Logger LOG = Logger.getLogger(NamespaceMove.class);

    private final KubernetesClient client;
    private final ResourceApplier applier;
    private final OwnedObjects cache;

    NamespaceMove(KubernetesClient client, ResourceApplier applier, OwnedObjects cache) {
        this.client = client;
        this.applier = applier;
        this.cache = cache;
    }

    /** One step of the move out of every former namespace; returns the message of what is still waited for, or null. */
    String proceed(InstallContext ctx, List<ManagedObject> catalog, Report report) {
        List<String> waiting = formerNamespaces(ctx).stream()
                .map(ns -> proceedIn(ns, ctx, catalog, report))
                .filter(m -> m != null)
                .toList();
        return waiting.isEmpty() ? null : String.join("; ", waiting);
    }

    /** Namespaces other than the current one where this CR still owns a workload or an account under our names. */
    Set<String> formerNamespaces(InstallContext ctx) {
        Set<String> namespaces = cache.namespacesHolding(ctx.owner(), client, Names.KUBELET_PLUGIN, Names.CONTROLLER,
                Names.SERVICE_ACCOUNTS);
        namespaces.remove(ctx.namespace());
        return namespaces;
    }

    private String proceedIn(String namespace, InstallContext ctx, List<ManagedObject> catalog, Report report) {
        for (ManagedObject object : catalog) {
            if (object.namespaced() && !isIdentity(object)) {
                delete(object.typeFor(ctx), namespace, object.name(), ctx, report);
            }
        }
        List<String> left = driverPodsIn(namespace);
        if (exists(DaemonSet.class, namespace, Names.KUBELET_PLUGIN) || exists(Deployment.class, namespace, Names.CONTROLLER)
                || !left.isEmpty()) {
            LOG.infof("moving to namespace %s: waiting for the driver's pods in %s to be gone: %s", ctx.namespace(), namespace, left);
            return "moving from namespace " + namespace + " to " + ctx.namespace() + ": waiting for " + left.size()
                    + " pod(s) of the previous install to stop before removing its accounts" + (left.isEmpty() ? "" : ": "
                    + String.join(", ", left.stream().limit(PluginHandover.MAX_LISTED).toList()));
        }
        for (ManagedObject object : catalog) {
            if (object.namespaced() && isIdentity(object)) {
                delete(object.typeFor(ctx), namespace, object.name(), ctx, report);
            }
        }
        deleteNamespaceIfOurs(namespace, ctx, report);
        return null;
    }

    /** What the old pods run as, and so what goes last. */
    private static boolean isIdentity(ManagedObject object) {
        Class<? extends HasMetadata> type = object.typeFor(null);
        return type == ServiceAccount.class || type == Role.class || type == RoleBinding.class;
    }

    private List<String> driverPodsIn(String namespace) {
        return client.pods().inNamespace(namespace).withLabel(Labels.NAME, Names.APP).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    private void deleteNamespaceIfOurs(String namespace, InstallContext ctx, Report report) {
        Namespace ns = client.namespaces().withName(namespace).get();
        if (ns == null || !ctx.owner().equals(ResourceApplier.labels(ns).get(Labels.OWNER))) {
            return;
        }
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        if (!pods.isEmpty()) {
            report.add(Reason.NAMESPACE_IN_USE, namespace, pods.get(0).getMetadata().getName()
                    + (pods.size() > 1 ? " and " + (pods.size() - 1) + " more" : ""));
            return;
        }
        delete(Namespace.class, null, namespace, ctx, report);
    }

    private void delete(Class<? extends HasMetadata> type, String namespace, String name, InstallContext ctx, Report report) {
        applier.deleteOrReport(type, namespace, name, ctx.owner(), report, "the previous namespace");
    }

    private boolean exists(Class<? extends HasMetadata> type, String namespace, String name) {
        return cache.get(type, namespace, name, client) != null;
    }
}
