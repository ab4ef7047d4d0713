package io.alauda.dra.controller;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.alauda.dra.resourceapi.V1Shape;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The three informers: our driver's ResourceSlices (field selector spec.driver, plus the same check on each
 * object, since a server or mock may ignore the selector), ResourceClaims in all namespaces, and Nodes. They list
 * once and then watch; a handler turns each object into a view in {@link ClusterState} and never relists.
 */
final class ClusterWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterWatch.class);

    private final SharedIndexInformer<? extends HasMetadata> slices;
    private final SharedIndexInformer<? extends HasMetadata> claims;
    private final SharedIndexInformer<Node> nodes;

    ClusterWatch(KubernetesClient client, ResourceApiVersion api, ClusterState state, NodeSelection selection,
                 boolean sliceFieldSelector, Consumer<SliceView> sliceSeen, Consumer<String> nodeGone) {
        slices = prepare(client, api.sliceClass(), source -> sliceFieldSelector
                        ? source.withField("spec.driver", DeviceFacts.DRIVER) : source, "ResourceSlices",
                new Handler<HasMetadata>("ResourceSlice",
                        slice -> {
                            SliceView view = V1Views.slice(V1Shape.slice(slice));
                            if (DeviceFacts.DRIVER.equals(view.driver())) {
                                state.putSlice(view);
                                sliceSeen.accept(view);
                            } else {
                                state.removeSlice(view.name());
                            }
                        },
                        slice -> state.removeSlice(slice.getMetadata().getName())));
        claims = prepare(client, api.claimClass(), source -> source.inAnyNamespace(), "ResourceClaims",
                new Handler<HasMetadata>("ResourceClaim",
                        claim -> state.putClaim(V1Views.claim(V1Shape.claim(claim))),
                        claim -> state.removeClaim(claim.getMetadata().getNamespace(), claim.getMetadata().getName())));
        nodes = prepare(client, Node.class, source -> source, "Nodes",
                new Handler<>("Node",
                        node -> state.putNode(node.getMetadata().getName(), selection.selects(node.getMetadata().getLabels())),
                        node -> {
                            state.removeNode(node.getMetadata().getName());
                            nodeGone.accept(node.getMetadata().getName());
                        }));
    }

    /** The informer of one kind, keeping only keys (objects are turned into views as they arrive). */
    private static <T extends HasMetadata> SharedIndexInformer<T> prepare(
            KubernetesClient client, Class<T> type, Function<MixedOperation<T, KubernetesResourceList<T>, Resource<T>>, Informable<T>> scope,
            String what, Handler<? super T> handler) {
        SharedIndexInformer<T> informer = scope.apply(client.resources(type)).runnableInformer(0);
        informer.itemStore(new KeyOnlyItemStore<>(empty(type)));
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

    /** Makes empty objects of a fabric8 model class, for the key-only store's stand-ins. */
    private static <T> Supplier<T> empty(Class<T> type) {
        Constructor<T> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no public no-argument constructor", e);
        }
        return () -> {
            try {
                return constructor.newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create an empty " + type.getName(), e);
            }
        };
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
