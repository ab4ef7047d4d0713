package io.alauda.dra.plugin.role;

import io.alauda.dra.preflight.Check;
import io.alauda.dra.preflight.Finding;
import io.alauda.dra.preflight.Outcome;
import io.alauda.dra.preflight.PreflightReport;
import io.alauda.dra.testing.FakeCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three places a node check's outcome goes, on the fabric8 mock; the real merge with kubelet's conditions is NodePreflightIT's. */
@EnableKubernetesMockClient
class NodePreflightReporterTest {

    private static final String NAMESPACE = "kube-system";
    private static final String POD = "nvidia-dra-driver-kubelet-plugin-abcde";
    private static final String NODE = "gpu-1";
    private static final Finding FILES = new Finding(Check.DRIVER_FILES, Outcome.PASSED, "DriverFilesPresent", "found");
    private static final Finding OLD_DRIVER = new Finding(Check.DRIVER_VERSION, Outcome.FAILED, "DriverTooOld",
            "NVIDIA driver 550.163.01 is older than 565");
    private static final Finding NEW_DRIVER = new Finding(Check.DRIVER_VERSION, Outcome.PASSED, "DriverSupported", "580");

    private record SentPatch(String contentType, String body) {
    }

    /** Set by a test: the next status patch is answered 503, as during an API server hiccup. */
    private volatile boolean refuseNextPatch;
    /** Whether the status patch being answered was refused. */
    private volatile boolean refused;

    KubernetesClient client;
    KubernetesMockServer server;
    private final List<SentPatch> patches = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private SimpleMeterRegistry registry;
    private NodePreflightReporter reporter;

    @BeforeEach
    void pod() {
        Pod pod = new PodBuilder().withNewMetadata().withName(POD).withNamespace(NAMESPACE).endMetadata().build();
        server.expect().patch().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + POD + "/status")
                .andReply(FakeCluster.provider(request -> {
                    refused = refuseNextPatch;
                    refuseNextPatch = false;
                    if (!refused) {
                        patches.add(new SentPatch(request.getHeader("Content-Type"), request.getUtf8Body()));
                    }
                    return refused ? 503 : 200;
                }, request -> refused ? "{\"kind\":\"Status\",\"code\":503,\"message\":\"etcd leader changed\"}" : pod))
                .always();
        // fabric8 reads the pod before it patches a named resource's status.
        server.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + POD).andReturn(200, pod).always();
        server.expect().post().withPath("/api/v1/namespaces/default/events").andReply(201, request -> {
            Event event = Serialization.unmarshal(request.getUtf8Body(), Event.class);
            events.add(event);
            return event;
        }).always();
        registry = new SimpleMeterRegistry();
        reporter = new NodePreflightReporter(client, NAMESPACE, POD, new PluginEvents(client, NAMESPACE, POD, "uid-1", NODE),
                new PluginMetrics(registry, NODE),
                Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC));
    }

    /** The condition the last patch sent; a strategic merge patch, so the kubelet's conditions are kept. */
    private PodCondition condition() {
        SentPatch last = patches.get(patches.size() - 1);
        assertEquals("application/strategic-merge-patch+json", last.contentType().split(";")[0]);
        Pod patch = Serialization.unmarshal(last.body(), Pod.class);
        assertEquals(1, patch.getStatus().getConditions().size(), "only our condition is sent");
        return patch.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(NodePreflightReporter.CONDITION)).findFirst().orElseThrow();
    }

    private List<Event> nodeEvents() {
        return events.stream()
                .filter(e -> "Node".equals(e.getInvolvedObject().getKind()) && NODE.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    private double gauge(String check, String outcome) {
        return registry.get("nvidia_dra_plugin_preflight").tags("check", check, "outcome", outcome).gauge().value();
    }

    @Test
    void aFailedCheckSetsThePodConditionFalseWithItsReasonAndWarnsOnTheNodeOnce() {
        PreflightReport failed = new PreflightReport(List.of(FILES, OLD_DRIVER));

        reporter.report(failed);
        reporter.report(new PreflightReport(List.of(FILES, OLD_DRIVER)));

        PodCondition condition = condition();
        assertEquals("False", condition.getStatus());
        assertEquals("DriverTooOld", condition.getReason());
        assertEquals("DriverTooOld: NVIDIA driver 550.163.01 is older than 565", condition.getMessage());
        assertEquals("2026-12-04T10:00:00Z", condition.getLastTransitionTime());
        assertEquals(1, patches.size(), "the same report again sends nothing");
        List<Event> sent = nodeEvents();
        assertEquals(1, sent.size(), "the same report again sends nothing: " + sent);
        assertEquals("Warning", sent.get(0).getType());
        assertEquals("DriverTooOld", sent.get(0).getReason());
        assertEquals(1.0, gauge("driver-version", "Failed"));
        assertEquals(0.0, gauge("driver-version", "Passed"));
        assertEquals(1.0, gauge("driver-files", "Passed"));
    }

    @Test
    void aPassingReportSetsTheConditionTrueAndMovesTheMetric() {
        reporter.report(new PreflightReport(List.of(FILES, OLD_DRIVER)));

        reporter.report(new PreflightReport(List.of(FILES, NEW_DRIVER)));

        assertEquals("True", condition().getStatus());
        assertEquals("Passed", condition().getReason());
        assertEquals("all node checks passed", condition().getMessage());
        assertEquals(0.0, gauge("driver-version", "Failed"));
        assertEquals(1.0, gauge("driver-version", "Passed"));
        assertEquals(1, nodeEvents().size(), "passing checks make no events");
    }

    @Test
    void undecidedChecksKeepDevicesButAreStillReported() {
        Finding crio = new Finding(Check.CONTAINER_RUNTIME_CDI, Outcome.UNKNOWN, "RuntimeNotChecked", "cri-o://1.30.4");

        reporter.report(new PreflightReport(List.of(FILES, NEW_DRIVER, crio)));

        assertEquals("True", condition().getStatus());
        assertEquals("RuntimeNotChecked", condition().getReason());
        assertTrue(nodeEvents().stream().anyMatch(e -> e.getReason().equals("RuntimeNotChecked")));
    }

    @Test
    void withoutAPodIdentityOnlyMetricsAndEventsAreWritten() {
        NodePreflightReporter outside = new NodePreflightReporter(client, null, null,
                new PluginEvents(client, null, null, null, NODE), new PluginMetrics(registry, NODE), Clock.systemUTC());

        outside.report(new PreflightReport(List.of(FILES, OLD_DRIVER)));

        assertTrue(patches.isEmpty());
        assertEquals(1, nodeEvents().size());
    }

    @Test
    void aPatchTheServerRefusesOnceIsSentAgain() {
        Finding crio = new Finding(Check.CONTAINER_RUNTIME_CDI, Outcome.UNKNOWN, "RuntimeNotChecked", "cri-o://1.30.4");
        refuseNextPatch = true;

        reporter.report(new PreflightReport(List.of(FILES, NEW_DRIVER, crio)));

        assertEquals(false, refuseNextPatch, "the first patch was refused");
        assertEquals(1, patches.size(), "the second attempt got through");
        assertEquals("RuntimeNotChecked", condition().getReason());
    }
}
