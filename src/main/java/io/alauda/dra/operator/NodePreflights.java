package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriverStatus;
import io.alauda.dra.operator.resources.Labels;
import io.alauda.dra.operator.resources.Names;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Gathers the node checks each kubelet-plugin Pod reports in its {@link Names#NODE_PREFLIGHT_CONDITION} condition into
 * the NvidiaDraDriver's {@code status.nodes}: how many nodes publish no GPUs, and the nodes whose checks did not
 * simply pass, those without GPUs first.
 */
final class NodePreflights {

    static final int LISTED = 50;
    static final String PASSED = "Passed";

    private NodePreflights() {
    }

    /** @param pods the driver's pods as cached; only kubelet-plugin pods in {@code namespace} count */
    static List<NvidiaDraDriverStatus.NodePreflight> of(Collection<Pod> pods, String namespace) {
        return pods.stream()
                .filter(p -> namespace.equals(p.getMetadata().getNamespace()) && isPlugin(p) && p.getSpec() != null
                        && p.getSpec().getNodeName() != null)
                .flatMap(p -> condition(p).map(c -> entry(p.getSpec().getNodeName(), c)).stream())
                .filter(e -> !e.devicesPublished || !PASSED.equals(e.reason))
                .sorted(Comparator.comparing((NvidiaDraDriverStatus.NodePreflight e) -> e.devicesPublished)
                        .thenComparing(e -> e.node))
                .toList();
    }

    static void fill(NvidiaDraDriverStatus.Nodes nodes, List<NvidiaDraDriverStatus.NodePreflight> all) {
        nodes.preflightFailed = (int) all.stream().filter(e -> !e.devicesPublished).count();
        nodes.preflight = all.stream().limit(LISTED).toList();
    }

    /** For the Degraded condition: which nodes publish no GPUs and why, the first few in full; null when none. */
    static Problem problem(List<NvidiaDraDriverStatus.NodePreflight> all) {
        List<NvidiaDraDriverStatus.NodePreflight> failed = all.stream().filter(e -> !e.devicesPublished).toList();
        if (failed.isEmpty()) {
            return null;
        }
        StringBuilder nodes = new StringBuilder();
        failed.stream().limit(3).forEach(e -> nodes.append(e.node).append(": ").append(e.message).append("; "));
        if (failed.size() > 3) {
            nodes.append("and ").append(failed.size() - 3).append(" more");
        }
        return Problem.of(Reason.NODE_CHECKS_FAILED, failed.size(), nodes.toString().replaceAll("; $", ""));
    }

    private static boolean isPlugin(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && Labels.COMPONENT_KUBELET_PLUGIN.equals(labels.get(Labels.COMPONENT));
    }

    static Optional<PodCondition> condition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> Names.NODE_PREFLIGHT_CONDITION.equals(c.getType())).findFirst();
    }

    private static NvidiaDraDriverStatus.NodePreflight entry(String node, PodCondition condition) {
        NvidiaDraDriverStatus.NodePreflight entry = new NvidiaDraDriverStatus.NodePreflight();
        entry.node = node;
        entry.devicesPublished = "True".equals(condition.getStatus());
        entry.reason = Objects.requireNonNullElse(condition.getReason(), "Unknown");
        entry.message = condition.getMessage();
        entry.lastTransitionTime = condition.getLastTransitionTime();
        return entry;
    }
}
