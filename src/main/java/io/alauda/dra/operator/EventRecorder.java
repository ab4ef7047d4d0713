package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * Core/v1 Events about the NvidiaDraDriver, so that {@code kubectl describe nvidiadradriver} shows them. The CR is
 * cluster-scoped, so its events live in the default namespace, as Kubernetes does for cluster-scoped objects.
 * Failing to record an event is logged, never fatal.
 */
final class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    static final String COMPONENT = "nvidia-dra-driver-operator";

    private final KubernetesClient client;

    EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    void warning(NvidiaDraDriver driver, Problem problem) {
        record(driver, "Warning", problem.reason().word(), problem.message());
    }

    private void record(NvidiaDraDriver driver, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String name = driver.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        try {
            client.v1().events().inNamespace("default").resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(HasMetadata.getApiVersion(NvidiaDraDriver.class))
                    .withKind(HasMetadata.getKind(NvidiaDraDriver.class))
                    .withName(driver.getMetadata().getName())
                    .withUid(driver.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s for NvidiaDraDriver %s: %s", reason, driver.getMetadata().getName(), e.getMessage());
        }
    }
}
