package io.alauda.dra.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer store that keeps only each object's key and resourceVersion. The controller keeps its own compact
 * views of what it needs, so holding 20,000 full ResourceClaims (managed fields and all) a second time would only
 * cost memory. The informer still knows every key, so a relist still reports deletions; and because the store is
 * not "full state", the informer hands every added object to the handlers as it arrives.
 */
final class KeyOnlyItemStore<T extends HasMetadata> implements ItemStore<T> {

    private final ConcurrentHashMap<String, String> resourceVersions = new ConcurrentHashMap<>();
    private final Supplier<T> empty;

    KeyOnlyItemStore(Supplier<T> empty) {
        this.empty = empty;
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        String version = obj.getMetadata().getResourceVersion();
        return restore(key, resourceVersions.put(key, version == null ? "" : version));
    }

    @Override
    public T remove(String key) {
        return restore(key, resourceVersions.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return resourceVersions.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return resourceVersions.entrySet().stream().map(e -> restore(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return resourceVersions.size();
    }

    @Override
    public T get(String key) {
        return restore(key, resourceVersions.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    /** A stand-in carrying name, namespace and resourceVersion: all the informer needs to detect changes. */
    private T restore(String key, String resourceVersion) {
        if (resourceVersion == null) {
            return null;
        }
        int slash = key.indexOf('/');
        T obj = empty.get();
        obj.setMetadata(new ObjectMetaBuilder()
                .withNamespace(slash < 0 ? null : key.substring(0, slash))
                .withName(slash < 0 ? key : key.substring(slash + 1))
                .withResourceVersion(resourceVersion)
                .build());
        return obj;
    }
}
