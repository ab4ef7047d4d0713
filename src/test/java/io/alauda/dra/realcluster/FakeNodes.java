package io.alauda.dra.realcluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Instant;
import java.util.Map;

/**
 * Node objects standing in for machines, as a kubelet would register them: Ready, with capacity, and without the
 * {@code not-ready} taint that admission puts on a new node (the node-lifecycle controller, which would lift it, is
 * off in {@link ControlPlane}).
 */
public final class FakeNodes {

    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private final KubernetesClient admin;

    public FakeNodes(KubernetesClient admin) {
        this.admin = admin;
    }

    public Node create(String name, Map<String, String> labels) {
        admin.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux").endMetadata()
                .build()).create();
        String now = Instant.now().toString();
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("16"), "memory", new Quantity("64Gi"), "pods", new Quantity("110"));
        NodeStatus status = new NodeStatusBuilder().withCapacity(capacity).withAllocatable(capacity)
                .withConditions(new NodeConditionBuilder().withType("Ready").withStatus("True").withReason("KubeletReady")
                        .withMessage("stand-in node of the real-control-plane tests").withLastHeartbeatTime(now)
                        .withLastTransitionTime(now).build())
                .build();
        // Merge patches carry no resourceVersion: admission and controllers touch a new node, and that is no conflict here.
        admin.nodes().withName(name).subresource("status").patch(MERGE, Serialization.asJson(Map.of("status", status)));
        return admin.nodes().withName(name).patch(MERGE, "{\"spec\":{\"taints\":null}}");
    }

    public void delete(String name) {
        admin.nodes().withName(name).delete();
    }
}
