package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The verification workloads of docs/install.md read as the typed resource.k8s.io models of their API version, ask
 * for exactly one device of the DeviceClass the operator creates, and the pod uses the claim it declares.
 */
class InstallExamplesTest {

    private static final Path DIR = Path.of("deploy/install/examples");

    @Test
    void v1WorkloadClaimsOneGpu() {
        List<JsonNode> docs = BuildOutput.documents(DIR.resolve("dra-gpu-test.yaml"));
        var template = Serialization.unmarshal(doc(docs, "ResourceClaimTemplate").toString(),
                io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate.class);
        var request = template.getSpec().getSpec().getDevices().getRequests().get(0);
        assertEquals("gpu.nvidia.com", request.getExactly().getDeviceClassName());
        assertEquals(1L, request.getExactly().getCount());
        assertPodUsesTheTemplate(docs, template.getMetadata().getName());
    }

    @Test
    void v1beta1WorkloadClaimsOneGpu() {
        List<JsonNode> docs = BuildOutput.documents(DIR.resolve("dra-gpu-test-v1beta1.yaml"));
        var template = Serialization.unmarshal(doc(docs, "ResourceClaimTemplate").toString(),
                io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaimTemplate.class);
        var request = template.getSpec().getSpec().getDevices().getRequests().get(0);
        assertEquals("gpu.nvidia.com", request.getDeviceClassName());
        assertEquals(1L, request.getCount());
        assertPodUsesTheTemplate(docs, template.getMetadata().getName());
    }

    private static void assertPodUsesTheTemplate(List<JsonNode> docs, String template) {
        Pod pod = Serialization.unmarshal(doc(docs, "Pod").toString(), Pod.class);
        assertEquals(template, pod.getSpec().getResourceClaims().get(0).getResourceClaimTemplateName());
        String claim = pod.getSpec().getResourceClaims().get(0).getName();
        assertEquals(claim, pod.getSpec().getContainers().get(0).getResources().getClaims().get(0).getName());
        assertEquals(List.of("nvidia-smi", "-L"), pod.getSpec().getContainers().get(0).getCommand());
        assertEquals("dra-gpu-test", pod.getMetadata().getNamespace());
    }

    private static JsonNode doc(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }
}
