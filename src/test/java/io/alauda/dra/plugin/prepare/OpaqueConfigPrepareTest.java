package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAllocationConfigurationBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestClaims.gpuConfig;
import static io.alauda.dra.plugin.prepare.TestClaims.params;
import static io.alauda.dra.plugin.prepare.TestClaims.timeSlicing;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_0;
import static io.alauda.dra.plugin.prepare.TestNode.MIG_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Opaque configs as they arrive in a claim's allocation: precedence, kinds, sharing, strictness, other drivers. */
@EnableKubernetesMockClient(crud = true)
class OpaqueConfigPrepareTest extends PreparerTestBase {

    @Test
    void claimConfigOverridesASharingClassConfigWhateverTheListOrder() {
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_0)
                .config("FromClaim", List.of(), gpuConfig())
                .config("FromClass", List.of(), params("GpuConfig", timeSlicing("Short")))
                .create(client);

        NodePrepareResult result = prepare(ref);

        assertEquals("", result.error());
    }

    @Test
    void sharingWithItsGateOffIsRefusedNamingTheGateAndTheFix() {
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_0)
                .config("FromClass", List.of(), gpuConfig())
                .config("FromClaim", List.of("gpu"), params("GpuConfig", timeSlicing("Short")))
                .create(client);

        NodePrepareResult result = prepare(ref);

        assertEquals("status.allocation.devices.config[1].opaque.parameters.sharing.strategy: \"TimeSlicing\" is"
                + " selected as the GPU sharing strategy, but the \"TimeSlicingSettings\" feature gate is not enabled."
                + " Set spec.featureGates.TimeSlicingSettings: true on the NvidiaDraDriver CR (the operator restarts the"
                + " kubelet plugins with it), or remove the sharing block from the GpuConfig in the claim (or its"
                + " ResourceClaimTemplate) to get the device unshared", result.error());
        assertEquals(ClaimErrorType.SHARING_GATE_OFF, observer.errors.get(0).type());
        assertEquals(List.of(), node.files());
    }

    @Test
    void mpsFromTheDeviceClassWithItsGateOffSendsTheUserToTheClusterAdmin() {
        ResourceClaimRef ref = claim("team-a", "train").result("mig", MIG_A)
                .config("FromClass", List.of(), params("MigDeviceConfig", Map.of("strategy", "MPS")))
                .create(client);

        NodePrepareResult result = prepare(ref);

        assertContains("sharing.strategy: \"MPS\" is selected as the GPU sharing strategy, but the \"MPSSupport\""
                + " feature gate is not enabled. Set spec.featureGates.MPSSupport: true", result.error());
        assertContains("or the cluster admin removes the sharing block from the DeviceClass's config", result.error());
    }

    @Test
    void theOtherStrategysGateDoesNotAllowIt() {
        sharing = SharingSupport.NONE.withGates(new SharingGates(false, true));
        preparer = open("boot-1");
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_0)
                .config("FromClaim", List.of(), params("GpuConfig", timeSlicing("Long")))
                .create(client);

        assertContains("the \"TimeSlicingSettings\" feature gate is not enabled", prepare(ref).error());
    }

    @Test
    void gpuConfigNamingAMigRequestIsRefused() {
        ResourceClaimRef ref = claim("team-a", "train").result("mig", MIG_A)
                .config("FromClaim", List.of("mig"), gpuConfig())
                .create(client);

        NodePrepareResult result = prepare(ref);

        assertContains("status.allocation.devices.config[0] (claim config) is a GpuConfig for request 'mig'",
                result.error());
        assertEquals(ClaimErrorType.INVALID_CONFIG, observer.errors.get(0).type());
    }

    @Test
    void unknownFieldInAnyOfOurConfigsFailsTheClaim() {
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_0)
                .config("FromClaim", List.of("other"), Map.of("apiVersion", "resource.nvidia.com/v1beta1",
                        "kind", "GpuConfig", "sharring", Map.of()))
                .create(client);

        NodePrepareResult result = prepare(ref);

        assertContains("status.allocation.devices.config[0].opaque.parameters.sharring is an unknown field",
                result.error());
        assertEquals(List.of(), node.files());
    }

    @Test
    void configsOfOtherDriversAreSkippedWhateverTheyHold() {
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_0)
                .config("FromClaim", List.of(), "sriov.example.com", Map.of("anything", List.of(1, 2)))
                .create(client);

        assertEquals("", prepare(ref).error());
    }

    @Test
    void configWithoutAnOpaqueBlockIsRefused() {
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_0)
                .rawConfig(new DeviceAllocationConfigurationBuilder().withSource("FromClaim").build())
                .create(client);

        NodePrepareResult result = prepare(ref);

        assertContains("status.allocation.devices.config[0] has no 'opaque' block; this driver understands only opaque"
                + " configs", result.error());
    }
}
