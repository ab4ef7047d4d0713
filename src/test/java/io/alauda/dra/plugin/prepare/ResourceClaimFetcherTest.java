package io.alauda.dra.plugin.prepare;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Live GET of a claim in each served version, the fallback to older versions, and how errors are told apart. */
@EnableKubernetesMockClient(crud = true)
class ResourceClaimFetcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLAIM_PATH = "/namespaces/team-a/resourceclaims/train";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void v1ClaimIsConvertedWithEveryFieldPreparingReads() throws Exception {
        ResourceClaimRef ref = TestClaims.claim("team-a", "train")
                .result("gpu/large", "gpu-0")
                .adminResult("monitor", "gpu-1")
                .config("FromClass", List.of(), TestClaims.gpuConfig())
                .config("FromClaim", List.of("gpu"), "other.example.com", Map.of("mode", "fast"))
                .create(client);

        AllocatedClaim claim = new ResourceClaimFetcher(client, List.of("v1")).fetch(ref);

        assertEquals(new AllocatedClaim(ref.uid(), "team-a", "train", "resource.k8s.io/v1", true, List.of(
                new DeviceResult("gpu/large", "gpu.nvidia.com", "node-a", "gpu-0", false),
                new DeviceResult("monitor", "gpu.nvidia.com", "node-a", "gpu-1", true)),
                claim.configs()), claim);
        assertEquals(List.of("FromClass", "FromClaim"), claim.configs().stream().map(DeviceConfigEntry::source).toList());
        assertEquals(List.of(List.of(), List.of("gpu")), claim.configs().stream().map(DeviceConfigEntry::requests).toList());
        assertEquals(List.of("gpu.nvidia.com", "other.example.com"),
                claim.configs().stream().map(DeviceConfigEntry::opaqueDriver).toList());
        assertEquals(JSON.readTree("{\"apiVersion\":\"resource.nvidia.com/v1beta1\",\"kind\":\"GpuConfig\"}"),
                JSON.readTree(claim.configs().get(0).parametersJson()));
        assertEquals(JSON.readTree("{\"mode\":\"fast\"}"), JSON.readTree(claim.configs().get(1).parametersJson()));
    }

    @Test
    void v1beta2ClaimIsReadWhenThatIsWhatTheServerServes() {
        var created = client.resource(new io.fabric8.kubernetes.api.model.resource.v1beta2.ResourceClaimBuilder()
                .withNewMetadata().withNamespace("team-a").withName("train").endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withNewAllocation().withNewDevices()
                .addNewResult().withRequest("gpu").withDriver("gpu.nvidia.com").withPool("node-a").withDevice("gpu-0")
                .withAdminAccess(true).endResult()
                .addNewConfig().withSource("FromClaim").withRequests("gpu").withNewOpaque().withDriver("gpu.nvidia.com")
                .withParameters(TestClaims.migConfig()).endOpaque().endConfig()
                .endDevices().endAllocation().endStatus().build()).create();
        ResourceClaimRef ref = new ResourceClaimRef("team-a", created.getMetadata().getUid(), "train");

        AllocatedClaim claim = assertDoesNotFail(() -> new ResourceClaimFetcher(client, List.of("v1beta2")).fetch(ref));

        assertEquals("resource.k8s.io/v1beta2", claim.apiVersion());
        assertEquals(List.of(new DeviceResult("gpu", "gpu.nvidia.com", "node-a", "gpu-0", true)), claim.results());
        assertTrue(claim.configs().get(0).parametersJson().contains("\"MigDeviceConfig\""));
    }

    @Test
    void v1beta1ClaimIsReadWhenThatIsWhatTheServerServes() {
        var created = client.resource(new io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaimBuilder()
                .withNewMetadata().withNamespace("team-a").withName("train").endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withNewAllocation().withNewDevices()
                .addNewResult().withRequest("gpu").withDriver("gpu.nvidia.com").withPool("node-a").withDevice("gpu-1")
                .endResult()
                .endDevices().endAllocation().endStatus().build()).create();
        ResourceClaimRef ref = new ResourceClaimRef("team-a", created.getMetadata().getUid(), "train");

        AllocatedClaim claim = assertDoesNotFail(() -> new ResourceClaimFetcher(client, List.of("v1beta1")).fetch(ref));

        assertEquals("resource.k8s.io/v1beta1", claim.apiVersion());
        assertEquals(List.of(new DeviceResult("gpu", "gpu.nvidia.com", "node-a", "gpu-1", false)), claim.results());
    }

    @Test
    void versionTheServerDoesNotServeFallsBackToTheNextOlderOneAndStaysThere() {
        var created = client.resource(new io.fabric8.kubernetes.api.model.resource.v1beta1.ResourceClaimBuilder()
                .withNewMetadata().withNamespace("team-a").withName("train").endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withNewAllocation().withNewDevices()
                .addNewResult().withRequest("gpu").withDriver("gpu.nvidia.com").withPool("node-a").withDevice("gpu-0")
                .endResult().endDevices().endAllocation().endStatus().build()).create();
        ResourceClaimRef ref = new ResourceClaimRef("team-a", created.getMetadata().getUid(), "train");
        server.expect().get().withPath("/apis/resource.k8s.io/v1" + CLAIM_PATH).andReturn(404, "404 page not found")
                .always();
        server.expect().get().withPath("/apis/resource.k8s.io/v1").andReturn(404, "404 page not found").always();
        ResourceClaimFetcher fetcher = new ResourceClaimFetcher(client, List.of("v1", "v1beta1"));

        AllocatedClaim first = assertDoesNotFail(() -> fetcher.fetch(ref));
        int requestsAfterFirst = server.getRequestCount();
        AllocatedClaim second = assertDoesNotFail(() -> fetcher.fetch(ref));

        assertEquals("resource.k8s.io/v1beta1", first.apiVersion());
        assertEquals(first, second);
        assertEquals("resource.k8s.io/v1beta1", fetcher.currentApiVersion());
        assertEquals(requestsAfterFirst + 1, server.getRequestCount());
    }

    @Test
    void notFoundStatusNamingTheClaimMeansTheClaimIsGoneWithoutAskingDiscovery() {
        server.expect().get().withPath("/apis/resource.k8s.io/v1" + CLAIM_PATH)
                .andReturn(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                        + "\"resourceclaims.resource.k8s.io \\\"train\\\" not found\",\"reason\":\"NotFound\","
                        + "\"details\":{\"name\":\"train\",\"group\":\"resource.k8s.io\",\"kind\":\"resourceclaims\"},"
                        + "\"code\":404}").always();
        ResourceClaimFetcher fetcher = new ResourceClaimFetcher(client, List.of("v1", "v1beta1"));
        int before = server.getRequestCount();

        ClaimFailure failure = assertThrows(ClaimFailure.class, () -> fetcher.fetch(ref()));

        assertEquals(ClaimErrorType.CLAIM_NOT_FOUND, failure.type());
        assertEquals(before + 1, server.getRequestCount());
        assertEquals("resource.k8s.io/v1", fetcher.currentApiVersion());
    }

    @Test
    void bare404WhileTheVersionIsServedMeansTheClaimIsGone() {
        TestClaims.serveDiscovery(server, "v1");
        ResourceClaimFetcher fetcher = new ResourceClaimFetcher(client, List.of("v1", "v1beta1"));

        ClaimFailure failure = assertThrows(ClaimFailure.class, () -> fetcher.fetch(ref()));

        assertEquals(ClaimErrorType.CLAIM_NOT_FOUND, failure.type());
        assertEquals("resource.k8s.io/v1", fetcher.currentApiVersion());
    }

    @Test
    void forbiddenIsAnApiErrorThatPointsAtRbac() {
        server.expect().get().withPath("/apis/resource.k8s.io/v1" + CLAIM_PATH)
                .andReturn(403, "{\"kind\":\"Status\",\"message\":\"resourceclaims is forbidden\",\"code\":403}")
                .always();

        ClaimFailure failure = assertThrows(ClaimFailure.class,
                () -> new ResourceClaimFetcher(client, List.of("v1")).fetch(ref()));

        assertEquals(ClaimErrorType.API_ERROR, failure.type());
        assertEquals("cannot read ResourceClaim team-a/train (resource.k8s.io/v1): GET /apis/resource.k8s.io/v1"
                + CLAIM_PATH + " answered 403 (resourceclaims is forbidden); the kubelet plugin's ServiceAccount needs"
                + " 'get' on resourceclaims.resource.k8s.io (check its ClusterRole)", failure.getMessage());
    }

    @Test
    void servedVersionsAreTriedNewestFirstWhateverTheirOrderOrSpelling() {
        ResourceClaimFetcher fetcher = new ResourceClaimFetcher(client,
                List.of("resource.k8s.io/v1beta1", "v1beta2", "resource.k8s.io/v1"));

        assertEquals("resource.k8s.io/v1", fetcher.currentApiVersion());
    }

    @Test
    void noReadableVersionIsRefusedAtConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResourceClaimFetcher(client, List.of("v1alpha3")));

        assertTrue(e.getMessage().contains("include none this plugin reads (v1, v1beta2, v1beta1)"), e.getMessage());
    }

    private static ResourceClaimRef ref() {
        return new ResourceClaimRef("team-a", "0b9c4e8e-5a41-4bd4-9d6a-1e7c3f2a7b10", "train");
    }

    interface Fetch {
        AllocatedClaim get() throws ClaimFailure;
    }

    private static AllocatedClaim assertDoesNotFail(Fetch fetch) {
        try {
            return fetch.get();
        } catch (ClaimFailure e) {
            throw new AssertionError("fetch failed: " + e.type() + ": " + e.getMessage(), e);
        }
    }
}
