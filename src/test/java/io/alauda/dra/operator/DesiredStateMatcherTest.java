package io.alauda.dra.operator;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plain objects: the matcher is a pure function of the desired and the server's object. */
class DesiredStateMatcherTest {

    private static Deployment deployment(String image, String memory, Map<String, String> labels) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("controller").withNamespace("dra").withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewTemplate().withNewSpec()
                .withContainers(new ContainerBuilder().withName("main").withImage(image)
                        .withNewResources().withLimits(Map.of("memory", new Quantity(memory))).endResources().build())
                .endSpec().endTemplate().endSpec()
                .build();
    }

    @Test
    void fieldsTheServerAddsAreNotDifferences() {
        Deployment desired = deployment("img:1", "256Mi", Map.of("a", "1"));
        Deployment actual = deployment("img:1", "256Mi", Map.of("a", "1", "added-by-someone", "x"));
        actual.getMetadata().setResourceVersion("42");
        actual.getMetadata().setAnnotations(Map.of("deployment.kubernetes.io/revision", "3"));
        actual.getSpec().setRevisionHistoryLimit(10);
        actual.getSpec().setProgressDeadlineSeconds(600);
        actual.getSpec().getTemplate().getSpec().setRestartPolicy("Always");
        actual.getSpec().getTemplate().getSpec().getContainers().get(0).setTerminationMessagePath("/dev/termination-log");
        actual.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(1).build());

        assertEquals(List.of(), DesiredStateMatcher.differences(desired, actual));
    }

    @Test
    void aQuantityInAnotherCanonicalFormIsTheSame() {
        assertTrue(DesiredStateMatcher.matches(deployment("img:1", "1Gi", Map.of()), deployment("img:1", "1073741824", Map.of())));
        assertTrue(DesiredStateMatcher.matches(deployment("img:1", "1024Mi", Map.of()), deployment("img:1", "1Gi", Map.of())));
    }

    @Test
    void aDifferentQuantityIsADifference() {
        assertEquals(List.of("spec.template.spec.containers[0].resources.limits.memory"),
                DesiredStateMatcher.differences(deployment("img:1", "1Gi", Map.of()), deployment("img:1", "512Mi", Map.of())));
    }

    @Test
    void quantityFormsCountOnlyUnderResources() {
        // An image tag that happens to read as a quantity is compared as text.
        assertEquals(List.of("spec.template.spec.containers[0].image"),
                DesiredStateMatcher.differences(deployment("1Gi", "1Gi", Map.of()), deployment("1073741824", "1Gi", Map.of())));
    }

    @Test
    void aFieldWeSetThatDiffersIsNamedByItsPath() {
        Deployment desired = deployment("img:2", "256Mi", Map.of("a", "1"));
        Deployment actual = deployment("img:1", "256Mi", Map.of("a", "0"));
        actual.getSpec().setReplicas(3);

        assertEquals(List.of("metadata.labels.a", "spec.replicas", "spec.template.spec.containers[0].image"),
                DesiredStateMatcher.differences(desired, actual));
    }

    @Test
    void aListOfAnotherLengthIsADifference() {
        Deployment desired = deployment("img:1", "256Mi", Map.of());
        Deployment actual = deployment("img:1", "256Mi", Map.of());
        actual.getSpec().getTemplate().getSpec().getContainers().add(new ContainerBuilder().withName("sidecar").build());

        assertEquals(List.of("spec.template.spec.containers"), DesiredStateMatcher.differences(desired, actual));
    }

    @Test
    void anEmptyMapOrListWeSendMatchesOneTheServerLeavesOut() {
        Deployment desired = deployment("img:1", "256Mi", Map.of());
        desired.getSpec().getTemplate().getSpec().setVolumes(List.of());
        desired.getSpec().getTemplate().getSpec().setNodeSelector(Map.of());
        Deployment actual = deployment("img:1", "256Mi", Map.of());
        actual.getSpec().getTemplate().getSpec().setVolumes(null);
        actual.getSpec().getTemplate().getSpec().setNodeSelector(null);

        assertEquals(List.of(), DesiredStateMatcher.differences(desired, actual));
    }

    @Test
    void statusIsNeverCompared() {
        Deployment desired = deployment("img:1", "256Mi", Map.of());
        desired.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(5).build());

        assertEquals(List.of(), DesiredStateMatcher.differences(desired, deployment("img:1", "256Mi", Map.of())));
    }
}
