package io.alauda.dra.plugin.prepare;

import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.CheckpointEntry;
import io.alauda.dra.plugin.checkpoint.EntryState;
import io.alauda.dra.plugin.checkpoint.SharingRecord;
import io.alauda.dra.plugin.sharing.ComputeMode;
import io.alauda.dra.plugin.sharing.FakeGpuSharingControl;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestClaims.params;
import static io.alauda.dra.plugin.prepare.TestClaims.timeSlicing;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_0;
import static io.alauda.dra.plugin.prepare.TestNode.MIG_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Time-slicing through the preparer: applied on prepare, put back by the last claim to go, and after a restart. */
@EnableKubernetesMockClient(crud = true)
class TimeSlicingPrepareTest extends PreparerTestBase {

    static final String GPU_0_UUID = "GPU-4f1c7d3e-0000-0000-0000-000000000000";

    FakeGpuSharingControl gpus;

    @BeforeEach
    void enableTimeSlicing() {
        gpus = new FakeGpuSharingControl();
        // An admin set this before; the claims must give it back.
        gpus.preset(GPU_0_UUID, ComputeMode.PROHIBITED, 2);
        sharing = new SharingSupport(new SharingGates(true, false), gpus, SharingSupport.NONE.mps(),
                SharingSupport.NONE.mpsDirs(), SharingSupport.DEFAULT_MPS_READY_TIMEOUT,
                SharingSupport.DEFAULT_MPS_READY_POLLS);
        preparer = open("boot-1");
    }

    private ResourceClaimRef timeSliced(String name, String interval, boolean admin) {
        TestClaims c = claim("team-a", name);
        c = admin ? c.adminResult("gpu", GPU_0) : c.result("gpu", GPU_0);
        return c.config("FromClaim", List.of(), params("GpuConfig", timeSlicing(interval))).create(client);
    }

    @Test
    void prepareSetsComputeModeDefaultThenTheIntervalAndUnpreparePutsBackWhatWasThere() {
        ResourceClaimRef ref = timeSliced("train", "Long", false);

        assertEquals("", prepare(ref).error());

        assertEquals(List.of(GPU_0_UUID + " -c DEFAULT", GPU_0_UUID + " timeslice 3"), gpus.changes());
        assertEquals(ComputeMode.DEFAULT, gpus.mode(GPU_0_UUID));
        assertEquals(3, gpus.slice(GPU_0_UUID));
        CheckpointEntry entry = preparer.checkpointEntries().get(ref.uid());
        assertEquals(List.of(new SharingRecord.TimeSlice(GPU_0_UUID, GPU_0, 3, "Prohibited", 2)),
                entry.sharing().timeSlices());

        assertEquals("", unprepare(ref));

        assertEquals(ComputeMode.PROHIBITED, gpus.mode(GPU_0_UUID));
        assertEquals(2, gpus.slice(GPU_0_UUID));
        assertFalse(preparer.checkpointEntries().containsKey(ref.uid()));
    }

    @Test
    void theCdiSpecIsTheSameAsWithoutSharing() throws Exception {
        ResourceClaimRef shared = timeSliced("shared", "Short", false);
        assertEquals("", prepare(shared).error());
        String sharedSpec = Files.readString(node.specFile(shared.uid())).replace(shared.uid(), "UID");
        assertEquals("", unprepare(shared));

        ResourceClaimRef plain = claim("team-a", "plain").result("gpu", GPU_0).create(client);
        assertEquals("", prepare(plain).error());
        String plainSpec = Files.readString(node.specFile(plain.uid())).replace(plain.uid(), "UID");

        assertEquals(plainSpec, sharedSpec);
    }

    @Test
    void anIntervalLeftOutIsDefault() {
        ResourceClaimRef ref = claim("team-a", "train").result("gpu", GPU_0)
                .config("FromClaim", List.of(), params("GpuConfig", Map.of("strategy", "TimeSlicing"))).create(client);

        assertEquals("", prepare(ref).error());

        assertEquals(List.of(GPU_0_UUID + " -c DEFAULT", GPU_0_UUID + " timeslice 0"), gpus.changes());
    }

    @Test
    void aSharedClaimPreparedForASecondPodChangesNothingMore() {
        ResourceClaimRef ref = timeSliced("shared", "Medium", false);

        assertEquals("", prepare(ref).error());
        assertEquals("", prepare(ref).error());

        assertEquals(List.of(GPU_0_UUID + " -c DEFAULT", GPU_0_UUID + " timeslice 2"), gpus.changes());
    }

