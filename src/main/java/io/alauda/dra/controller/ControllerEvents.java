package io.alauda.dra.controller;

import io.alauda.dra.resourceapi.ResourceApiVersion;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * The controller's core/v1 Events: one for each stale ResourceSlice deleted, and one on a pending ResourceClaim (and
 * the pod that owns it) when the claim doctor finds it cannot be allocated. A ResourceSlice is cluster-scoped, and
 * Kubernetes files events about cluster-scoped objects in the "default" namespace (as the operator does for its CR),
 * so {@code kubectl get events -n default --field-selector reason=StaleResourceSliceDeleted} finds them; claim
 * events live in the claim's namespace, where {@code kubectl describe resourceclaim} shows them.
 */
final class ControllerEvents {

    static final String NAMESPACE = "default";
    static final String REASON = "StaleResourceSliceDeleted";
    static final String UNSATISFIABLE = "UnsatisfiableClaim";
    static final String COMPONENT = "nvidia-dra-driver-gpu-controller";
    /** What kubectl and the events API keep readable; the rest of a long explanation is in {@code explain}. */
    static final int MAX_MESSAGE = 1024;

    private static final Logger LOG = Logger.getLogger(ControllerEvents.class);

    private final KubernetesClient client;
    private final ResourceApiVersion api;
    private final String instance;
    private final Clock clock;

    ControllerEvents(KubernetesClient client, ResourceApiVersion api, String instance, Clock clock) {
        this.client = client;
        this.api = api;
        this.instance = instance;
        this.clock = clock;
    }

    void staleSliceDeleted(SliceView slice) {
        record(NAMESPACE, new ObjectReferenceBuilder().withApiVersion(api.apiVersion()).withKind("ResourceSlice")
                        .withName(slice.name()).withUid(slice.uid()).withResourceVersion(slice.resourceVersion()).build(),
                "Normal", REASON, "Deleted ResourceSlice " + slice.name() + " of driver " + slice.driver() + ": its node "
                        + slice.nodeName() + " no longer exists");
    }

    /** A Warning on a claim or a pod (involved object in the claim's namespace) saying why the claim cannot be allocated. */
    void unsatisfiable(ObjectReference involved, String message) {
        record(involved.getNamespace(), involved, "Warning", UNSATISFIABLE, message);
    }

    private void record(String namespace, ObjectReference involved, String type, String reason, String message) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        String text = message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(involved.getName() + "." + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT))
                    .withNamespace(namespace)
                    .endMetadata()
                    .withInvolvedObject(involved)
                    .withType(type)
                    .withReason(reason)
                    .withMessage(text)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .withReportingInstance(instance)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s for %s %s/%s: %s", reason, involved.getKind(), namespace, involved.getName(),
                    e.getMessage());
        }
    }
}
