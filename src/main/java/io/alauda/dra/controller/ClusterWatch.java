package io.alauda.dra.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The three informers: our driver's ResourceSlices (field selector spec.driver, plus the same check on each
 * object, since a server or mock may ignore the selector), ResourceClaims in all namespaces, and Nodes. They list
 * once and then watch; a handler turns each object into a view in {@link ClusterState} and never relists.
 */
final class ClusterWatch<S extends HasMetadata, C extends HasMetadata> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterWatch.class);

    private final SharedIndexInformer<S> slices;
    private final SharedIndexInformer<C> claims;
    private final SharedIndexInformer<Node> nodes;

    ClusterWatch(KubernetesClient client, ResourceApi<S, C> api, ClusterState state, NodeSelection selection,
                 boolean sliceFieldSelector, Consumer<SliceView> sliceSeen, Consumer<String> nodeGone) {
        Informable<S> sliceSource = sliceFieldSelector
                ? client.resources(api.sliceClass()).withField("spec.driver", DeviceFacts.DRIVER)
                : client.resources(api.sliceClass());
        slices = prepare(sliceSource.runnableInformer(0), new KeyOnlyItemStore<>(api.emptySlice()), "ResourceSlices",
                new Handler<>("ResourceSlice",
                        slice -> {
                            SliceView view = api.sliceView(slice);
                            if (DeviceFacts.DRIVER.equals(view.driver())) {
                                state.putSlice(view);
                                sliceSeen.accept(view);
                            } else {
                                state.removeSlice(view.name());
                            }
                        },
                        slice -> state.removeSlice(slice.getMetadata().getName())));
        claims = prepare(client.resources(api.claimClass()).inAnyNamespace().runnableInformer(0),
                new KeyOnlyItemStore<>(api.emptyClaim()), "ResourceClaims",
                new Handler<>("ResourceClaim",
                        claim -> state.putClaim(api.claimView(claim)),
                        claim -> state.removeClaim(claim.getMetadata().getNamespace(), claim.getMetadata().getName())));
        nodes = prepare(client.nodes().runnableInformer(0), new KeyOnlyItemStore<>(Node::new), "Nodes",
                new Handler<>("Node",
                        node -> state.putNode(node.getMetadata().getName(), selection.selects(node.getMetadata().getLabels())),
                        node -> {
                            state.removeNode(node.getMetadata().getName());
                            nodeGone.accept(node.getMetadata().getName());
                        }));
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> prepare(SharedIndexInformer<T> informer, KeyOnlyItemStore<T> store,
                                                                           String what, Handler<T> handler) {
        informer.itemStore(store);
        informer.removeNamespaceIndex();
        informer.exceptionHandler((started, error) -> {
            if (error instanceof IllegalStateException) {
                return false; // the client was closed: the controller is stopping
            }
            LOG.warnf("watching %s failed, retrying: %s", what, error.getMessage());
            return true;
        });
        informer.addEventHandler(handler);
        return informer;
    }

    /** Starts all three; completes once each has listed and handed every object to its handler. */
    CompletableFuture<Void> start() {
        return CompletableFuture.allOf(List.of(slices, claims, nodes).stream()
                .map(informer -> informer.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    boolean synced() {
        return slices.hasSynced() && claims.hasSynced() && nodes.hasSynced();
    }

    boolean watching() {
        return slices.isWatching() && claims.isWatching() && nodes.isWatching();
    }

    @Override
    public void close() {
        slices.close();
        claims.close();
        nodes.close();
    }

    /** Adds and updates go through one path, so a missed update is healed by the next one; a bad object is skipped. */
    private static final class Handler<T extends HasMetadata> implements ResourceEventHandler<T> {
        private final String kind;
        private final Consumer<T> upsert;
        private final Consumer<T> delete;

        Handler(String kind, Consumer<T> upsert, Consumer<T> delete) {
            this.kind = kind;
            this.upsert = upsert;
            this.delete = delete;
        }

        @Override
        public void onAdd(T obj) {
            apply(upsert, obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            apply(upsert, newObj);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            apply(delete, obj);
        }

        private void apply(Consumer<T> action, T obj) {
            try {
                action.accept(obj);
            } catch (RuntimeException e) {
                LOG.warnf("skipping %s %s that could not be read: %s", kind, obj.getMetadata().getName(), e);
            }
        }
    }
}
