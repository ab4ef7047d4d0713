package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriverSpec;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriverStatus;
import io.alauda.dra.operator.resources.InstallContext;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusAggregatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);
    private static final ClusterFacts FACTS = new ClusterFacts("v1.34.4", 34, List.of("v1", "v1beta2", "v1beta1"), false);

    private final NvidiaDraDriver driver = driver();

    @Test
    void aBlockingProblemKeepsWhatAnEarlierReconcileLearnedAndNamesItInAllThreeConditions() {
        NvidiaDraDriverStatus earlier = new NvidiaDraDriverStatus();
        earlier.namespace = "gpu-system";
        earlier.resourceApiVersion = "v1";
        driver.setStatus(earlier);
        Report report = new Report();
        report.add(Reason.INVALID_SPEC, "spec.controller.replicas must be between 0 and 5, got 9");

        NvidiaDraDriverStatus status = new StatusAggregator(driver, report, CLOCK).build();

        assertEquals("gpu-system", status.namespace);
        assertEquals("v1", status.resourceApiVersion);
        assertEquals(7L, status.observedGeneration);
        String message = "spec.controller.replicas must be between 0 and 5, got 9. Nothing was changed on the cluster; "
                + "objects installed earlier keep running.";
        assertCondition(status, "Ready", "False", "InvalidSpec", message);
        assertCondition(status, "Progressing", "False", "InvalidSpec", "waiting for the problem to be fixed");
        assertCondition(status, "Degraded", "True", "InvalidSpec", message);
    }

    @Test
    void aBlockedReconcileThatAskedTheServerRecordsWhatItSaw() {
        Report report = new Report();
        report.add(Reason.KUBERNETES_TOO_OLD, "v1.31.2");

        NvidiaDraDriverStatus status = new StatusAggregator(driver, report, CLOCK)
                .facts(new ClusterFacts("v1.31.2", 31, List.of("v1beta1"), false)).build();

        assertEquals("v1.31.2", status.kubernetesVersion);
        assertEquals(List.of("v1beta1"), status.servedResourceApiVersions);
        assertCondition(status, "Ready", "False", "KubernetesTooOld", null);
    }

    @Test
    void readyWhenEverythingIsAppliedAndRolledOutOnSelectedNodes() {
        NvidiaDraDriverStatus status = installed(new Report(), plugin(2, 2), controller(1, 1), new NodeCensus(2, List.of()), List.of(), null);

        assertCondition(status, "Ready", "True", "Installed", "the driver is installed; 2/2 selected GPU nodes run a ready kubelet plugin");
        assertCondition(status, "Progressing", "False", "Stable", "nothing is rolling out");
        assertCondition(status, "Degraded", "False", "AsExpected", "no problems found");
        assertEquals("gpu", status.namespace);
        assertEquals("2/2", status.nodes.summary);
        assertEquals(2, status.kubeletPlugin.available);
    }

    @Test
    void aRolloutKeepsReadyFalseAndProgressingTrueWithWhatItWaitsFor() {
        NvidiaDraDriverStatus status = installed(new Report(), plugin(2, 1), controller(1, 0), new NodeCensus(2, List.of()), List.of(), null);

        String waiting = "waiting for the kubelet plugin: 1 of 2 pods available, 2 updated; the controller: 0 of 1 replicas available";
        assertCondition(status, "Ready", "False", "RollingOut", waiting);
        assertCondition(status, "Progressing", "True", "RollingOut", waiting);
        assertCondition(status, "Degraded", "False", "AsExpected", null);
    }

    @Test
    void aHandoverThatHoldsThePluginBackIsTheRolloutsReason() {
        NvidiaDraDriverStatus status = installed(new Report(), null, controller(1, 1), new NodeCensus(2, List.of()), List.of(),
                "1 kubelet plugin pod of the previous installation still runs");

        assertCondition(status, "Ready", "False", "WaitingForOldPlugin", "1 kubelet plugin pod of the previous installation still runs");
        assertCondition(status, "Progressing", "True", "WaitingForOldPlugin", null);
    }

    @Test
    void aFailedWriteIsWhyItIsNotReadyAndNothingCountsAsRollingOut() {
        Report report = new Report();
        report.add(Reason.APPLY_FAILED, "write", "DaemonSet gpu/nvidia-dra-driver-gpu-kubelet-plugin", "forbidden");

        NvidiaDraDriverStatus status = installed(report, plugin(2, 1), controller(1, 1), new NodeCensus(2, List.of()), List.of(), null);

        String message = "could not write DaemonSet gpu/nvidia-dra-driver-gpu-kubelet-plugin: forbidden";
        assertCondition(status, "Ready", "False", "ApplyFailed", message);
        assertCondition(status, "Progressing", "False", "Stable", null);
        assertCondition(status, "Degraded", "True", "ApplyFailed", message);
    }

    @Test
    void noSelectedNodeIsNotReadyWithTheLabelCommand() {
        NvidiaDraDriverStatus status = installed(new Report(), plugin(0, 0), controller(1, 1), new NodeCensus(0, List.of()), List.of(), null);

        assertCondition(status, "Ready", "False", "NoMatchingNodes", "no node matches spec.nodeSelector nvidia-device-enable=pgpu-dra, "
                + "so no node runs the kubelet plugin and no GPU can be claimed; label each GPU node: kubectl label node <node> "
                + "nvidia-device-enable=pgpu-dra (or change spec.nodeSelector to labels your GPU nodes carry)");
    }

    @Test
    void failedNodeChecksDegradeOnlyWhenTheOperatorHasNoProblemOfItsOwn() {
        NvidiaDraDriverStatus.NodePreflight failed = new NvidiaDraDriverStatus.NodePreflight();
        failed.node = "gpu-b";
        failed.message = "DriverTooOld: 550 is older than 565";
        List<NvidiaDraDriverStatus.NodePreflight> preflights = List.of(failed);

        NvidiaDraDriverStatus alone = installed(new Report(), plugin(2, 2), controller(1, 1), new NodeCensus(2, List.of()), preflights, null);
        Report report = new Report();
        report.add(Reason.FEATURE_GATE_NOT_IMPLEMENTED, "MPSSupport");
        NvidiaDraDriverStatus withWarning = installed(report, plugin(2, 2), controller(1, 1), new NodeCensus(2, List.of()), preflights, null);

        assertCondition(alone, "Degraded", "True", "NodeChecksFailed",
                "1 node(s) publish no GPUs because a node check failed (status.nodes.preflight): gpu-b: DriverTooOld: 550 is older than 565");
        assertCondition(alone, "Ready", "True", "Installed", null);
        assertEquals(1, alone.nodes.preflightFailed);
        assertCondition(withWarning, "Degraded", "True", "FeatureGateNotImplemented", null);
    }

    @Test
    void anInstallsStatusNeedsWhatTheInstallObserved() {
        assertThrows(IllegalStateException.class, () -> new StatusAggregator(driver, new Report(), CLOCK).facts(FACTS).build());
    }

    private NvidiaDraDriverStatus installed(Report report, DaemonSet plugin, Deployment controller, NodeCensus census,
            List<NvidiaDraDriverStatus.NodePreflight> preflights, String heldBack) {
        InstallContext ctx = new InstallContext(driver, "registry.example/dra:1", "v1", false);
        return new StatusAggregator(driver, report, CLOCK).facts(FACTS)
                .observed(new StatusAggregator.Observed(ctx, plugin, controller, census, preflights, heldBack)).build();
    }

    private static void assertCondition(NvidiaDraDriverStatus status, String type, String value, String reason, String message) {
        Condition condition = status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
        assertEquals(value, condition.getStatus(), type);
        assertEquals(reason, condition.getReason(), type);
        if (message != null) {
            assertEquals(message, condition.getMessage(), type);
        }
        assertTrue(condition.getLastTransitionTime().startsWith("2026-12-04T10:00:00"), condition.getLastTransitionTime());
    }

    private static NvidiaDraDriver driver() {
        NvidiaDraDriver driver = new NvidiaDraDriver();
        driver.setMetadata(new ObjectMetaBuilder().withName("default").withGeneration(7L).build());
        NvidiaDraDriverSpec spec = new NvidiaDraDriverSpec();
        spec.namespace = "gpu";
        spec.nodeSelector = Map.of("nvidia-device-enable", "pgpu-dra");
        driver.setSpec(spec);
        return driver;
    }

    private static DaemonSet plugin(int desired, int available) {
        return new DaemonSetBuilder().withNewMetadata().withGeneration(1L).endMetadata().withNewStatus().withObservedGeneration(1L)
                .withDesiredNumberScheduled(desired).withCurrentNumberScheduled(desired).withUpdatedNumberScheduled(desired)
                .withNumberReady(available).withNumberAvailable(available).endStatus().build();
    }

    private static Deployment controller(int replicas, int available) {
        return new DeploymentBuilder().withNewMetadata().withGeneration(1L).endMetadata().withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withObservedGeneration(1L).withUpdatedReplicas(replicas).withReadyReplicas(available)
                .withAvailableReplicas(available).endStatus().build();
    }
}
