package io.alauda.dra.plugin.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import io.alauda.dra.plugin.api.NodePrepareResult;
import io.alauda.dra.plugin.api.ResourceClaimRef;
import io.alauda.dra.plugin.checkpoint.CheckpointEntry;
import io.alauda.dra.plugin.checkpoint.EntryState;
import io.alauda.dra.plugin.checkpoint.SharingRecord;
import io.alauda.dra.plugin.sharing.ComputeMode;
import io.alauda.dra.plugin.sharing.FakeGpuSharingControl;
import io.alauda.dra.plugin.sharing.FakeMpsDaemons;
import io.alauda.dra.plugin.sharing.MpsDaemonIds;
import io.alauda.dra.plugin.sharing.MpsDaemonSpec;
import io.alauda.dra.plugin.sharing.MpsDirectories;
import io.alauda.dra.slice.Backoff;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.alauda.dra.plugin.prepare.TestClaims.claim;
import static io.alauda.dra.plugin.prepare.TestClaims.params;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_0;
import static io.alauda.dra.plugin.prepare.TestNode.GPU_1;
import static io.alauda.dra.plugin.prepare.TestNode.MIG_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MPS through the preparer: the daemon, its limits, the CDI edits, readiness, and stopping it whenever the claim goes. */
@EnableKubernetesMockClient(crud = true)
class MpsPrepareTest extends PreparerTestBase {

    static final String GPU_0_UUID = "GPU-4f1c7d3e-0000-0000-0000-000000000000";
    static final String GPU_1_UUID = "GPU-4f1c7d3e-0000-0000-0000-000000000001";
    static final String MIG_A_UUID = "MIG-2d3e4f50-0000-0000-0000-00000000000a";

    FakeGpuSharingControl gpus;
    FakeMpsDaemons daemons;
    Path mpsRoot;

    @BeforeEach
    void enableMps() {
        gpus = new FakeGpuSharingControl();
        daemons = new FakeMpsDaemons();
        mpsRoot = node.pluginDir.resolve("mps");
        useTimeout(Duration.ofSeconds(5));
    }

