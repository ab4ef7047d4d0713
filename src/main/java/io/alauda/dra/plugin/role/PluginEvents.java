package io.alauda.dra.plugin.role;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * Warning events about the plugin's own Pod, so `kubectl describe pod` on a node's plugin shows what went wrong, and
 * about its Node (the node checks, device health; a device's recovery is a Normal one). Without the pod's identity
 * (run outside a pod) pod events are only logged. Failing to record one is never fatal.
 */
public class PluginEvents {

    private static final Logger LOG = Logger.getLogger(PluginEvents.class);
    static final String COMPONENT = "nvidia-dra-driver-gpu-kubelet-plugin";
    static final String NODE_EVENT_NAMESPACE = "default";
    private static final String WARNING = "Warning";
    private static final String NORMAL = "Normal";

    private final KubernetesClient client;
    private final String namespace;
    private final String podName;
    private final String podUid;
    private final String nodeName;

    public PluginEvents(KubernetesClient client, String namespace, String podName, String podUid, String nodeName) {
        this.client = client;
        this.namespace = namespace;
        this.podName = podName;
        this.podUid = podUid;
        this.nodeName = nodeName;
    }

    /** A Warning about the plugin's own Pod. */
    public void warning(String reason, String message) {
        LOG.warnf("%s: %s", reason, message);
        if (namespace == null || podName == null) {
            return;
        }
        record(namespace, podName, new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace(namespace)
                .withName(podName).withUid(podUid).build(), reason, message);
    }

    /**
     * A Warning about the plugin's Node, for `kubectl describe node`; in the default namespace, where events about
     * cluster-scoped objects live.
     */
    public void nodeWarning(String reason, String message) {
        LOG.warnf("node %s: %s: %s", nodeName, reason, message);
        recordOnNode(WARNING, reason, message);
    }

    /** A Normal event about the plugin's Node: something that went wrong is right again. */
    public void nodeNormal(String reason, String message) {
        LOG.infof("node %s: %s: %s", nodeName, reason, message);
        recordOnNode(NORMAL, reason, message);
    }

    private void recordOnNode(String type, String reason, String message) {
        if (nodeName == null) {
            return;
        }
        record(NODE_EVENT_NAMESPACE, nodeName, new ObjectReferenceBuilder().withApiVersion("v1").withKind("Node")
                .withName(nodeName).build(), type, reason, message);
    }

    private void record(String eventNamespace, String namePrefix, ObjectReference involved, String reason, String message) {
        record(eventNamespace, namePrefix, involved, WARNING, reason, message);
    }

    private void record(String eventNamespace, String namePrefix, ObjectReference involved, String type, String reason,
                        String message) {
        if (client == null) {
            return;
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.v1().events().inNamespace(eventNamespace).resource(new EventBuilder()
                    .withNewMetadata().withNamespace(eventNamespace)
                    .withName(namePrefix + "." + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT)).endMetadata()
                    .withInvolvedObject(involved)
                    .withType(type).withReason(reason)
                    .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent(COMPONENT).withHost(nodeName).endSource()
                    .withReportingComponent(COMPONENT).withReportingInstance(nodeName)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s about %s %s: %s", reason, involved.getKind(), involved.getName(), e.getMessage());
        }
    }
}