    @Test
    void twoClaimsTimeSlicingOneGpuBothPrepareAndOnlyTheLastToGoPutsItBack() {
        ResourceClaimRef first = timeSliced("first", "Long", true);
        ResourceClaimRef second = timeSliced("second", "Long", true);

        assertEquals("", prepare(first).error());
        assertEquals("", prepare(second).error());
        // The second claim keeps the original settings, not the first claim's.
        assertEquals(List.of(new SharingRecord.TimeSlice(GPU_0_UUID, GPU_0, 3, "Prohibited", 2)),
                preparer.checkpointEntries().get(second.uid()).sharing().timeSlices());

        assertEquals("", unprepare(first));
        assertEquals(3, gpus.slice(GPU_0_UUID));
        assertEquals(ComputeMode.DEFAULT, gpus.mode(GPU_0_UUID));

        assertEquals("", unprepare(second));
        assertPresetSettingsBack();
    }

    @Test
    void aClaimHoldingTheGpuWithoutSharingDoesNotKeepItTimeSliced() {
        ResourceClaimRef slicer = timeSliced("slicer", "Long", true);
        ResourceClaimRef watcher = claim("team-a", "watcher").adminResult("gpu", GPU_0).create(client);
        assertEquals("", prepare(slicer).error());
        assertEquals("", prepare(watcher).error());

        assertEquals("", unprepare(slicer));

        assertPresetSettingsBack();
    }

    @Test
    void anotherIntervalOnAGpuThatIsTimeSlicedAlreadyIsRefused() {
        ResourceClaimRef first = timeSliced("first", "Long", true);
        ResourceClaimRef second = timeSliced("second", "Short", true);
        assertEquals("", prepare(first).error());

        NodePrepareResult result = prepare(second);

        assertEquals("status.allocation.devices.config[0].opaque.parameters.sharing asks for time-slice Short on device"
                + " gpu-0, but claim team-a/first (" + first.uid() + ") already time-slices it with Long; a GPU has"
                + " one setting, so use the same interval in both claims or wait for the other to finish",
                result.error());
        assertEquals(ClaimErrorType.DEVICE_IN_USE, observer.errors.get(0).type());
        assertFalse(preparer.checkpointEntries().containsKey(second.uid()));
        assertEquals(3, gpus.slice(GPU_0_UUID));
    }

    @Test
    void aFailingChangeFailsTheClaimKeepsTheRecordAndUnprepareStillPutsBack() {
        ResourceClaimRef ref = timeSliced("train", "Long", false);
        gpus.failChanges(GPU_0_UUID);

        NodePrepareResult result = prepare(ref);

        assertTrue(result.error().startsWith("cannot time-slice device gpu-0 (" + GPU_0_UUID + ") for claim team-a/train"),
                result.error());
        assertEquals(ClaimErrorType.SHARING_SETUP, observer.errors.get(0).type());
        assertFalse(Files.exists(node.specFile(ref.uid())));
        CheckpointEntry entry = preparer.checkpointEntries().get(ref.uid());
        assertEquals(EntryState.PREPARE_STARTED, entry.state());
        assertEquals(1, entry.sharing().timeSlices().size());

        gpus.healChanges(GPU_0_UUID);
        assertEquals("", unprepare(ref));

        assertPresetSettingsBack();
        assertFalse(preparer.checkpointEntries().containsKey(ref.uid()));
    }

    @Test
    void aFailingPutBackFailsTheUnprepareAndKeepsTheClaimForTheRetry() {
        ResourceClaimRef ref = timeSliced("train", "Long", false);
        assertEquals("", prepare(ref).error());
        gpus.failChanges(GPU_0_UUID);

        String error = unprepare(ref);

        assertTrue(error.startsWith("cannot put back the time-slice of device gpu-0"), error);
        assertTrue(preparer.checkpointEntries().containsKey(ref.uid()));

        gpus.healChanges(GPU_0_UUID);
        assertEquals("", unprepare(ref));
        assertEquals(2, gpus.slice(GPU_0_UUID));
    }

