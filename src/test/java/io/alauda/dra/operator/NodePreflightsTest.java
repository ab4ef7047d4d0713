package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriverStatus;
import io.alauda.dra.operator.resources.Labels;
import io.alauda.dra.operator.resources.Names;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodePreflightsTest {

    private static Pod plugin(String namespace, String node, String status, String reason, String message) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName("plugin-" + node).withNamespace(namespace)
                .withLabels(Labels.of("default", Labels.COMPONENT_KUBELET_PLUGIN)).endMetadata()
                .withNewSpec().withNodeName(node).endSpec();
        if (status != null) {
            pod.withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewCondition().withType(Names.NODE_PREFLIGHT_CONDITION).withStatus(status).withReason(reason)
                    .withMessage(message).withLastTransitionTime("2026-12-04T10:00:00Z").endCondition().endStatus();
        }
        return pod.build();
    }

    @Test
    void nodesWithoutGpusComeFirstThenWarningsAndPassedNodesAreLeftOut() {
        List<Pod> pods = List.of(
                plugin("kube-system", "gpu-c", "True", "NoCdiHook", "NoCdiHook: no hook"),
                plugin("kube-system", "gpu-b", "False", "DriverTooOld", "DriverTooOld: 550 is older than 565"),
                plugin("kube-system", "gpu-a", "True", "Passed", "all node checks passed"),
                plugin("kube-system", "gpu-d", null, null, null),
                plugin("other", "gpu-e", "False", "DriverNotReady", "waiting"));

        List<NvidiaDraDriverStatus.NodePreflight> entries = NodePreflights.of(pods, "kube-system");

        assertEquals(List.of("gpu-b", "gpu-c"), entries.stream().map(e -> e.node).toList(),
                "pods of another namespace, passed nodes and pods that have not reported yet are not listed");
        assertEquals(false, entries.get(0).devicesPublished);
        assertEquals("DriverTooOld", entries.get(0).reason);
        assertEquals("DriverTooOld: 550 is older than 565", entries.get(0).message);
        assertEquals("2026-12-04T10:00:00Z", entries.get(0).lastTransitionTime);
        assertEquals(true, entries.get(1).devicesPublished);

        NvidiaDraDriverStatus.Nodes nodes = new NvidiaDraDriverStatus.Nodes();
        NodePreflights.fill(nodes, entries);
        assertEquals(1, nodes.preflightFailed);
        assertEquals("1 node(s) publish no GPUs because a node check failed (status.nodes.preflight): gpu-b: "
                + "DriverTooOld: 550 is older than 565", NodePreflights.problem(entries).message());
    }

    @Test
    void theListIsCappedButTheCountIsNot() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < NodePreflights.LISTED + 7; i++) {
            pods.add(plugin("kube-system", String.format("gpu-%03d", i), "False", "DriverNotReady", "waiting"));
        }

        List<NvidiaDraDriverStatus.NodePreflight> entries = NodePreflights.of(pods, "kube-system");
        NvidiaDraDriverStatus.Nodes nodes = new NvidiaDraDriverStatus.Nodes();
        NodePreflights.fill(nodes, entries);

        assertEquals(NodePreflights.LISTED + 7, nodes.preflightFailed);
        assertEquals(NodePreflights.LISTED, nodes.preflight.size());
        assertTrue(NodePreflights.problem(entries).message().endsWith("and " + (NodePreflights.LISTED + 4) + " more"),
                NodePreflights.problem(entries).message());
    }
}
