package io.alauda.dra.operator;

import io.alauda.dra.operator.resources.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's own objects as its watches last saw them (every watch selects the operator's label), so that a
 * reconcile with nothing to change reads nothing from the API server. A type without a watch answers
 * {@link Lookup#unknown()}: the caller reads it live.
 */
interface OwnedObjects {

    /** No watches at all: every read goes to the API server. */
    OwnedObjects NONE = new OwnedObjects() {
        @Override
        public Lookup find(Class<? extends HasMetadata> type, String namespace, String name) {
            return Lookup.unknown();
        }

        @Override
        public <T extends HasMetadata> List<T> list(Class<T> type) {
            return null;
        }

        @Override
        public void written(HasMetadata answer) {
        }
    };

    /** The cached object, absent when the type is watched and holds no such object of ours. */
    Lookup find(Class<? extends HasMetadata> type, String namespace, String name);

    /** Every cached object of the type, in all namespaces; null when the type is not watched. */
    <T extends HasMetadata> List<T> list(Class<T> type);

    /** The object from the cache when its type is watched (absent there: none of ours), else read live. */
    @SuppressWarnings("unchecked")
    default <T extends HasMetadata> T get(Class<T> type, String namespace, String name, KubernetesClient client) {
        Lookup cached = find(type, namespace, name);
        if (cached.watched()) {
            return (T) cached.object();
        }
        var resources = client.resources(type);
        return (namespace == null ? resources.withName(name) : resources.inNamespace(namespace).withName(name)).get();
    }

    /** Namespaces where this CR owns the DaemonSet, the Deployment or one of the ServiceAccounts of these names. */
    default Set<String> namespacesHolding(String owner, KubernetesClient client, String daemonSet, String deployment,
            List<String> accounts) {
        Set<String> namespaces = new TreeSet<>();
        ownedBy(DaemonSet.class, owner, client).stream().filter(d -> d.getMetadata().getName().equals(daemonSet))
                .forEach(d -> namespaces.add(d.getMetadata().getNamespace()));
        ownedBy(Deployment.class, owner, client).stream().filter(d -> d.getMetadata().getName().equals(deployment))
                .forEach(d -> namespaces.add(d.getMetadata().getNamespace()));
        ownedBy(ServiceAccount.class, owner, client).stream().filter(a -> accounts.contains(a.getMetadata().getName()))
                .forEach(a -> namespaces.add(a.getMetadata().getNamespace()));
        return namespaces;
    }

    /** This CR's objects of a type, in all namespaces: from the cache when the type is watched, else listed live by label. */
    default <T extends HasMetadata> List<T> ownedBy(Class<T> type, String owner, KubernetesClient client) {
        List<T> cached = list(type);
        List<T> all = cached != null ? cached : client.resources(type).inAnyNamespace().withLabel(Labels.OWNER, owner).list().getItems();
        return all.stream().filter(o -> owner.equals(ResourceApplier.labels(o).get(Labels.OWNER))).toList();
    }

    /**
     * The server's answer to a write of ours: the next reconcile finds it even before the watch delivers it (JOSDK's
     * temporary resource cache), so it neither creates the object twice nor compares with the version before.
     */
    void written(HasMetadata answer);

    /** @param watched whether a watch covers the type; when not, {@code object} means nothing and the caller reads live */
    record Lookup(boolean watched, HasMetadata object) {

        static Lookup unknown() {
            return new Lookup(false, null);
        }

        static Lookup of(HasMetadata object) {
            return new Lookup(true, object);
        }
    }
}
