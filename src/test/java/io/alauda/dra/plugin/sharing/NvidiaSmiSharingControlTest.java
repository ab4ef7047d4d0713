package io.alauda.dra.plugin.sharing;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The nvidia-smi command lines upstream runs, the library preloaded, and what is read back from the output. */
class NvidiaSmiSharingControlTest {

    private static final String GPU = "GPU-4f1c7d3e-0000-0000-0000-000000000000";
    private final List<List<String>> commands = new ArrayList<>();
    private final List<Map<String, String>> envs = new ArrayList<>();

    private NvidiaSmiSharingControl control(int exitCode, String output) {
        return new NvidiaSmiSharingControl(Path.of("/driver-root/usr/bin/nvidia-smi"),
                Path.of("/driver-root/usr/lib64/libnvidia-ml.so.1"), (command, env, timeout) -> {
            commands.add(command);
            envs.add(env);
            return new CommandRunner.Result(exitCode, output);
        });
    }

    @Test
    void setsComputeModeAndTimeSliceAsUpstreamDoes() throws Exception {
        NvidiaSmiSharingControl control = control(0, "");

        control.setComputeMode(GPU, ComputeMode.DEFAULT);
        control.setTimeSlice(GPU, 3);

        assertEquals(List.of(
                List.of("/driver-root/usr/bin/nvidia-smi", "-i", GPU, "-c", "DEFAULT"),
                List.of("/driver-root/usr/bin/nvidia-smi", "compute-policy", "-i", GPU, "--set-timeslice", "3")),
                commands);
        assertEquals(Map.of("LD_PRELOAD", "/driver-root/usr/lib64/libnvidia-ml.so.1"), envs.get(0));
    }

    @Test
    void readsTheComputeModeWithTheQueryForm() throws Exception {
        NvidiaSmiSharingControl control = control(0, "ERROR: ld.so: object 'x' from LD_PRELOAD cannot be preloaded: ignored.\n"
                + "Exclusive_Process\n");

        assertEquals(Optional.of(ComputeMode.EXCLUSIVE_PROCESS), control.computeMode(GPU));
        assertEquals(List.of("/driver-root/usr/bin/nvidia-smi", "-i", GPU, "--query-gpu=compute_mode",
                "--format=csv,noheader"), commands.get(0));
    }

    @Test
    void readsTheTimeSliceFromTheListForm() throws Exception {
        NvidiaSmiSharingControl control = control(0, "GPU 0: NVIDIA H100\n    Timeslice                 : Medium\n");

        assertEquals(Optional.of(2), control.timeSlice(GPU));
        assertEquals(List.of("/driver-root/usr/bin/nvidia-smi", "compute-policy", "-i", GPU, "-l"), commands.get(0));
    }

    @Test
    void readsTheTableNvidiaSmi580PrintsOnAnH200() {
        // nvidia-smi compute-policy -l on an NVIDIA H200, driver 580.159.04, 2026-12-04
        String h200 = """
                +-------------------------------------+
                | GPU compute policies:               |
                | GPU     Name           Value        |
                |=====================================|
                |   0   Timeslice       Default       |
                +-------------------------------------+
                """;
        assertEquals(Optional.of(0), NvidiaSmiSharingControl.parseTimeSlice(h200));
        assertEquals(Optional.of(3), NvidiaSmiSharingControl.parseTimeSlice(h200.replace("Default", "Long   ")));
    }

    @Test
    void anOutputWithoutATimeSliceLineCannotTell() {
        assertEquals(Optional.empty(), NvidiaSmiSharingControl.parseTimeSlice("No compute policies\n"));
        assertEquals(Optional.of(0), NvidiaSmiSharingControl.parseTimeSlice("Timeslice: 0"));
    }

    @Test
    void aFailureNamesTheCommandTheGpuAndTheOutput() {
        NvidiaSmiSharingControl control = control(3, "Unable to set timeslice: Not Supported\n");

        GpuSharingException e = assertThrows(GpuSharingException.class, () -> control.setTimeSlice(GPU, 1));

        assertEquals("'nvidia-smi compute-policy -i " + GPU + " --set-timeslice 1' for GPU " + GPU + " failed with exit"
                + " code 3: Unable to set timeslice: Not Supported", e.getMessage());
    }

    @Test
    void somethingThatIsNotAGpuUuidNeverReachesTheCommandLine() {
        NvidiaSmiSharingControl control = control(0, "");

        assertThrows(IllegalArgumentException.class, () -> control.setComputeMode("--help; rm -rf /", ComputeMode.DEFAULT));
        assertEquals(List.of(), commands);
    }
}
