package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_0;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** One device, two claims: refused unless admin access is involved, also across a plugin restart. */
@EnableKubernetesMockClient(crud = true)
class OverlapGuardTest extends PreparerTestBase {

    @Test
    void deviceHeldByAnotherClaimIsRefusedNamingBothClaims() {
        ResourceClaimRef first = claim("team-a", "first").result("gpu", GPU_0).create(client);
        ResourceClaimRef second = claim("team-b", "second").result("gpu", GPU_1).result("gpu", GPU_0).create(client);
        prepare(first);

        NodePrepareResult result = prepare(second);

        assertEquals("claim team-b/second (" + second.uid() + ") asks for device gpu-0"
                + " (status.allocation.devices.results[1]) without admin access, but this node already prepared it for"
                + " claim team-a/first (" + first.uid() + ", state PrepareCompleted). Two claims must not hold one"
                + " device; this happens when a pod was force-deleted before its claim was unprepared, or when the"
                + " scheduler raced. Kubelet retries and the device frees up once the other claim's pods are gone; if"
                + " it does not, delete this pod so that the scheduler allocates again", result.error());
        assertEquals(ClaimErrorType.DEVICE_IN_USE, observer.errors.get(0).type());
        assertEquals(false, preparer.checkpointEntries().containsKey(second.uid()));
    }

    @Test
    void adminAccessClaimMayShareADeviceHeldExclusively() {
        ResourceClaimRef workload = claim("team-a", "workload").result("gpu", GPU_0).create(client);
        ResourceClaimRef monitor = claim("ops", "monitor").adminResult("gpu", GPU_0).create(client);
        prepare(workload);

        assertEquals("", prepare(monitor).error());
    }

    @Test
    void deviceHeldWithAdminAccessMayBeTakenByAWorkload() {
        ResourceClaimRef monitor = claim("ops", "monitor").adminResult("gpu", GPU_0).create(client);
        ResourceClaimRef workload = claim("team-a", "workload").result("gpu", GPU_0).create(client);
        prepare(monitor);

        assertEquals("", prepare(workload).error());
    }

    @Test
    void afterARestartAdminAccessOfAHolderIsLearnedFromTheApiServer() throws InterruptedException {
        ResourceClaimRef monitor = claim("ops", "monitor").adminResult("gpu", GPU_0).create(client);
        ResourceClaimRef workload = claim("team-a", "workload").result("gpu", GPU_0).create(client);
        prepare(monitor);
        preparer = open("boot-1");

        NodePrepareResult result = prepare(workload);

        assertEquals("", result.error());
        assertEquals("/apis/resource.k8s.io/v1/namespaces/ops/resourceclaims/monitor",
                server.getLastRequest().getPath());
    }

    @Test
    void afterARestartAHolderThatCannotBeReadCountsAsExclusive() {
        ResourceClaimRef monitor = claim("ops", "monitor").adminResult("gpu", GPU_0).create(client);
        ResourceClaimRef workload = claim("team-a", "workload").result("gpu", GPU_0).create(client);
        prepare(monitor);
        client.resources(io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim.class).inNamespace("ops")
                .withName("monitor").delete();
        preparer = open("boot-1");

        NodePrepareResult result = prepare(workload);

        assertContains("already prepared it for claim ops/monitor", result.error());
    }

    @Test
    void claimLeftPrepareStartedByACrashStillHoldsItsDevice() {
        ResourceClaimRef crashed = claim("team-a", "crashed").result("gpu", GPU_0).create(client);
        ResourceClaimRef other = claim("team-b", "other").result("gpu", GPU_0).create(client);
        hook = (step, uid) -> {
            if (step == PrepareStep.SPEC_WRITTEN) {
                throw new IllegalStateException("simulated crash");
            }
        };
        prepare(crashed);
        hook = PrepareStepHook.NONE;
        preparer = open("boot-1");

        assertContains("already prepared it for claim team-a/crashed (" + crashed.uid() + ", state PrepareStarted)",
                prepare(other).error());
    }
}
