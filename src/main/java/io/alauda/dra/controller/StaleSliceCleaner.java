package io.alauda.dra.controller;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Deletes ResourceSlices of driver gpu.nvidia.com whose node no longer exists, and only those: never another
 * driver's slice, never a slice published for all nodes or by node selector, never a slice whose node exists.
 * The node cache can lag behind the API server (a node created a moment ago may not be in it yet), so absence
 * from the cache only makes a slice a candidate; a live GET of the node must answer NotFound before the slice goes,
 * and the delete carries the slice's resourceVersion as a precondition so a slice re-published meanwhile survives.
 */
final class StaleSliceCleaner {

    private static final Logger LOG = Logger.getLogger(StaleSliceCleaner.class);

    private final KubernetesClient client;
    private final ResourceApiVersion api;
    private final ClusterState state;
    private final BooleanSupplier active;
    private final ControllerEvents events;
    private final ControllerMetrics metrics;
    private final Executor executor;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    StaleSliceCleaner(KubernetesClient client, ResourceApiVersion api, ClusterState state, BooleanSupplier active,
                      ControllerEvents events, ControllerMetrics metrics, Executor executor) {
        this.client = client;
        this.api = api;
        this.state = state;
        this.active = active;
        this.events = events;
        this.metrics = metrics;
        this.executor = executor;
    }

    /** Called for every slice added or changed; cheap when the slice's node is known. */
    void consider(SliceView slice) {
        if (candidate(slice) && queued.add(slice.name())) {
            try {
                executor.execute(() -> check(slice.name()));
            } catch (RejectedExecutionException e) {
                queued.remove(slice.name()); // shutting down
            }
        }
    }

    void nodeGone(String node) {
        state.slicesOfNode(node).forEach(this::consider);
    }

    void sweep() {
        state.slices().forEach(this::consider);
    }

    private boolean candidate(SliceView slice) {
        return slice != null && active.getAsBoolean() && DeviceFacts.DRIVER.equals(slice.driver()) && slice.perNode()
                && !state.hasNode(slice.nodeName());
    }

    void check(String sliceName) {
        queued.remove(sliceName);
        SliceView slice = state.slice(sliceName);
        if (!candidate(slice)) {
            return;
        }
        Node node;
        try {
            node = client.nodes().withName(slice.nodeName()).get();
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot tell whether node %s exists, keeping ResourceSlice %s: %s", slice.nodeName(), sliceName, e.getMessage());
            return;
        }
        if (node != null) {
            LOG.debugf("node %s exists but is not in the cache yet; keeping ResourceSlice %s", slice.nodeName(), sliceName);
            return;
        }
        try {
            var deleted = client.resources(api.sliceClass()).withName(sliceName).lockResourceVersion(slice.resourceVersion()).delete();
            if (deleted == null || deleted.isEmpty()) {
                return; // someone else deleted it first
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            if (e.getCode() == 409) {
                LOG.debugf("ResourceSlice %s changed since it was seen; its update event brings it back here", sliceName);
                return;
            }
            LOG.warnf("could not delete stale ResourceSlice %s (node %s is gone): %s", sliceName, slice.nodeName(), e.getMessage());
            return;
        }
        LOG.infof("deleted ResourceSlice %s of driver %s: node %s no longer exists", sliceName, slice.driver(), slice.nodeName());
        metrics.staleSliceDeleted();
        events.staleSliceDeleted(slice);
    }
}
