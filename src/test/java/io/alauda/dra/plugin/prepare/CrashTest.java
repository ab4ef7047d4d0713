package io.alauda.dra.plugin.prepare;

import io.alauda.dra.cdi.ClaimSpecStore;
import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.plugin.api.KubeletDevice;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.CheckpointEntry;
import io.alauda.dra.plugin.checkpoint.EntryState;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_0;
import static io.alauda.dra.plugin.prepare.TestNode.MIG_A;
import static io.alauda.dra.plugin.prepare.TestNode.NODE_NAME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The plugin dies between two steps of prepare (or unprepare): an exception thrown from the step hook stands for the
 * crash (nothing after it runs, nothing is rolled back), the preparer is thrown away, and a new one is built over the
 * same directories, as a restarted plugin would be. The next call must give the answer an uninterrupted run gives,
 * and leave exactly the files an uninterrupted run leaves.
 */
@EnableKubernetesMockClient(crud = true)
class CrashTest extends PreparerTestBase {

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(PrepareStep step) {
            super("simulated crash after " + step);
        }
    }

    private void crashAt(PrepareStep crashStep) {
        hook = (step, uid) -> {
            if (step == crashStep) {
                throw new SimulatedCrash(step);
            }
        };
    }

    private void restart() {
        hook = PrepareStepHook.NONE;
        preparer = open("boot-1");
    }

    private ResourceClaimRef gpuAndMigClaim() {
        return claim("team-a", "train").result("gpu", GPU_0).result("mig", MIG_A).create(client);
    }

    /** The answer of an uninterrupted run, written out by hand. */
    private static List<KubeletDevice> expectedAnswer(ResourceClaimRef ref) {
        return List.of(
                new KubeletDevice(List.of("gpu"), NODE_NAME, GPU_0, List.of(cdiId(ref, GPU_0)), null),
                new KubeletDevice(List.of("mig"), NODE_NAME, MIG_A, List.of(cdiId(ref, MIG_A)), null));
    }

    /** The spec file bytes an uninterrupted run writes, produced by the CDI code on its own in another directory. */
    private byte[] expectedSpec(ResourceClaimRef ref) throws Exception {
        List<AllocatableDevice> devices = node.devices.stream()
                .filter(d -> d.name().equals(GPU_0) || d.name().equals(MIG_A)).toList();
        ClaimSpecStore reference = new ClaimSpecStore(tmp.resolve("reference-cdi"));
        Path written = reference.write(ref.uid(), node.specBuilder().build(ref.uid(), devices));
        return Files.readAllBytes(written);
    }

    private List<String> preparedFiles(ResourceClaimRef ref) {
        return List.of("cdi/k8s.gpu.nvidia.com-claim_" + ref.uid() + ".json", "gpu.nvidia.com/checkpoint.json");
    }

    @ParameterizedTest
    @EnumSource(value = PrepareStep.class, names = {"CLAIM_FETCHED", "CHECKPOINT_STARTED", "SPEC_WRITTEN",
            "CHECKPOINT_COMPLETED"})
    void nextPrepareAfterACrashGivesTheUninterruptedAnswerAndNoStrayFile(PrepareStep crashStep) throws Exception {
        ResourceClaimRef ref = gpuAndMigClaim();
        crashAt(crashStep);
        NodePrepareResult crashed = prepare(ref);
        assertContains("simulated crash after " + crashStep, crashed.error());

        restart();
        NodePrepareResult after = prepare(ref);

        assertEquals(NodePrepareResult.prepared(expectedAnswer(ref)), after);
        assertArrayEquals(expectedSpec(ref), Files.readAllBytes(node.specFile(ref.uid())));
        CheckpointEntry entry = preparer.checkpointEntries().get(ref.uid());
        assertEquals(EntryState.PREPARE_COMPLETED, entry.state());
        assertEquals(expectedAnswer(ref), entry.devices());
        assertEquals(List.of(ref.uid()), List.copyOf(preparer.checkpointEntries().keySet()));
        assertEquals(preparedFiles(ref), node.files());

        assertEquals("", unprepare(ref));
        assertEquals(List.of("gpu.nvidia.com/checkpoint.json"), node.files());
        assertEquals(Map.of(), preparer.checkpointEntries());
    }

    @Test
    void crashAfterCompletionIsAnsweredFromTheCheckpointWithoutTheApiServer() {
        ResourceClaimRef ref = gpuAndMigClaim();
        crashAt(PrepareStep.CHECKPOINT_COMPLETED);
        prepare(ref);
        restart();
        int requests = server.getRequestCount();

        NodePrepareResult after = prepare(ref);

        assertEquals(NodePrepareResult.prepared(expectedAnswer(ref)), after);
        assertEquals(requests, server.getRequestCount());
    }

    @ParameterizedTest
    @EnumSource(value = PrepareStep.class, names = {"CHECKPOINT_STARTED", "SPEC_WRITTEN"})
    void claimUnpreparedAfterAPrepareCrashLeavesNothingBehind(PrepareStep crashStep) {
        ResourceClaimRef ref = gpuAndMigClaim();
        crashAt(crashStep);
        prepare(ref);
        restart();

        assertEquals("", unprepare(ref));

        assertEquals(List.of("gpu.nvidia.com/checkpoint.json"), node.files());
        assertEquals(Map.of(), preparer.checkpointEntries());
    }

    @Test
    void crashInUnprepareBetweenSpecAndEntryIsFinishedByTheNextUnprepare() {
        ResourceClaimRef ref = gpuAndMigClaim();
        prepare(ref);
        crashAt(PrepareStep.SPEC_DELETED);
        assertContains("simulated crash after SPEC_DELETED", unprepare(ref));
        restart();

        assertEquals("", unprepare(ref));

        assertEquals(List.of("gpu.nvidia.com/checkpoint.json"), node.files());
        assertEquals(Map.of(), preparer.checkpointEntries());
    }

    @Test
    void crashInUnprepareFollowedByAPrepareWritesTheSpecAgain() throws Exception {
        ResourceClaimRef ref = gpuAndMigClaim();
        prepare(ref);
        crashAt(PrepareStep.SPEC_DELETED);
        unprepare(ref);
        restart();

        NodePrepareResult again = prepare(ref);

        assertEquals(NodePrepareResult.prepared(expectedAnswer(ref)), again);
        assertArrayEquals(expectedSpec(ref), Files.readAllBytes(node.specFile(ref.uid())));
        assertEquals(preparedFiles(ref), node.files());
    }

    @Test
    void crashWhileTheClaimWasDeletedIsCleanedUpWhenKubeletAsksAgain() {
        ResourceClaimRef ref = gpuAndMigClaim();
        crashAt(PrepareStep.SPEC_WRITTEN);
        prepare(ref);
        restart();
        client.resources(io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim.class).inNamespace("team-a")
                .withName("train").delete();

        assertContains("was not found", prepare(ref).error());

        assertFalse(preparer.checkpointEntries().containsKey(ref.uid()));
        assertEquals(List.of("gpu.nvidia.com/checkpoint.json"), node.files());
    }
}