    @Test
    void aRestartedPluginPutsBackWhatTheCheckpointRecords() {
        ResourceClaimRef ref = timeSliced("train", "Long", false);
        assertEquals("", prepare(ref).error());

        preparer = open("boot-1");
        assertEquals("", unprepare(ref));

        assertPresetSettingsBack();
    }

    /** GPU 0 has the compute mode and time-slice it was given before the test, as nvidia-smi would read them. */
    private void assertPresetSettingsBack() {
        assertEquals(2, gpus.slice(GPU_0_UUID));
        assertEquals(ComputeMode.PROHIBITED, gpus.mode(GPU_0_UUID));
    }

    /** Prepares {@code ref} until the plugin dies right after {@code step}, then starts a new one in the same boot. */
    private void crashAfterAndRestart(PrepareStep crashStep, ResourceClaimRef ref, Runnable whileCrashed) {
        hook = (step, uid) -> {
            if (step == crashStep) {
                throw new CrashTest.SimulatedCrash(step);
            }
        };
        prepare(ref);
        whileCrashed.run();
        hook = PrepareStepHook.NONE;
        preparer = open("boot-1");
    }

    @Test
    void aCrashAfterApplyingIsUndoneByTheUnprepareAfterTheRestart() {
        ResourceClaimRef ref = timeSliced("train", "Long", false);
        crashAfterAndRestart(PrepareStep.SHARING_APPLIED, ref, () -> assertEquals(3, gpus.slice(GPU_0_UUID)));

        assertEquals("", unprepare(ref));

        assertPresetSettingsBack();
    }

    @Test
    void aRetryAfterACrashKeepsTheOriginalNotItsOwnSetting() {
        ResourceClaimRef ref = timeSliced("train", "Long", false);
        crashAfterAndRestart(PrepareStep.SHARING_APPLIED, ref, () -> { });

        assertEquals("", prepare(ref).error());
        assertEquals("", unprepare(ref));

        assertEquals(2, gpus.slice(GPU_0_UUID));
    }

    @Test
    void aClaimDeletedWhileHalfPreparedIsReleasedWithItsGpuPutBack() {
        ResourceClaimRef ref = timeSliced("train", "Long", false);
        gpus.failChanges(GPU_0_UUID);
        prepare(ref);
        gpus.healChanges(GPU_0_UUID);
        client.genericKubernetesResources("resource.k8s.io/v1", "ResourceClaim").inNamespace("team-a")
                .withName("train").delete();

        assertEquals(List.of(ref.uid()), preparer.releaseAbandonedClaims());

        assertPresetSettingsBack();
        assertFalse(preparer.checkpointEntries().containsKey(ref.uid()));
    }

    @Test
    void twoConfigsOfOneClaimWithDifferentSharingOnOneDeviceAreRefused() {
        ResourceClaimRef ref = claim("team-a", "twice").result("a", GPU_0).adminResult("b", GPU_0)
                .config("FromClaim", List.of("a"), params("GpuConfig", timeSlicing("Long")))
                .config("FromClaim", List.of("b"), params("GpuConfig", timeSlicing("Short")))
                .create(client);

        NodePrepareResult result = prepare(ref);

        assertEquals("status.allocation.devices.config[1].opaque.parameters.sharing and"
                + " status.allocation.devices.config[0].opaque.parameters.sharing both apply to device 'gpu-0' with"
                + " different sharing settings; one GPU takes one setting, so give both requests the same sharing block"
                + " or only one of them", result.error());
        assertEquals(List.of(), gpus.changes());
    }

    @Test
    void settingsThatCannotBeReadAreRestoredToDefault() {
        gpus.makeUnreadable();
        ResourceClaimRef ref = timeSliced("train", "Long", false);
        assertEquals("", prepare(ref).error());

        assertEquals("", unprepare(ref));

        assertEquals(0, gpus.slice(GPU_0_UUID));
        assertEquals(ComputeMode.DEFAULT, gpus.mode(GPU_0_UUID));
    }

    @Test
    void timeSlicingAMigDeviceChangesNothing() {
        ResourceClaimRef ref = claim("team-a", "mig").result("mig", MIG_A)
                .config("FromClaim", List.of(), params("MigDeviceConfig", Map.of("strategy", "TimeSlicing")))
                .create(client);

        assertEquals("", prepare(ref).error());

        assertEquals(List.of(), gpus.changes());
        assertTrue(preparer.checkpointEntries().get(ref.uid()).sharing().isEmpty());
    }
}
