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

/** Builds the NvidiaDraDriver status an admin reads: three conditions with actionable messages, and the numbers. */
final class StatusComposer {

    private StatusComposer() {
    }

    static NvidiaDraDriverStatus duplicate(NvidiaDraDriver driver, NvidiaDraDriver active, Clock clock) {
        String message = "NvidiaDraDriver " + active.getMetadata().getName() + " is older and already installs the driver; "
                + "only the oldest NvidiaDraDriver is acted on, so this one creates nothing. Delete this one, or move its spec to "
                + active.getMetadata().getName();
        NvidiaDraDriverStatus status = carryOver(driver);
        status.conditions = conditions(driver, clock)
                .set(ConditionSet.READY, false, Reason.DUPLICATE, message)
                .set(ConditionSet.PROGRESSING, false, Reason.DUPLICATE, "nothing to roll out")
                .set(ConditionSet.DEGRADED, true, Reason.DUPLICATE, message)
                .build();
        return status;
    }

    /** Nothing was applied: the spec is invalid or the cluster cannot run the driver. What exists stays as it was. */
    static NvidiaDraDriverStatus blocked(NvidiaDraDriver driver, Report report, ClusterFacts facts, Clock clock) {
        NvidiaDraDriverStatus status = carryOver(driver);
        if (facts != null) {
            status.kubernetesVersion = facts.kubernetesVersion();
            status.servedResourceApiVersions = facts.servedResourceVersions();
        }
        String message = report.message() + ". Nothing was changed on the cluster; objects installed earlier keep running.";
        status.conditions = conditions(driver, clock)
                .set(ConditionSet.READY, false, report.reason(), message)
                .set(ConditionSet.PROGRESSING, false, report.reason(), "waiting for the problem to be fixed")
                .set(ConditionSet.DEGRADED, true, report.reason(), message)
                .build();
        return status;
    }

    /**
     * @param heldBack why the plugin DaemonSet was not created (other plugin pods still exist), or null: see
     *                 {@link PluginHandover}
     */
    static NvidiaDraDriverStatus installed(NvidiaDraDriver driver, Report report, ClusterFacts facts, InstallContext ctx,
            DaemonSet ds, Deployment controller, NodeCensus census, List<NvidiaDraDriverStatus.NodePreflight> preflights,
            String heldBack, Clock clock) {
        NvidiaDraDriverStatus status = new NvidiaDraDriverStatus();
        status.observedGeneration = driver.getMetadata().getGeneration();
        status.kubernetesVersion = facts.kubernetesVersion();
        status.servedResourceApiVersions = facts.servedResourceVersions();
        status.resourceApiVersion = ctx.resourceApiVersion();
        status.namespace = ctx.namespace();
        status.kubeletPlugin = Rollouts.of(ds);
        status.controller = Rollouts.of(controller);
        status.nodes = new NvidiaDraDriverStatus.Nodes();
        status.nodes.selected = census.selected();
        status.nodes.conflicting = census.conflicting().size();
        status.nodes.conflictingNodes = census.listedConflicting();
        status.nodes.ready = status.kubeletPlugin.ready;
        status.nodes.summary = status.nodes.ready + "/" + (census.selected() - census.conflicting().size());
        NodePreflights.fill(status.nodes, preflights);

        boolean pluginReady = Rollouts.ready(ds);
        boolean controllerReady = Rollouts.ready(controller);
        boolean applied = !report.hasReason(Reason.APPLY_FAILED) && !report.hasReason(Reason.OBJECT_CONFLICT);
        boolean ready = applied && pluginReady && controllerReady;
        String waiting = heldBack != null ? heldBack : waitingFor(pluginReady, controllerReady, status);
        Reason rollingOut = heldBack != null ? Reason.WAITING_FOR_OLD_PLUGIN : Reason.ROLLING_OUT;
        ConditionSet conditions = conditions(driver, clock);
        if (ready && census.selected() == 0) {
            conditions.set(ConditionSet.READY, false, Reason.NO_MATCHING_NODES, noMatchingNodes(driver));
        } else if (ready) {
            conditions.set(ConditionSet.READY, true, Reason.INSTALLED, "the driver is installed; "
                    + status.nodes.summary + " selected GPU nodes run a ready kubelet plugin");
        } else if (!applied) {
            conditions.set(ConditionSet.READY, false, report.reason(), report.message());
        } else {
            conditions.set(ConditionSet.READY, false, rollingOut, waiting);
        }
        conditions.set(ConditionSet.PROGRESSING, applied && !(pluginReady && controllerReady),
                applied && !(pluginReady && controllerReady) ? rollingOut : Reason.STABLE,
                applied && !(pluginReady && controllerReady) ? waiting : "nothing is rolling out");
        if (report.hasProblems()) {
            conditions.set(ConditionSet.DEGRADED, true, report.reason(), report.message());
        } else if (status.nodes.preflightFailed > 0) {
            conditions.set(ConditionSet.DEGRADED, true, Reason.NODE_CHECKS_FAILED, NodePreflights.message(preflights));
        } else {
            conditions.set(ConditionSet.DEGRADED, false, Reason.AS_EXPECTED, "no problems found");
        }
        status.conditions = conditions.build();
        return status;
    }

    /**
     * Everything is applied, but no node matches spec.nodeSelector, so no GPU can be claimed: Ready is False (not a
     * mere warning), because a cluster without a single GPU node for the driver is not one where claims can be served.
     */
    private static String noMatchingNodes(NvidiaDraDriver driver) {
        Map<String, String> selector = driver.getSpec() == null || driver.getSpec().nodeSelector == null ? Map.of()
                : driver.getSpec().nodeSelector;
        List<String> labels = selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return "no node matches spec.nodeSelector " + String.join(",", labels) + ", so no node runs the kubelet plugin and no GPU can be "
                + "claimed; label each GPU node: kubectl label node <node> " + String.join(" ", labels)
                + " (or change spec.nodeSelector to labels your GPU nodes carry)";
    }

    private static String waitingFor(boolean pluginReady, boolean controllerReady, NvidiaDraDriverStatus status) {
        StringBuilder sb = new StringBuilder("waiting for ");
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

    private static ConditionSet conditions(NvidiaDraDriver driver, Clock clock) {
        List<io.fabric8.kubernetes.api.model.Condition> previous = driver.getStatus() == null ? null : driver.getStatus().conditions;
        long generation = driver.getMetadata().getGeneration() == null ? 0 : driver.getMetadata().getGeneration();
        return new ConditionSet(previous, generation, clock);
    }

    /** Keeps what an earlier reconcile learned (versions, numbers) when this one could not look. */
    private static NvidiaDraDriverStatus carryOver(NvidiaDraDriver driver) {
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
