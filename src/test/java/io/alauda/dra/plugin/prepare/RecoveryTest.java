package io.alauda.dra.plugin.prepare;

import io.alauda.dra.device.DeviceType;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.EntryState;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_0;
import static io.alauda.dra.plugin.prepare.TestNode.MIG_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a restarted plugin makes of a corrupt checkpoint, a reboot, orphaned specs and abandoned claims. */
@EnableKubernetesMockClient(crud = true)
class RecoveryTest extends PreparerTestBase {

    private ResourceClaimRef a;
    private ResourceClaimRef b;

    private void prepareTwoClaims() {
        a = claim("team-a", "a").result("gpu", GPU_0).create(client);
        b = claim("team-b", "b").result("mig", MIG_A).create(client);
        assertEquals("", prepare(a).error());
        assertEquals("", prepare(b).error());
    }

    private static List<String> sorted(String... uids) {
        return Stream.of(uids).sorted().toList();
    }

    @Test
    void corruptCheckpointIsRebuiltFromTheSpecFilesThatExist() throws Exception {
        prepareTwoClaims();
        NodePrepareResult before = prepare(a);
        Files.writeString(node.checkpointFile(), "{\"schemaVersion\": 1, \"claims\": {trunc");

        preparer = open("boot-1");

        assertEquals(Map.of(a.uid(), List.of(GPU_0), b.uid(), List.of(MIG_A)), preparer.recoveredHolds());
        RecoveryReport report = observer.recoveries.get(0);
        assertEquals(RecoveryReport.Reason.CHECKPOINT_REBUILT_FROM_SPECS, report.reason());
        assertEquals(sorted(a.uid(), b.uid()), report.claimUids());
        assertContains("INVALID_JSON", report.detail());
        assertEquals(1, observer.prepared.get(DeviceType.GPU));
        assertEquals(1, observer.prepared.get(DeviceType.MIG));
        try (Stream<Path> files = Files.list(node.pluginDir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("checkpoint.json.corrupt-")));
        }

        // The held devices are protected: another claim cannot take gpu-0.
        ResourceClaimRef intruder = claim("team-c", "c").result("gpu", GPU_0).create(client);
        assertContains("already prepared it for the claim with UID " + a.uid() + " (known only from its CDI spec",
                prepare(intruder).error());

        // Kubelet prepares the held claim again: a full prepare with the same answer, now recorded.
        int requests = server.getRequestCount();
        assertEquals(before, prepare(a));
        assertTrue(server.getRequestCount() > requests, "a recovered claim must be read from the API server again");
        assertEquals(EntryState.PREPARE_COMPLETED, preparer.checkpointEntries().get(a.uid()).state());
        assertEquals(Map.of(b.uid(), List.of(MIG_A)), preparer.recoveredHolds());
        assertContains("already prepared it for claim team-a/a", prepare(intruder).error());

        // Kubelet unprepares the other held claim: its spec goes, the hold is released.
        assertEquals("", unprepare(b));
        assertFalse(Files.exists(node.specFile(b.uid())));
        assertEquals(Map.of(), preparer.recoveredHolds());
        assertEquals(0, observer.prepared.get(DeviceType.MIG));
    }

    @Test
    void afterARebootClaimSpecsInAPersistentCdiDirectoryAreRemoved() {
        prepareTwoClaims();

        preparer = open("boot-2");

        assertEquals(List.of("gpu.nvidia.com/checkpoint.json"), node.files());
        assertEquals(Map.of(), preparer.checkpointEntries());
        assertEquals(Map.of(), preparer.recoveredHolds());
        RecoveryReport report = observer.recoveries.get(0);
        assertEquals(RecoveryReport.Reason.SPECS_REMOVED_AFTER_REBOOT, report.reason());
        assertEquals(sorted(a.uid(), b.uid()), report.claimUids());
        assertEquals("", prepare(claim("team-c", "c").result("gpu", GPU_0).create(client)).error());
    }

    @Test
    void specsWithoutACheckpointEntryAreHeldOnANormalStart() throws Exception {
        prepareTwoClaims();
        Files.delete(node.checkpointFile());

        preparer = open("boot-1");

        assertEquals(Map.of(a.uid(), List.of(GPU_0), b.uid(), List.of(MIG_A)), preparer.recoveredHolds());
        assertEquals(RecoveryReport.Reason.ORPHANED_SPECS_HELD, observer.recoveries.get(0).reason());
    }

    @Test
    void aCleanRestartReportsNoRecovery() {
        prepareTwoClaims();

        preparer = open("boot-1");

        assertEquals(List.of(), observer.recoveries);
        assertEquals(Map.of(), preparer.recoveredHolds());
        assertEquals(1, observer.prepared.get(DeviceType.GPU));
    }

    @Test
    void temporaryFilesOfAnInterruptedSpecWriteAreRemovedAtStart() throws Exception {
        prepareTwoClaims();
        Path leftover = node.cdiRoot.resolve(".k8s.gpu.nvidia.com-claim_" + a.uid() + ".json.tmp-0123456789abcdef");
        Path foreign = node.cdiRoot.resolve("vendor.example.com-device.json");
        Files.writeString(leftover, "{\"cdiVer");
        Files.writeString(foreign, "{}");

        preparer = open("boot-1");

        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(foreign));
    }

    @Test
    void abandonedPrepareStartedClaimsAreReleasedOnlyWhenTheirClaimIsGone() {
        ResourceClaimRef gone = claim("team-a", "gone").result("gpu", GPU_0).create(client);
        ResourceClaimRef alive = claim("team-b", "alive").result("mig", MIG_A).create(client);
        hook = (step, uid) -> {
            if (step == PrepareStep.SPEC_WRITTEN) {
                throw new IllegalStateException("simulated crash");
            }
        };
        prepare(gone);
        prepare(alive);
        hook = PrepareStepHook.NONE;
        preparer = open("boot-1");
        client.resources(io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim.class).inNamespace("team-a")
                .withName("gone").delete();

        List<String> released = preparer.releaseAbandonedClaims();

        assertEquals(List.of(gone.uid()), released);
        assertFalse(Files.exists(node.specFile(gone.uid())));
        assertEquals(List.of(alive.uid()), List.copyOf(preparer.checkpointEntries().keySet()));
        assertTrue(Files.exists(node.specFile(alive.uid())));
    }
}
