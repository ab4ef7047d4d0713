package io.alauda.dra.slice;

import io.alauda.dra.resourceapi.ResourceApiVersion;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the kubelet plugin publishes its node's slices.
 *
 * @param nodeName           the Node this plugin runs on (its pod's {@code spec.nodeName})
 * @param resourceApiVersion {@code auto} (the newest the server serves: v1, then v1beta2, then v1beta1) or one of
 *                           {@code v1}, {@code v1beta2}, {@code v1beta1} to skip discovery
 * @param listScope          how list and watch are narrowed to this node; {@link SliceListScope#FIELD_SELECTOR} in
 *                           production
 * @param backoff            delays between failed attempts
 * @param eventDelay         how long to gather watch events before syncing, so that a burst (kubelet deleting
 *                           several slices) costs one sync
 * @param deleteSlicesOnStop whether {@link ResourceSlicePublisher#stop()} deletes the node's slices. Off by default:
 *                           kubelet wipes them 30 s after the plugin is gone, and a rolling update must not leave the
 *                           node without devices while the new pod starts
 * @param deviceTaints       whether devices may carry health taints (health monitoring is on): slices then hold at
 *                           most 64 devices from the start, the API's limit once any device is tainted
 */
public record PublisherOptions(String nodeName, String resourceApiVersion, SliceListScope listScope, Backoff backoff,
                               Duration eventDelay, boolean deleteSlicesOnStop, boolean deviceTaints) {

    public static final Duration DEFAULT_EVENT_DELAY = Duration.ofMillis(500);

    public PublisherOptions {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName is empty: pass the Node the plugin runs on, e.g. from the pod's "
                    + "spec.nodeName through the downward API");
        }
        Objects.requireNonNull(resourceApiVersion, "resourceApiVersion");
        ResourceApiVersion.configured(resourceApiVersion);
        Objects.requireNonNull(listScope, "listScope");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(eventDelay, "eventDelay");
        if (eventDelay.isNegative()) {
            throw new IllegalArgumentException("eventDelay must not be negative, got " + eventDelay);
        }
    }

    /** Defaults: auto version, field selectors, {@link Backoff#DEFAULT}, 500 ms event delay, slices kept on stop. */
    public static PublisherOptions forNode(String nodeName) {
        return new PublisherOptions(nodeName, ResourceApiVersion.AUTO, SliceListScope.FIELD_SELECTOR, Backoff.DEFAULT,
                DEFAULT_EVENT_DELAY, false, false);
    }

    public PublisherOptions withResourceApiVersion(String version) {
        return new PublisherOptions(nodeName, version, listScope, backoff, eventDelay, deleteSlicesOnStop, deviceTaints);
    }

    public PublisherOptions withListScope(SliceListScope scope) {
        return new PublisherOptions(nodeName, resourceApiVersion, scope, backoff, eventDelay, deleteSlicesOnStop, deviceTaints);
    }

    public PublisherOptions withBackoff(Backoff value) {
        return new PublisherOptions(nodeName, resourceApiVersion, listScope, value, eventDelay, deleteSlicesOnStop, deviceTaints);
    }

    public PublisherOptions withEventDelay(Duration value) {
        return new PublisherOptions(nodeName, resourceApiVersion, listScope, backoff, value, deleteSlicesOnStop, deviceTaints);
    }

    public PublisherOptions withDeleteSlicesOnStop(boolean value) {
        return new PublisherOptions(nodeName, resourceApiVersion, listScope, backoff, eventDelay, value, deviceTaints);
    }

    public PublisherOptions withDeviceTaints(boolean value) {
        return new PublisherOptions(nodeName, resourceApiVersion, listScope, backoff, eventDelay, deleteSlicesOnStop, value);
    }

    /** The configured version, or empty for {@code auto}. */
    public Optional<ResourceApiVersion> forcedVersion() {
        return ResourceApiVersion.configured(resourceApiVersion);
    }
}
