package io.alauda.dra.controller;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * Records a core/v1 Event for each stale ResourceSlice deleted. A ResourceSlice is cluster-scoped, and Kubernetes
 * files events about cluster-scoped objects in the "default" namespace (as the operator does for its CR), so
 * {@code kubectl get events -n default --field-selector reason=StaleResourceSliceDeleted} finds them.
 */
final class SliceEventRecorder {

    static final String NAMESPACE = "default";
    static final String REASON = "StaleResourceSliceDeleted";
    static final String COMPONENT = "nvidia-dra-driver-gpu-controller";

    private static final Logger LOG = Logger.getLogger(SliceEventRecorder.class);

    private final KubernetesClient client;
    private final ResourceApiVersion api;
    private final String instance;
    private final Clock clock;

    SliceEventRecorder(KubernetesClient client, ResourceApiVersion api, String instance, Clock clock) {
        this.client = client;
        this.api = api;
        this.instance = instance;
        this.clock = clock;
    }

    void staleSliceDeleted(SliceView slice) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        String message = "Deleted ResourceSlice " + slice.name() + " of driver " + slice.driver() + ": its node "
                + slice.nodeName() + " no longer exists";
        try {
            client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(slice.name() + "." + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT))
                    .withNamespace(NAMESPACE)
                    .endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(api.apiVersion())
                    .withKind("ResourceSlice")
                    .withName(slice.name())
                    .withUid(slice.uid())
                    .withResourceVersion(slice.resourceVersion())
                    .endInvolvedObject()
                    .withType("Normal")
                    .withReason(REASON)
                    .withMessage(message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .withReportingInstance(instance)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s for ResourceSlice %s: %s", REASON, slice.name(), e.getMessage());
        }
    }
}
