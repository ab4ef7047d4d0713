package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriver;
import io.alauda.dra.api.v1alpha1.NvidiaDraDriverStatus;
import io.alauda.dra.operator.resources.InstallContext;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns what a reconcile found into the NvidiaDraDriver status an admin reads, in the manner of
 * Keycloak's status aggregator: the reconcile hands over its {@link Report} and, once it has installed, what it
 * observed ({@link #observed}); {@link #build} then decides Ready, Progressing and Degraded by one rule:
 * <ul>
 * <li>a blocking problem: nothing was applied, the status keeps what an earlier reconcile learned, and all three
 * conditions name the problem;</li>
 * <li>Ready is True only when every object was applied, nothing is rolling out and at least one node is selected;</li>
 * <li>Progressing is True while the plugin or the controller rolls out, or a handover holds the plugin back;</li>
 * <li>Degraded is True for any problem of the report; failed node checks count when the report has none.</li>
 * </ul>
 */
final class StatusAggregator {

    private static final String NOTHING_CHANGED = ". Nothing was changed on the cluster; objects installed earlier keep running.";

    private final NvidiaDraDriver driver;
    private final Report report;
    private final Clock clock;
    private ClusterFacts facts;
    private Observed observed;

    /**
     * What an install left on the cluster.
     *
     * @param heldBack why the plugin DaemonSet is not rolled out yet (a {@link PluginHandover} or a namespace move),
     *                 or null
     */
    record Observed(InstallContext ctx, DaemonSet plugin, Deployment controller, NodeCensus census,
            List<NvidiaDraDriverStatus.NodePreflight> preflights, String heldBack) {
    }

    StatusAggregator(NvidiaDraDriver driver, Report report, Clock clock) {
        this.driver = driver;
        this.report = report;
        this.clock = clock;
    }

    /** What the API server told this reconcile about the cluster; absent when it stopped before asking. */
    StatusAggregator facts(ClusterFacts facts) {
        this.facts = facts;
        return this;
    }

    StatusAggregator observed(Observed observed) {
        this.observed = observed;
        return this;
    }

    NvidiaDraDriverStatus build() {
        if (report.blocking()) {
            return stopped();
        }
        if (observed == null || facts == null) {
            throw new IllegalStateException("an install's status needs the cluster's facts and what the install observed");
        }
        return installed();
    }

    private NvidiaDraDriverStatus stopped() {
        NvidiaDraDriverStatus status = carryOver();
        if (facts != null) {
            status.kubernetesVersion = facts.kubernetesVersion();
            status.servedResourceApiVersions = facts.servedResourceVersions();
        }
        String message = report.message() + NOTHING_CHANGED;
        Reason reason = report.reason();
        status.conditions = conditions()
                .set(ConditionSet.READY, false, reason, message)
                .set(ConditionSet.PROGRESSING, false, reason, "waiting for the problem to be fixed")
                .set(ConditionSet.DEGRADED, true, reason, message)
                .build();
        return status;
    }

    private NvidiaDraDriverStatus installed() {
        NvidiaDraDriverStatus status = numbers();
        boolean pluginReady = Rollouts.ready(observed.plugin());
        boolean controllerReady = Rollouts.ready(observed.controller());
        boolean applied = !report.hasReason(Reason.APPLY_FAILED) && !report.hasReason(Reason.OBJECT_CONFLICT);
        boolean rollingOut = applied && !(pluginReady && controllerReady);
        Problem rollout = observed.heldBack() != null ? Problem.of(Reason.WAITING_FOR_OLD_PLUGIN, observed.heldBack())
                : Problem.of(Reason.ROLLING_OUT, waitingFor(pluginReady, controllerReady, status));

        ConditionSet conditions = conditions();
        if (!applied) {
            conditions.set(ConditionSet.READY, false, report.reason(), report.message());
        } else if (rollingOut) {
            conditions.set(ConditionSet.READY, false, rollout.reason(), rollout.message());
        } else if (observed.census().selected() == 0) {
            conditions.set(ConditionSet.READY, false, Reason.NO_MATCHING_NODES, noMatchingNodes());
        } else {
            conditions.set(ConditionSet.READY, true, Reason.INSTALLED, Reason.INSTALLED.message(status.nodes.summary));
        }
        if (rollingOut) {
            conditions.set(ConditionSet.PROGRESSING, true, rollout.reason(), rollout.message());
        } else {
            conditions.set(ConditionSet.PROGRESSING, false, Reason.STABLE, Reason.STABLE.message());
        }
        Problem nodeChecks = NodePreflights.problem(observed.preflights());
        if (report.hasProblems()) {
            conditions.set(ConditionSet.DEGRADED, true, report.reason(), report.message());
        } else if (nodeChecks != null) {
            conditions.set(ConditionSet.DEGRADED, true, nodeChecks.reason(), nodeChecks.message());
        } else {
            conditions.set(ConditionSet.DEGRADED, false, Reason.AS_EXPECTED, Reason.AS_EXPECTED.message());
        }
        status.conditions = conditions.build();
        return status;
    }

    /** Everything but the conditions: versions, rollouts and node counts. */
    private NvidiaDraDriverStatus numbers() {
        InstallContext ctx = observed.ctx();
        NodeCensus census = observed.census();
        NvidiaDraDriverStatus status = new NvidiaDraDriverStatus();
        status.observedGeneration = driver.getMetadata().getGeneration();
        status.kubernetesVersion = facts.kubernetesVersion();
        status.servedResourceApiVersions = facts.servedResourceVersions();
        status.resourceApiVersion = ctx.resourceApiVersion();
        status.namespace = ctx.namespace();
        status.kubeletPlugin = Rollouts.of(observed.plugin());
        status.controller = Rollouts.of(observed.controller());
        status.nodes = new NvidiaDraDriverStatus.Nodes();
        status.nodes.selected = census.selected();
        status.nodes.conflicting = census.conflicting().size();
        status.nodes.conflictingNodes = census.listedConflicting();
        status.nodes.ready = status.kubeletPlugin.ready;
        status.nodes.summary = status.nodes.ready + "/" + (census.selected() - census.conflicting().size());
        NodePreflights.fill(status.nodes, observed.preflights());
        return status;
    }

    /**
     * Everything is applied, but no node matches spec.nodeSelector, so no GPU can be claimed: Ready is False (not a
     * mere warning), because a cluster without a single GPU node for the driver is not one where claims can be served.
     */
    private String noMatchingNodes() {
        Map<String, String> selector = driver.getSpec() == null || driver.getSpec().nodeSelector == null ? Map.of()
                : driver.getSpec().nodeSelector;
        List<String> labels = selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return Reason.NO_MATCHING_NODES.message(String.join(",", labels), String.join(" ", labels));
    }

    private static String waitingFor(boolean pluginReady, boolean controllerReady, NvidiaDraDriverStatus status) {
        StringBuilder sb = new StringBuilder();
        if (!pluginReady) {
            sb.append("the kubelet plugin: ").append(status.kubeletPlugin.available).append(" of ")
                    .append(status.kubeletPlugin.desired).append(" pods available, ").append(status.kubeletPlugin.updated)
                    .append(" updated");
        }
        if (!controllerReady) {
            if (!pluginReady) {
                sb.append("; ");
            }
            sb.append("the controller: ").append(status.controller.available).append(" of ")
                    .append(status.controller.desired).append(" replicas available");
        }
        return sb.toString();
    }

    private ConditionSet conditions() {
        List<io.fabric8.kubernetes.api.model.Condition> previous = driver.getStatus() == null ? null : driver.getStatus().conditions;
        long generation = driver.getMetadata().getGeneration() == null ? 0 : driver.getMetadata().getGeneration();
        return new ConditionSet(previous, generation, clock);
    }

    /** Keeps what an earlier reconcile learned (versions, numbers) when this one could not look. */
    private NvidiaDraDriverStatus carryOver() {
        NvidiaDraDriverStatus old = driver.getStatus();
        NvidiaDraDriverStatus status = old == null ? new NvidiaDraDriverStatus()
                : Serialization.jsonMapper().convertValue(old, NvidiaDraDriverStatus.class);
        status.observedGeneration = driver.getMetadata().getGeneration();
        return status;
    }

    static boolean sameStatus(NvidiaDraDriverStatus a, NvidiaDraDriverStatus b) {
        return Serialization.jsonMapper().valueToTree(a == null ? new NvidiaDraDriverStatus() : a)
                .equals(Serialization.jsonMapper().valueToTree(b));
    }
}
