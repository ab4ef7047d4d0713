package io.alauda.dra.slice;

import io.alauda.dra.device.DeviceModel;
import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.net.HttpURLConnection;
import java.util.List;

/**
 * The ResourceSlice calls of one API version, typed through fabric8's generic {@code resources(Class)} because the
 * client DSL only has a v1 shortcut. Every failure comes back as a {@link SlicePublishException} saying what was
 * being done.
 */
final class SliceClient {

    static final String FIELD_DRIVER = "spec.driver";
    static final String FIELD_NODE_NAME = "spec.nodeName";

    private final KubernetesClient client;
    private final ResourceApiVersion version;

    SliceClient(KubernetesClient client, ResourceApiVersion version) {
        this.client = client;
        this.version = version;
    }

    ResourceApiVersion version() {
        return version;
    }

    /** This node's slices of our driver, and only those, however the server treated the selector. */
    List<SliceView> list(String nodeName, SliceListScope scope) {
        try {
            return listAll(version.sliceClass(), nodeName, scope).stream()
                    .map(SliceView::of)
                    .filter(slice -> slice.belongsTo(DeviceModel.DRIVER, nodeName))
                    .toList();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                throw new SlicePublishException(version.apiVersion() + " ResourceSlices are not served by this API server: "
                        + "set the resource API version to auto or to a version the cluster serves", e);
            }
            throw failure("listing ResourceSlices of node " + nodeName, e);
        }
    }

    /** Whether a failure says that this API version is not served (HTTP 404 on the collection). */
    static boolean isNotServed(SlicePublishException e) {
        return e.getCause() instanceof KubernetesClientException cause && cause.getCode() == HttpURLConnection.HTTP_NOT_FOUND
                && e.getMessage().contains("not served");
    }

    HasMetadata create(HasMetadata slice) {
        try {
            return create(version.sliceClass(), slice);
        } catch (KubernetesClientException e) {
            throw failure("creating ResourceSlice " + slice.getMetadata().getGenerateName() + "*", e);
        }
    }

    HasMetadata update(HasMetadata slice) {
        try {
            return update(version.sliceClass(), slice);
        } catch (KubernetesClientException e) {
            throw failure("updating ResourceSlice " + slice.getMetadata().getName(), e);
        }
    }

    /** A slice someone else deleted first counts as deleted. */
    void delete(HasMetadata slice) {
        try {
            client.resources(version.sliceClass()).withName(slice.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw failure("deleting ResourceSlice " + slice.getMetadata().getName(), e);
            }
        }
    }

    /** Not started; events for other drivers' or nodes' slices are dropped here. */
    SharedIndexInformer<? extends HasMetadata> informer(String nodeName, SliceListScope scope, ResourceEventHandler<HasMetadata> handler) {
        SharedIndexInformer<? extends HasMetadata> informer = scoped(version.sliceClass(), nodeName, scope).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<HasMetadata>() {
            @Override
            public void onAdd(HasMetadata slice) {
                if (ours(slice, nodeName)) {
                    handler.onAdd(slice);
                }
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                if (ours(before, nodeName) || ours(after, nodeName)) {
                    handler.onUpdate(before, after);
                }
            }

            @Override
            public void onDelete(HasMetadata slice, boolean finalStateUnknown) {
                if (ours(slice, nodeName)) {
                    handler.onDelete(slice, finalStateUnknown);
                }
            }
        });
        return informer;
    }

    private static boolean ours(HasMetadata slice, String nodeName) {
        return slice != null && SliceView.of(slice).belongsTo(DeviceModel.DRIVER, nodeName);
    }

    private <T extends HasMetadata> List<? extends HasMetadata> listAll(Class<T> type, String nodeName, SliceListScope scope) {
        return scoped(type, nodeName, scope).list().getItems();
    }

    private <T extends HasMetadata> FilterWatchListDeletable<T, KubernetesResourceList<T>, Resource<T>> scoped(
            Class<T> type, String nodeName, SliceListScope scope) {
        MixedOperation<T, KubernetesResourceList<T>, Resource<T>> all = client.resources(type);
        if (scope == SliceListScope.CLIENT_SIDE) {
            return all;
        }
        return all.withField(FIELD_DRIVER, DeviceModel.DRIVER).withField(FIELD_NODE_NAME, nodeName);
    }

    private <T extends HasMetadata> T create(Class<T> type, HasMetadata slice) {
        return client.resources(type).resource(type.cast(slice)).create();
    }

    private <T extends HasMetadata> T update(Class<T> type, HasMetadata slice) {
        return client.resources(type).resource(type.cast(slice)).update();
    }

    private SlicePublishException failure(String doing, KubernetesClientException e) {
        String hint = switch (e.getCode()) {
            case HttpURLConnection.HTTP_FORBIDDEN -> " (the kubelet plugin's ServiceAccount needs get, list, watch, create, "
                    + "update and delete on resourceslices.resource.k8s.io; the admission policy only lets it write its own node's slices)";
            case HttpURLConnection.HTTP_CONFLICT -> " (changed by someone else meanwhile; the next attempt starts from a fresh list)";
            default -> "";
        };
        return new SlicePublishException(version.apiVersion() + ": " + doing + " failed: " + message(e) + hint, e);
    }

    private static String message(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return "HTTP " + e.getCode() + " " + e.getStatus().getMessage();
        }
        return e.getCode() > 0 ? "HTTP " + e.getCode() + " " + e.getMessage() : String.valueOf(e.getMessage());
    }
}
