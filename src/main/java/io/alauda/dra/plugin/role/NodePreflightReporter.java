package io.alauda.dra.plugin.role;

import io.alauda.dra.operator.resources.Names;
import io.alauda.dra.preflight.Finding;
import io.alauda.dra.preflight.Outcome;
import io.alauda.dra.preflight.PreflightReport;
import io.alauda.dra.slice.Backoff;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Tells the cluster what the node checks found, where each audience looks: a condition on the plugin's own Pod (the
 * operator gathers them into the NvidiaDraDriver's {@code status.nodes.preflight}), a Warning event on the Node for
 * each check that newly fails (`kubectl describe node`), the {@code nvidia_dra_plugin_preflight} metric, and the log.
 * A report equal to the last one sends nothing again; failing to send is logged, never fatal.
 */
public class NodePreflightReporter {

    static final String CONDITION = Names.NODE_PREFLIGHT_CONDITION;
    private static final Logger LOG = Logger.getLogger(NodePreflightReporter.class);
    private static final int PATCH_ATTEMPTS = 3;
    private static final Backoff PATCH_RETRY = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(4), 0.2);
    private static final List<String> OUTCOMES = Arrays.stream(Outcome.values()).map(Outcome::label).toList();

    private final KubernetesClient client;
    private final String namespace;
    private final String podName;
    private final PluginEvents events;
    private final PluginMetrics metrics;
    private final Clock clock;
    private PreflightReport last;
    private Instant lastTransition;

    public NodePreflightReporter(KubernetesClient client, String namespace, String podName, PluginEvents events,
            PluginMetrics metrics, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.podName = podName;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    public synchronized void report(PreflightReport report) {
        if (report.equals(last)) {
            return;
        }
        for (Finding finding : report.findings()) {
            metrics.preflight(finding.check().label(), finding.outcome().label(), OUTCOMES);
            if (finding.outcome() != Outcome.PASSED && !previously(finding)) {
                events.nodeWarning(finding.reason(), finding.message());
            }
        }
        boolean devices = report.allowsDevices();
        if (last == null || last.allowsDevices() != devices) {
            lastTransition = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        }
        podCondition(report, devices);
        last = report;
    }

    private boolean previously(Finding finding) {
        return last != null && last.findings().contains(finding);
    }

    /**
     * Status True while the node may publish devices (every check passed, or some could not decide); the reason is
     * the worst finding's. Retried a few times: the report is sent once per start, so a lost patch would leave the
     * operator without this node's checks until the plugin restarts.
     */
    private void podCondition(PreflightReport report, boolean devices) {
        if (client == null || namespace == null || podName == null) {
            return;
        }
        Finding decisive = report.decisive();
        // A strategic merge patch merges pod conditions by type: the kubelet's own conditions stay as they are.
        Map<String, Object> patch = Map.of("status", Map.of("conditions", List.of(Map.of(
                "type", CONDITION,
                "status", devices ? "True" : "False",
                "reason", decisive == null || decisive.outcome() == Outcome.PASSED ? "Passed" : decisive.reason(),
                "message", truncate(report.summary(), 4096),
                "lastTransitionTime", lastTransition.toString()))));
        for (int attempt = 1; ; attempt++) {
            try {
                client.pods().inNamespace(namespace).withName(podName).subresource("status")
                        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), Serialization.asJson(patch));
                return;
            } catch (KubernetesClientException e) {
                if (attempt == PATCH_ATTEMPTS) {
                    LOG.warnf("could not set condition %s on pod %s/%s: %s", CONDITION, namespace, podName, e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(PATCH_RETRY.delayAfter(attempt).toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String truncate(String text, int max) {
        return text.length() > max ? text.substring(0, max - 3) + "..." : text;
    }
}