    private void useTimeout(Duration timeout) {
        sharing = new SharingSupport(new SharingGates(false, true), gpus, daemons, new MpsDirectories(mpsRoot, daemons),
                timeout, Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(50), 0));
        preparer = open("boot-1");
    }

    private static Map<String, Object> mps(Map<String, Object> config) {
        return params("GpuConfig", Map.of("strategy", "MPS", "mpsConfig", config));
    }

    private ResourceClaimRef twoGpuMpsClaim(Map<String, Object> config) {
        return claim("team-a", "infer").result("a", GPU_0).result("b", GPU_1)
                .config("FromClaim", List.of(), mps(config)).create(client);
    }

    @Test
    void oneDaemonServesTheGroupWithItsLimitsAndTheContainersGetItsPipeAndShm() throws Exception {
        ResourceClaimRef ref = twoGpuMpsClaim(Map.of("defaultActiveThreadPercentage", 40,
                "defaultPinnedDeviceMemoryLimit", "1Gi", "defaultPerDevicePinnedMemoryLimit", Map.of("1", "512Mi")));

        assertEquals("", prepare(ref).error());

        String id = MpsDaemonIds.of(ref.uid(), List.of(GPU_0_UUID, GPU_1_UUID));
        MpsDaemonSpec spec = daemons.running().get(id);
        assertEquals(List.of(GPU_0_UUID, GPU_1_UUID), spec.deviceUuids());
        assertEquals(40, spec.activeThreadPercentage());
        assertEquals(Map.of(GPU_0_UUID, "1024M", GPU_1_UUID, "512M"), spec.pinnedMemoryLimits());
        assertFalse(spec.multiUser());
        assertEquals(ComputeMode.EXCLUSIVE_PROCESS, gpus.mode(GPU_0_UUID));
        assertEquals(ComputeMode.EXCLUSIVE_PROCESS, gpus.mode(GPU_1_UUID));
        Path daemonDir = mpsRoot.resolve(id);
        assertTrue(Files.isDirectory(daemonDir.resolve("pipe")));
        assertTrue(Files.isDirectory(daemonDir.resolve("log")));
        assertEquals(Set.of(daemonDir.resolve("shm")), daemons.mounts());

        JsonNode cdi = spec(ref);
        for (JsonNode device : cdi.get("devices")) {
            JsonNode edits = device.get("containerEdits");
            assertEquals("CUDA_MPS_PIPE_DIRECTORY=/tmp/nvidia-mps", edits.get("env").get(0).asText(), device.toString());
            JsonNode mounts = edits.get("mounts");
            assertEquals(2, mounts.size(), device.toString());
            assertEquals(daemonDir.resolve("shm").toString(), mounts.get(0).get("hostPath").asText());
            assertEquals("/dev/shm", mounts.get(0).get("containerPath").asText());
            assertEquals(daemonDir.resolve("pipe").toString(), mounts.get(1).get("hostPath").asText());
            assertEquals("/tmp/nvidia-mps", mounts.get(1).get("containerPath").asText());
            assertEquals("[\"rw\",\"nosuid\",\"nodev\",\"bind\"]", mounts.get(1).get("options").toString());
        }
        CheckpointEntry entry = preparer.checkpointEntries().get(ref.uid());
        assertEquals(List.of(new SharingRecord.MpsDaemon(id, List.of(GPU_0_UUID, GPU_1_UUID),
                List.of(GPU_0_UUID, GPU_1_UUID), Map.of(GPU_0_UUID, "Default", GPU_1_UUID, "Default"))),
                entry.sharing().mpsDaemons());
    }

    @Test
    void unprepareStopsTheDaemonPutsTheComputeModeBackAndRemovesItsDirectories() {
        gpus.preset(GPU_0_UUID, ComputeMode.PROHIBITED, 0);
        ResourceClaimRef ref = twoGpuMpsClaim(Map.of());
        assertEquals("", prepare(ref).error());

        assertEquals("", unprepare(ref));

        assertEquals(Map.of(), daemons.running());
        assertEquals(Set.of(), daemons.mounts());
        assertEquals(ComputeMode.PROHIBITED, gpus.mode(GPU_0_UUID));
        assertEquals(ComputeMode.DEFAULT, gpus.mode(GPU_1_UUID));
        assertFalse(Files.exists(mpsRoot.resolve(MpsDaemonIds.of(ref.uid(), List.of(GPU_0_UUID, GPU_1_UUID)))));
    }

    @Test
    void aDaemonNotReadyInTimeFailsTheClaimAndTheRetryWaitsForTheSameDaemon() {
        useTimeout(Duration.ofMillis(200));
        daemons.neverReady();
        ResourceClaimRef ref = twoGpuMpsClaim(Map.of());
        String id = MpsDaemonIds.of(ref.uid(), List.of(GPU_0_UUID, GPU_1_UUID));

        NodePrepareResult first = prepare(ref);

        assertTrue(first.error().startsWith("the MPS control daemon of claim team-a/infer (" + ref.uid() + ") was not"
                + " ready within 0.2 s (fake daemon " + id + ")"), first.error());
        assertEquals(ClaimErrorType.MPS_NOT_READY, observer.errors.get(0).type());
        assertFalse(Files.exists(node.specFile(ref.uid())));
        assertEquals(EntryState.PREPARE_STARTED, preparer.checkpointEntries().get(ref.uid()).state());

        daemons.makeReady(id);
        assertEquals("", prepare(ref).error());

        assertEquals(Set.of(id), daemons.running().keySet());
    }

    @Test
    void aCancelledCallStopsWaitingAndLeavesTheDaemonStartingForTheRetry() {
        useTimeout(Duration.ofSeconds(30));
        daemons.neverReady();
        ResourceClaimRef ref = twoGpuMpsClaim(Map.of());
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        hook = (step, uid) -> {
            if (step == PrepareStep.CHECKPOINT_STARTED) {
                cancelled.set(true);
            }
        };
        long start = System.nanoTime();

        NodePrepareResult result = preparer.prepare(List.of(ref),
                () -> cancelled.get() ? java.util.Optional.of("kubelet cancelled") : java.util.Optional.empty())
                .get(ref.uid());

        assertTrue(result.isError());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
        assertEquals(1, daemons.running().size());
        assertEquals(EntryState.PREPARE_STARTED, preparer.checkpointEntries().get(ref.uid()).state());
    }

    @Test
    void aClaimThatGoesWhileItsDaemonIsStartingStopsIt() {
        useTimeout(Duration.ofMillis(100));
        daemons.neverReady();
        ResourceClaimRef ref = twoGpuMpsClaim(Map.of());
        prepare(ref);

        assertEquals("", unprepare(ref));

        assertEquals(Map.of(), daemons.running());
        assertEquals(ComputeMode.DEFAULT, gpus.mode(GPU_0_UUID));
    }

    @Test
    void aPerDeviceLimitForADeviceTheGroupLacksIsRefusedWithUpstreamsWords() {
        ResourceClaimRef ref = twoGpuMpsClaim(Map.of("defaultPerDevicePinnedMemoryLimit", Map.of("2", "1Gi")));

        NodePrepareResult result = prepare(ref);

        assertEquals("status.allocation.devices.config[0].opaque.parameters.sharing.mpsConfig"
                + ".defaultPerDevicePinnedMemoryLimit: invalid device: invalid device index: 2; keys are a device's"
                + " UUID or its index (0 to 1) among the 2 device(s) this config applies to, sorted by UUID",
                result.error());
        assertEquals(ClaimErrorType.INVALID_CONFIG, observer.errors.get(0).type());
        assertEquals(Map.of(), daemons.running());
        assertFalse(preparer.checkpointEntries().containsKey(ref.uid()));
    }

    @Test
    void aPerDeviceKeyThatIsNeitherUuidNorIndexIsRefused() {
        ResourceClaimRef ref = twoGpuMpsClaim(Map.of("defaultPerDevicePinnedMemoryLimit", Map.of("gpu-0", "1Gi")));

        assertTrue(prepare(ref).error().contains(".defaultPerDevicePinnedMemoryLimit: invalid device: unable to parse"
                + " key as an integer: gpu-0; keys are"));
    }

    @Test
    void withoutADaemonRunnerTheClaimFailsBeforeAnythingChanges() {
        sharing = new SharingSupport(new SharingGates(false, true), gpus,
                io.alauda.dra.plugin.sharing.MpsDaemonControl.NONE, new MpsDirectories(mpsRoot, daemons),
                Duration.ofSeconds(1), Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(50), 0));
        preparer = open("boot-1");
        ResourceClaimRef ref = twoGpuMpsClaim(Map.of());

        NodePrepareResult result = prepare(ref);

        assertEquals("status.allocation.devices.config[0].opaque.parameters.sharing asks for MPS, but MPS control"
                + " daemons cannot be started on this node: the plugin knows no image or namespace for MPS control"
                + " daemons (IMAGE_NAME and NAMESPACE in its environment, which the operator sets when"
                + " spec.featureGates.MPSSupport is true)", result.error());
        assertEquals(ClaimErrorType.SHARING_SETUP, observer.errors.get(0).type());
        assertEquals(List.of(), gpus.changes());
        assertFalse(Files.exists(mpsRoot));
        assertFalse(preparer.checkpointEntries().containsKey(ref.uid()));
    }

    @Test
    void aMigDeviceGetsADaemonOfItsOwnAndNoComputeModeChange() {
        ResourceClaimRef ref = claim("team-a", "mig").result("mig", MIG_A)
                .config("FromClaim", List.of(), params("MigDeviceConfig", Map.of("strategy", "MPS",
                        "mpsConfig", Map.of("multiUser", true)))).create(client);

        assertEquals("", prepare(ref).error());

        MpsDaemonSpec spec = daemons.running().values().iterator().next();
        assertEquals(List.of(MIG_A_UUID), spec.deviceUuids());
        assertTrue(spec.multiUser());
        assertEquals(List.of(), gpus.changes());
    }

    @Test
    void mpsOnAGpuAnotherClaimTimeSlicesIsRefused() {
        sharing = sharing.withGates(new SharingGates(true, true));
        preparer = open("boot-1");
        ResourceClaimRef slicer = claim("team-a", "slicer").adminResult("gpu", GPU_0)
                .config("FromClaim", List.of(), params("GpuConfig", TestClaims.timeSlicing("Long"))).create(client);
        ResourceClaimRef mpsUser = claim("team-a", "mps").adminResult("gpu", GPU_0)
                .config("FromClaim", List.of(), mps(Map.of())).create(client);
        assertEquals("", prepare(slicer).error());

        NodePrepareResult result = prepare(mpsUser);

        assertTrue(result.error().contains("asks for MPS on device " + GPU_0_UUID + ", but claim team-a/slicer ("
                + slicer.uid() + ") time-slices it"), result.error());
        assertEquals(Map.of(), daemons.running());
    }

    @Test
    void aStartStopsDaemonsNoClaimRecordsAndKeepsThoseItDoes() {
        ResourceClaimRef ref = twoGpuMpsClaim(Map.of());
        assertEquals("", prepare(ref).error());
        String kept = MpsDaemonIds.of(ref.uid(), List.of(GPU_0_UUID, GPU_1_UUID));
        String orphan = "00000000-0000-0000-0000-0000000000aa-12345";
        daemons.leftOver(orphan);

        preparer = open("boot-1");

        assertEquals(Set.of(kept), daemons.running().keySet());
    }
}
