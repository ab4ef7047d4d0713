package io.alauda.dra.realcluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Node objects standing in for machines, as a kubelet would register them: Ready, with capacity, and without the
 * {@code not-ready} taint that admission puts on a new node (the node-lifecycle controller, which would lift it, is
 * off in {@link ControlPlane}).
 */
public final class FakeNodes {

    private final KubernetesClient admin;

    public FakeNodes(KubernetesClient admin) {
        this.admin = admin;
    }

    public Node create(String name, Map<String, String> labels) {
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("16"), "memory", new Quantity("64Gi"), "pods", new Quantity("110"));
        String now = Instant.now().toString();
        Node node = admin.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux").endMetadata()
                .build()).create();
        node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .withCapacity(capacity).withAllocatable(capacity)
                .withConditions(new NodeConditionBuilder().withType("Ready").withStatus("True").withReason("KubeletReady")
                        .withMessage("stand-in node of the real-control-plane tests").withLastHeartbeatTime(now)
                        .withLastTransitionTime(now).build())
                .build());
        admin.nodes().resource(node).updateStatus();
        return admin.nodes().withName(name).edit(n -> new NodeBuilder(n).editSpec().withTaints(List.of()).endSpec().build());
    }

    public void delete(String name) {
        admin.nodes().withName(name).delete();
    }
}
