package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the committed plain manifests promise an admin: one file with everything in apply order, and an operator
 * pod that passes the restricted Pod Security Standard. DeliveryFilesIT checks that the file is what the code
 * generates; this checks that what it generates is right. The CSV deploys the same Deployment spec.
 */
class PlainManifestsTest {

    private static final Path FILE = Path.of(Install.MANIFESTS_FILE);

    @Test
    void namespaceAndCrdComeFirstAndTheDeploymentLast() {
        List<String> kinds = docs().stream().map(d -> d.path("kind").asText()).toList();
        assertEquals(List.of("Namespace", "CustomResourceDefinition", "ServiceAccount"), kinds.subList(0, 3));
        assertEquals("Deployment", kinds.get(kinds.size() - 1));
    }

    @Test
    void namespacedObjectsAreInTheOperatorNamespace() {
        for (JsonNode doc : docs()) {
            String kind = doc.path("kind").asText();
            boolean namespaced = List.of("ServiceAccount", "Role", "RoleBinding", "Service", "Deployment").contains(kind);
            assertEquals(namespaced ? Install.NAMESPACE : "", doc.path("metadata").path("namespace").asText(), kind);
        }
    }

    @Test
    void operatorNamespaceEnforcesRestrictedPodSecurity() {
        JsonNode labels = docs().get(0).path("metadata").path("labels");
        assertEquals("restricted", labels.path("pod-security.kubernetes.io/enforce").asText());
    }

    @Test
    void operatorRunsTheOperatorRoleOfTheImageItHandsOn() {
        Container c = container(deployment());
        assertEquals(List.of("operator"), c.getArgs());
        String related = c.getEnv().stream().filter(e -> e.getName().equals(Install.RELATED_IMAGE_ENV)).findFirst().orElseThrow().getValue();
        assertEquals(c.getImage(), related);
    }

    @Test
    void probesUseTheQuarkusHealthEndpoints() {
        Container c = container(deployment());
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/started", c.getStartupProbe().getHttpGet().getPath());
        assertEquals(Install.HTTP_PORT, c.getPorts().get(0).getContainerPort());
    }

    @Test
    void operatorPodMeetsTheRestrictedPodSecurityStandard() {
        PodSpec pod = deployment().getSpec().getTemplate().getSpec();
        Container c = container(deployment());
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        assertTrue(c.getSecurityContext().getCapabilities().getAdd().isEmpty());
        assertNull(c.getSecurityContext().getPrivileged());
        assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getHostPath() != null));
    }

    @Test
    void rootFilesystemIsReadOnlyWithAnEmptyDirOnTmp() {
        Deployment d = deployment();
        Container c = container(d);
        assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem());
        String volume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow().getName();
        assertNotNull(d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(volume))
                .findFirst().orElseThrow().getEmptyDir());
    }

    @Test
    void containerRequestsCpuAndMemory() {
        Container c = container(deployment());
        assertNotNull(c.getResources().getRequests().get("cpu"));
        assertNotNull(c.getResources().getRequests().get("memory"));
        assertNotNull(c.getResources().getLimits().get("memory"));
    }

    @Test
    void csvDeploysTheSameDeploymentSpec() {
        var csvDeployment = OperatorPermissionsTest.csv().getSpec().getInstall().getSpec().getDeployments().get(0);
        assertEquals(Install.DEPLOYMENT, csvDeployment.getName());
        assertEquals(deployment().getSpec(), csvDeployment.getSpec());
    }

    private static List<JsonNode> docs() {
        return BuildOutput.documents(FILE);
    }

    private static Deployment deployment() {
        JsonNode doc = docs().stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        return Serialization.unmarshal(doc.toString(), Deployment.class);
    }

    private static Container container(Deployment d) {
        assertEquals(1, d.getSpec().getTemplate().getSpec().getContainers().size());
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
