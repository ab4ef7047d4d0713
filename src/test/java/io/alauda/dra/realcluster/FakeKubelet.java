package io.alauda.dra.realcluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the kubelets would report for the driver's own pods: once the scheduler has bound a pod to a node, its status
 * turns Running and Ready. The real DaemonSet and Deployment controllers count these pods, so the operator's
 * rollout status is judged from the same fields as on a cluster. The pods' containers never run; the tests start the
 * processes themselves. Workload pods (the seed's verification pod) are left Pending: the tests play the kubelet
 * for them through the plugin's socket instead.
 */
public final class FakeKubelet implements AutoCloseable {

    private static final Set<String> KUBELET_CONDITIONS = Set.of("PodScheduled", "Initialized", "ContainersReady", "Ready");

    private final KubernetesClient admin;
    private final Predicate<Pod> runs;
    private final Consumer<Pod> stopped;
    private final SharedIndexInformer<Pod> informer;

    /**
     * @param runs    which pods this kubelet runs
     * @param stopped called when such a pod is being deleted, before the final delete: where the test runs the pod's
     *                process itself, it stops it here, as kubelet would stop the container
     */
    public FakeKubelet(KubernetesClient admin, String namespace, Predicate<Pod> runs, Consumer<Pod> stopped) {
        this.admin = admin;
        this.runs = runs;
        this.stopped = stopped;
        this.informer = admin.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                markRunning(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                markRunning(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
            }
        });
    }

    private void markRunning(Pod pod) {
        if (pod.getSpec().getNodeName() == null || !runs.test(pod)) {
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            stopped.accept(pod);
            // kubelet's final delete once the containers are gone; without it the pod (and a DaemonSet deleted in
            // the foreground) would wait for ever
            admin.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
            return;
        }
        if ("Running".equals(pod.getStatus().getPhase())) {
            return;
        }
        String now = Instant.now().toString();
        List<PodCondition> conditions = new ArrayList<>(List.of(
                new PodConditionBuilder().withType("PodScheduled").withStatus("True").withLastTransitionTime(now).build(),
                new PodConditionBuilder().withType("Initialized").withStatus("True").withLastTransitionTime(now).build(),
                new PodConditionBuilder().withType("ContainersReady").withStatus("True").withLastTransitionTime(now).build(),
                new PodConditionBuilder().withType("Ready").withStatus("True").withLastTransitionTime(now).build()));
        // Like kubelet's status manager: conditions it does not own (the plugin's node checks) are kept.
        if (pod.getStatus().getConditions() != null) {
            pod.getStatus().getConditions().stream().filter(c -> !KUBELET_CONDITIONS.contains(c.getType())).forEach(conditions::add);
        }
        pod.setStatus(new PodStatusBuilder(pod.getStatus()).withPhase("Running").withStartTime(now).withPodIP("10.244.0.10")
                .withConditions(conditions)
                .build());
        try {
            admin.pods().resource(pod).updateStatus();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException conflict) {
            // a newer version of the pod comes through onUpdate and is marked then
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
