package io.alauda.dra.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Map;
import java.util.Objects;

/**
 * Plays the DaemonSet and Deployment controllers the mock API server lacks: it writes the status a real cluster
 * would reach once every pod is up. A DaemonSet is scheduled on the nodes that match its nodeSelector and its
 * NotIn node-affinity terms, so status numbers follow the nodes the test creates.
 */
public final class FakeWorkloadController implements AutoCloseable {

    private final KubernetesClient client;
    private final SharedIndexInformer<DaemonSet> daemonSets;
    private final SharedIndexInformer<Deployment> deployments;
    private volatile boolean paused;

    public FakeWorkloadController(KubernetesClient client) {
        this.client = client;
        this.daemonSets = client.apps().daemonSets().inAnyNamespace().inform(handler(this::settle));
        this.deployments = client.apps().deployments().inAnyNamespace().inform(handler(this::settle));
    }

    /** While paused, workloads stay as they are: a rollout that never finishes. */
    public void pause(boolean value) {
        this.paused = value;
    }

    public void settleAll() {
        client.apps().daemonSets().inAnyNamespace().list().getItems().forEach(this::settle);
        client.apps().deployments().inAnyNamespace().list().getItems().forEach(this::settle);
    }

    private void settle(DaemonSet ds) {
        if (paused) {
            return;
        }
        int nodes = scheduledNodes(ds);
        long generation = ds.getMetadata().getGeneration() == null ? 1 : ds.getMetadata().getGeneration();
        var status = new DaemonSetStatusBuilder().withDesiredNumberScheduled(nodes).withCurrentNumberScheduled(nodes)
                .withNumberReady(nodes).withNumberAvailable(nodes).withUpdatedNumberScheduled(nodes)
                .withNumberMisscheduled(0).withObservedGeneration(generation).build();
        if (!Objects.equals(status, ds.getStatus())) {
            ignoringDeletion(() -> client.apps().daemonSets().inNamespace(ds.getMetadata().getNamespace()).withName(ds.getMetadata().getName())
                    .editStatus(current -> new io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder(current).withStatus(status).build()));
        }
    }

    private void settle(Deployment deployment) {
        if (paused) {
            return;
        }
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        long generation = deployment.getMetadata().getGeneration() == null ? 1 : deployment.getMetadata().getGeneration();
        var status = new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                .withAvailableReplicas(replicas).withUpdatedReplicas(replicas).withObservedGeneration(generation).build();
        if (!Objects.equals(status, deployment.getStatus())) {
            ignoringDeletion(() -> client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                    .withName(deployment.getMetadata().getName())
                    .editStatus(current -> new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(current).withStatus(status).build()));
        }
    }

    /** A workload deleted between the event and the status write has no status to write any more. */
    private static void ignoringDeletion(Runnable write) {
        try {
            write.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private int scheduledNodes(DaemonSet ds) {
        var podSpec = ds.getSpec().getTemplate().getSpec();
        Map<String, String> selector = podSpec.getNodeSelector() == null ? Map.of() : podSpec.getNodeSelector();
        int count = 0;
        for (Node node : client.nodes().list().getItems()) {
            Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
            boolean selected = selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
            boolean excluded = podSpec.getAffinity() != null && podSpec.getAffinity().getNodeAffinity()
                    .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0).getMatchExpressions()
                    .stream().anyMatch(r -> "NotIn".equals(r.getOperator()) && r.getValues().contains(labels.get(r.getKey())));
            if (selected && !excluded) {
                count++;
            }
        }
        return count;
    }

    private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            }
        };
    }

    @Override
    public void close() {
        daemonSets.close();
        deployments.close();
    }
}
