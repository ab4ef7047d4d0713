package io.alauda.dra.plugin.sharing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Daemon IDs, directories, limits and the Deployment: each piece on its own. */
class MpsPiecesTest {

    private static final String UID = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    private static final String GPU_A = "GPU-4f1c7d3e-0000-0000-0000-000000000000";
    private static final String GPU_B = "GPU-4f1c7d3e-0000-0000-0000-000000000001";

    @TempDir
    Path tmp;

    @Test
    void theIdIsTheClaimUidAndFiveHexOfTheSortedUuidsHash() {
        String id = MpsDaemonIds.of(UID, List.of(GPU_A, GPU_B));

        assertTrue(id.startsWith(UID + "-"));
        assertEquals(UID.length() + 6, id.length());
        assertEquals(id, MpsDaemonIds.of(UID, List.of(GPU_A, GPU_B)));
        assertFalse(id.equals(MpsDaemonIds.of(UID, List.of(GPU_A))));
    }

    @Test
    void somethingThatIsNotAnIdNeverBecomesAPath() {
        MpsDirectories dirs = new MpsDirectories(tmp.resolve("mps"), new FakeMpsDaemons());

        for (String bad : List.of("../../etc", UID + "-12345/../../x", "", UID, UID + "-ABCDE", "/abs", "..-12345",
                "a.b-12345", UID + "-aaaa-12345")) {
            assertThrows(IllegalArgumentException.class, () -> dirs.paths(bad), bad);
        }
        assertFalse(Files.exists(tmp.resolve("mps")));
    }

    @Test
    void createMakesTheThreeDirectoriesAndMountsShmOnceAndRemoveUndoesBoth() throws IOException {
        FakeMpsDaemons mounts = new FakeMpsDaemons();
        MpsDirectories dirs = new MpsDirectories(tmp.resolve("mps"), mounts);
        String id = MpsDaemonIds.of(UID, List.of(GPU_A));

        MpsDirectories.Paths paths = dirs.create(id);
        dirs.create(id);

        assertEquals(tmp.resolve("mps").resolve(id).resolve("pipe"), paths.pipe());
        assertTrue(Files.isDirectory(paths.shm()));
        assertTrue(Files.isDirectory(paths.log()));
        assertEquals(Set.of(paths.shm()), mounts.mounts());
        assertEquals(Set.of(id), dirs.ids());

        dirs.remove(id);
        dirs.remove(id);

        assertEquals(Set.of(), mounts.mounts());
        assertFalse(Files.exists(paths.daemon()));
    }

    @Test
    void removingATreeWithALinkRemovesTheLinkNotItsTarget() throws IOException {
        MpsDirectories dirs = new MpsDirectories(tmp.resolve("mps"), new FakeMpsDaemons());
        String id = MpsDaemonIds.of(UID, List.of(GPU_A));
        MpsDirectories.Paths paths = dirs.create(id);
        Path precious = Files.writeString(tmp.resolve("precious"), "keep");
        Files.createSymbolicLink(paths.log().resolve("link"), precious);

        dirs.remove(id);

        assertEquals("keep", Files.readString(precious));
    }

    @Test
    void limitsAreWholeMebibytesDefaultFirstThenPerDeviceByIndexOrUuid() {
        assertEquals(Map.of(GPU_A, "1024M", GPU_B, "300M"),
                MpsLimits.normalize(List.of(GPU_A, GPU_B), 1L << 30, Map.of("1", 300L * 1024 * 1024)));
        assertEquals(Map.of(GPU_B, "2M"), MpsLimits.normalize(List.of(GPU_A, GPU_B), null,
                Map.of(GPU_B, 2L * 1024 * 1024 + 5)));
        assertEquals("invalid device: invalid device index: -1", assertThrows(IllegalArgumentException.class,
                () -> MpsLimits.normalize(List.of(GPU_A), null, Map.of("-1", 1L << 20))).getMessage());
    }

    @Test
    void theDeploymentIsPinnedPrivilegedAndRunsUpstreamsScript() {
        String id = MpsDaemonIds.of(UID, List.of(GPU_A, GPU_B));
        MpsDirectories.Paths paths = new MpsDirectories(Path.of("/var/lib/kubelet/plugins/gpu.nvidia.com/mps"),
                new FakeMpsDaemons()).paths(id);
        MpsDaemonSpec spec = new MpsDaemonSpec(id, List.of(GPU_A, GPU_B), 25, Map.of(GPU_A, "1024M"), true, paths);

        Deployment d = new MpsDeploymentBuilder("nvidia-dra-driver", "node-a", "registry/driver:1.0", "/run/nvidia/driver",
                true).build(spec);

        assertEquals("mps-control-daemon-" + id, d.getMetadata().getName());
        assertEquals("nvidia-dra-driver", d.getMetadata().getNamespace());
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertEquals("node-a", pod.getNodeName());
        assertTrue(pod.getHostPID());
        Container c = pod.getContainers().get(0);
        assertEquals("registry/driver:1.0", c.getImage());
        assertTrue(c.getSecurityContext().getPrivileged());
        assertEquals(GPU_A + "," + GPU_B, c.getEnv().get(0).getValue());
        String script = c.getArgs().get(0);
        assertTrue(script.contains("$RUN \"nvidia-cuda-mps-control -d -M\"\n"), script);
        assertTrue(script.contains("$RUN \"echo set_default_active_thread_percentage 25 | nvidia-cuda-mps-control\"\n"));
        assertTrue(script.contains("$RUN \"echo set_default_device_pinned_mem_limit " + GPU_A
                + " 1024M | nvidia-cuda-mps-control\"\n"));
        assertEquals(List.of("/run/nvidia/driver", paths.shm().toString(), paths.pipe().toString(),
                        paths.log().toString()),
                pod.getVolumes().stream().map(v -> v.getHostPath().getPath()).toList());
        assertEquals("/driver-root/dev/shm", c.getVolumeMounts().get(1).getMountPath());
        assertEquals(List.of("cat", "/driver-root/var/log/nvidia-mps/startup.log"),
                c.getStartupProbe().getExec().getCommand());
    }

    @Test
    void aLimitThatIsNotUuidAndMebibytesNeverReachesTheScript() {
        String id = MpsDaemonIds.of(UID, List.of(GPU_A));
        MpsDirectories.Paths paths = new MpsDirectories(tmp, new FakeMpsDaemons()).paths(id);
        MpsDaemonSpec spec = new MpsDaemonSpec(id, List.of(GPU_A), null, Map.of(GPU_A, "1M; reboot"), false, paths);

        assertThrows(IllegalArgumentException.class, () -> MpsDeploymentBuilder.script(spec));
    }
}
