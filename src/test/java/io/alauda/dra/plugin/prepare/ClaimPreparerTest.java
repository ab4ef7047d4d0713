package io.alauda.dra.plugin.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import io.alauda.dra.device.DeviceType;
import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.CallCancellation;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.CheckpointEntry;
import io.alauda.dra.plugin.checkpoint.EntryState;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_0;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_1;
import static io.alauda.dra.plugin.prepare.TestNode.MIG_A;
import static io.alauda.dra.plugin.prepare.TestNode.NODE_NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prepare and unprepare of single claims against the mock API server: answers, CDI files, checkpoint, refusals. */
@EnableKubernetesMockClient(crud = true)
class ClaimPreparerTest extends PreparerTestBase {

    @Test
    void gpuClaimGetsOneDeviceWithOneCdiIdAndASpecWithItsDeviceNode() throws Exception {
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_1).create(client);

        NodePrepareResult result = prepare(ref);

        assertEquals("", result.error());
        assertEquals(List.of(new KubeletDevice(List.of("gpu"), NODE_NAME, GPU_1, List.of(cdiId(ref, GPU_1)), null)),
                result.devices());
        JsonNode spec = spec(ref);
        assertEquals("k8s.gpu.nvidia.com/claim", spec.get("kind").asText());
        assertEquals(1, spec.get("devices").size());
        JsonNode device = spec.get("devices").get(0);
        assertEquals(ref.uid() + "-gpu-1", device.get("name").asText());
        JsonNode gpuNode = device.get("containerEdits").get("deviceNodes").get(0);
        assertEquals("/dev/nvidia1", gpuNode.get("path").asText());
        assertEquals(195, gpuNode.get("major").asInt());
        assertEquals(1, gpuNode.get("minor").asInt());
        CheckpointEntry entry = preparer.checkpointEntries().get(ref.uid());
        assertEquals(EntryState.PREPARE_COMPLETED, entry.state());
        assertEquals(result.devices(), entry.devices());
        assertEquals(1, observer.prepared.get(DeviceType.GPU));
    }

    @Test
    void migClaimSpecHasTheParentNodeAndBothCapabilityNodes() throws Exception {
        ResourceClaimRef ref = claim("team-a", "small").result("mig", MIG_A).create(client);

        NodePrepareResult result = prepare(ref);

        assertEquals("", result.error());
        assertEquals(List.of(cdiId(ref, MIG_A)), result.devices().get(0).cdiDeviceIds());
        JsonNode device = spec(ref).get("devices").get(0);
        assertEquals(ref.uid() + "-" + MIG_A, device.get("name").asText());
        List<String> nodes = new ArrayList<>();
        for (JsonNode n : device.get("containerEdits").get("deviceNodes")) {
            nodes.add(n.get("path").asText() + " " + n.get("major").asInt() + ":" + n.get("minor").asInt());
        }
        assertEquals(List.of("/dev/nvidia2 195:2", "/dev/nvidia-caps/nvidia-cap30 237:30",
                "/dev/nvidia-caps/nvidia-cap31 237:31"), nodes);
        assertEquals(1, observer.prepared.get(DeviceType.MIG));
        assertEquals(0, observer.prepared.get(DeviceType.GPU));
    }

    @Test
    void repeatedPrepareReturnsTheStoredAnswerWithoutAskingTheApiServer() {
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_0).create(client);
        NodePrepareResult first = prepare(ref);
        int requestsBefore = server.getRequestCount();

        NodePrepareResult second = prepare(ref);

        assertEquals(first, second);
        assertEquals(requestsBefore, server.getRequestCount());
    }

    @Test
    void completedClaimWhoseSpecVanishedIsPreparedAgain() throws Exception {
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_0).create(client);
        NodePrepareResult first = prepare(ref);
        Files.delete(node.specFile(ref.uid()));

        NodePrepareResult second = prepare(ref);

        assertEquals(first, second);
        assertTrue(Files.exists(node.specFile(ref.uid())));
    }

    @Test
    void missingClaimIsRefusedAndNothingIsWritten() {
        ResourceClaimRef ref = new ResourceClaimRef("team-a", "0b9c4e8e-5a41-4bd4-9d6a-1e7c3f2a7b10", "gone");

        NodePrepareResult result = prepare(ref);

        assertContains("ResourceClaim team-a/gone was not found (resource.k8s.io/v1)", result.error());
        assertEquals(ClaimErrorType.CLAIM_NOT_FOUND, observer.errors.get(0).type());
        assertEquals(List.of(), node.files());
    }

    @Test
    void unallocatedClaimIsRefused() {
        ResourceClaimRef ref = claim("team-a", "pending").unallocated().create(client);

        NodePrepareResult result = prepare(ref);

        assertContains("ResourceClaim team-a/pending is not allocated yet (status.allocation is empty", result.error());
        assertEquals(ClaimErrorType.CLAIM_NOT_ALLOCATED, observer.errors.get(0).type());
        assertEquals(Map.of(), preparer.checkpointEntries());
    }

    @Test
    void claimRecreatedUnderTheSameNameIsRefusedNamingBothUids() {
        ResourceClaimRef current = claim("team-a", "train").result("gpu", GPU_0).create(client);
        ResourceClaimRef old = new ResourceClaimRef("team-a", "11111111-2222-4333-8444-555555555555", "train");

        NodePrepareResult result = prepare(old);

        assertContains("has UID " + current.uid() + ", but kubelet asked for UID " + old.uid(), result.error());
        assertContains("deleted and recreated", result.error());
        assertEquals(ClaimErrorType.CLAIM_REPLACED, observer.errors.get(0).type());
    }

    @Test
    void resultsOfOtherDriversAreIgnored() throws Exception {
        ResourceClaimRef ref = claim("team-a", "mixed")
                .result("nic", "sriov.example.com", NODE_NAME, "nic-0", false)
                .result("gpu", GPU_0)
                .create(client);

        NodePrepareResult result = prepare(ref);

        assertEquals(List.of(GPU_0), result.devices().stream().map(KubeletDevice::deviceName).toList());
        assertEquals(1, spec(ref).get("devices").size());
    }

    @Test
    void resultOfThisDriverInAnotherNodesPoolFailsOnlyThatClaimNamingPoolAndNode() throws Exception {
        ResourceClaimRef elsewhere = claim("team-a", "spread")
                .result("gpu", GPU_0)
                .result("gpu", TestClaims.DRIVER, "node-b", GPU_1, false)
                .create(client);
        ResourceClaimRef here = claim("team-a", "here").result("gpu", GPU_1).create(client);

        Map<String, NodePrepareResult> results = preparer.prepare(List.of(elsewhere, here), CallCancellation.NEVER);

        assertContains("status.allocation.devices.results[1] for request gpu names pool node-b of"
                + " driver gpu.nvidia.com, but this plugin serves pool node-a; the scheduler allocated the claim for"
                + " another node", results.get(elsewhere.uid()).error());
        assertEquals(List.of(), results.get(elsewhere.uid()).devices());
        assertEquals(ClaimErrorType.OTHER_NODE, observer.errors.get(0).type());
        assertFalse(Files.exists(node.specFile(elsewhere.uid())));
        assertFalse(preparer.checkpointEntries().containsKey(elsewhere.uid()));
        assertEquals("", results.get(here.uid()).error());
        assertEquals(here.uid() + "-gpu-1", spec(here).get("devices").get(0).get("name").asText());
    }

    /**
     * Kubelet calls a driver only for claims with a result of that driver (pkg/kubelet/cm/dra/manager.go,
     * prepareResources: one batch per driver of the claim's allocation results), so this call does not come from
     * kubelet; upstream's driver answers it with no devices too (cmd/gpu-kubelet-plugin/device_state.go,
     * prepareDevices keeps only results of its driver). Nothing of this driver is missing from the container.
     */
    @Test
    void claimWithNoResultOfThisDriverSucceedsWithNoDevicesAndNoSpec() {
        ResourceClaimRef ref = claim("team-a", "nic-only").result("nic", "sriov.example.com", NODE_NAME, "nic-0", false)
                .create(client);

        NodePrepareResult result = prepare(ref);

        assertEquals(NodePrepareResult.prepared(List.of()), result);
        assertFalse(Files.exists(node.specFile(ref.uid())));
        assertEquals(EntryState.PREPARE_COMPLETED, preparer.checkpointEntries().get(ref.uid()).state());
        assertEquals("", unprepare(ref));
        assertEquals(Map.of(), preparer.checkpointEntries());
    }

    @Test
    void deviceNotOnThisNodeIsRefusedNamingTheResultField() {
        ResourceClaimRef ref = claim("team-a", "stale").result("gpu", GPU_0).result("gpu", "gpu-7").create(client);

        NodePrepareResult result = prepare(ref);

        assertContains("status.allocation.devices.results[1].device 'gpu-7' is not a device of node node-a (it has"
                + " gpu-0, gpu-1, gpu-2-mig-1g10gb-19-0, gpu-2-mig-1g10gb-19-1)", result.error());
        assertEquals(ClaimErrorType.UNKNOWN_DEVICE, observer.errors.get(0).type());
        assertEquals(List.of(), node.files());
    }

    @Test
    void onANodeWhoseChecksFailedAClaimAllocatedBeforeGetsTheChecksAndTheFix() {
        preparer.close();
        PreparerSettings withheld = node.settings("boot-1");
        preparer = ClaimPreparer.open(new PreparerSettings(withheld.nodeName(), List.of(), withheld.specBuilder(),
                withheld.specStore(), withheld.checkpointFile(), withheld.bootIds(),
                "DriverTooOld: NVIDIA driver 550.163.01 is older than 565"), new ResourceClaimFetcher(client, List.of("v1")),
                observer, (step, uid) -> hook.reached(step, uid));
        ResourceClaimRef ref = claim("team-a", "before-the-upgrade").result("gpu", GPU_0).create(client);

        NodePrepareResult result = prepare(ref);

        assertContains("node node-a serves no GPU because its node checks failed: DriverTooOld: NVIDIA driver 550.163.01"
                + " is older than 565", result.error());
        assertContains("delete this pod", result.error());
        assertEquals(ClaimErrorType.NODE_CHECKS_FAILED, observer.errors.get(0).type());
        assertEquals(List.of(), node.files());
    }

    /**
     * Kubelet hands a container the devices whose request_names contain the request the container names, compared
     * as-is (pkg/kubelet/cm/dra/claiminfo.go, ClaimInfo.cdiDevicesAsList: slices.Contains(device.RequestNames,
     * requestName)), and a container names the request, never a sub-request (DeviceRequest.name: "a reference to the
     * name of the DeviceRequest will match whatever subrequest is chosen by the scheduler"). So `gpu/large` must
     * reach kubelet as `gpu`, or a container asking for `gpu` gets no GPU; upstream's helper does the same
     * (k8s.io/dynamic-resource-allocation/kubeletplugin/draplugin.go, NodePrepareResources: stripSubrequestNames).
     */
    @Test
    void requestNamesCarryTheRequestAContainerNamesNotTheSubRequest() {
        ResourceClaimRef ref = claim("team-a", "alt").result("gpu/large", GPU_0).result("mig", MIG_A).create(client);

        NodePrepareResult result = prepare(ref);

        assertEquals(List.of(List.of("gpu"), List.of("mig")),
                result.devices().stream().map(KubeletDevice::requestNames).toList());
        // The answer kept for kubelet's retries says the same.
        assertEquals(result.devices(), preparer.checkpointEntries().get(ref.uid()).devices());
    }

    @Test
    void emptyRequestsSucceedWithEmptyAnswers() {
        assertEquals(Map.of(), preparer.prepare(List.of(), CallCancellation.NEVER));
        assertEquals(Map.of(), preparer.unprepare(List.of()));
    }

    @Test
    void everyClaimOfACallGetsItsOwnEntry() {
        ResourceClaimRef good = claim("team-a", "good").result("gpu", GPU_0).create(client);
        ResourceClaimRef missing = new ResourceClaimRef("team-a", "0b9c4e8e-5a41-4bd4-9d6a-1e7c3f2a7b10", "missing");

        Map<String, NodePrepareResult> results = preparer.prepare(List.of(good, missing), CallCancellation.NEVER);

        assertEquals(List.of(good.uid(), missing.uid()), List.copyOf(results.keySet()));
        assertEquals("", results.get(good.uid()).error());
        assertContains("was not found", results.get(missing.uid()).error());
    }

    @Test
    void unprepareRemovesTheSpecThenTheEntry() {
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_0).create(client);
        prepare(ref);

        assertEquals("", unprepare(ref));

        assertFalse(Files.exists(node.specFile(ref.uid())));
        assertEquals(Map.of(), preparer.checkpointEntries());
        assertEquals(0, observer.prepared.get(DeviceType.GPU));
        assertEquals(List.of("gpu.nvidia.com/checkpoint.json"), node.files());
    }

    @Test
    void unprepareOfAnUnknownClaimSucceeds() {
        assertEquals("", unprepare(new ResourceClaimRef("team-a", "0b9c4e8e-5a41-4bd4-9d6a-1e7c3f2a7b10", "never")));
        assertEquals(List.of(), observer.errors);
    }

    @Test
    void unprepareAfterPrepareFreesTheDeviceForAnotherClaim() {
        ResourceClaimRef first = claim("team-a", "first").result("gpu", GPU_0).create(client);
        ResourceClaimRef second = claim("team-b", "second").result("gpu", GPU_0).create(client);
        prepare(first);
        assertContains("already prepared it for claim team-a/first", prepare(second).error());

        unprepare(first);

        assertEquals("", prepare(second).error());
    }
}
