package io.alauda.dra.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Told by JOSDK when one of the operator's informers stops on an error (QOSDK uses this bean as JOSDK's
 * InformerStoppedHandler; without one, nothing at all happens when a watch ends). fabric8 does not restart an informer
 * that stopped on an error such as an object it cannot read, so the watch is gone for good: this logs why and keeps
 * it for {@link OperatorWatchLiveness}, which then reports DOWN so that the kubelet restarts the operator.
 */
@ApplicationScoped
@Unremovable
public class InformerStops implements InformerStoppedHandler {

    private static final Logger LOG = Logger.getLogger(InformerStops.class);

    record Stop(String informer, String error, Instant at) {
    }

    private final List<Stop> stops = new CopyOnWriteArrayList<>();

    @Override
    @SuppressWarnings("rawtypes")
    public void onStop(SharedIndexInformer informer, Throwable error) {
        if (error == null) {
            return; // stopped on purpose (operator shutdown)
        }
        String name = describe(informer);
        stops.add(new Stop(name, rootMessage(error), Instant.now()));
        LOG.errorf(error, "the watch of %s stopped on an error and will not restart; liveness now fails so that the "
                + "kubelet restarts the operator", name);
    }

    List<Stop> stops() {
        return List.copyOf(stops);
    }

    @SuppressWarnings("rawtypes")
    private static String describe(SharedIndexInformer informer) {
        try {
            Class<?> type = informer.getApiTypeClass();
            @SuppressWarnings("unchecked")
            Class<? extends HasMetadata> resource = (Class<? extends HasMetadata>) type;
            return HasMetadata.getFullResourceName(resource) + "/" + HasMetadata.getVersion(resource);
        } catch (RuntimeException e) {
            return String.valueOf(informer);
        }
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int end = message.indexOf('\n');
        message = end < 0 ? message : message.substring(0, end);
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
