package io.alauda.dra.discover;

import io.alauda.dra.nvml.NvmlStub;
import io.alauda.dra.nvml.replay.Recording;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discover through JNA against the gcc-built NVML stand-in (moved from nvml.JnaNvmlTest with the command). */
class DiscoverJnaTest {

    @TempDir
    static Path driverRoot;

    private static Path library;

    @BeforeAll
    static void buildStubLibrary() throws IOException, InterruptedException {
        library = NvmlStub.build(driverRoot);
    }

    @Test
    void discoverRecordsTheRealLibrarysAnswersForReplay(@TempDir Path dir) {
        Path file = dir.resolve("stub.json");
        ByteArrayOutputStream live = new ByteArrayOutputStream();
        ByteArrayOutputStream replayed = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int recorded = DiscoverCommand.run(new String[] {"--driver-root", driverRoot.toString(), "--sysfs", dir.toString(),
            "--record", file.toString(), "--slice"}, Map.of(), new PrintStream(live), new PrintStream(err));
        int replay = DiscoverCommand.run(new String[] {"--replay", file.toString(), "--slice"}, Map.of(),
                new PrintStream(replayed), new PrintStream(err));

        assertEquals(0, recorded, err.toString());
        assertEquals(0, replay, err.toString());
        assertEquals(live.toString(), replayed.toString());
        assertEquals(library.toString(), Recording.read(file).about().get("library"));
    }

    /**
     * The health monitor through the real native path for a second: the stub's A100 supports XID events and is
     * registered, its T4 supports only PState changes and is reported unmonitored (exit code 4).
     */
    @Test
    void watchHealthRegistersTheStubsGpusThroughJna(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = DiscoverCommand.run(new String[] {"--driver-root", driverRoot.toString(), "--sysfs", dir.toString(),
            "--watch-health", "1"}, Map.of(), new PrintStream(out), new PrintStream(err));

        String printed = out.toString();
        assertEquals(HealthWatch.UNMONITORED, exit, printed + err);
        assertTrue(printed.contains("GPU-a0a0a0a0-1111-4222-8333-444455556666 supported: SingleBitEccError|DoubleBitEccError|"
                + "PState|XidCriticalError|MigConfigChange (0x10f); registered: SingleBitEccError|DoubleBitEccError|XidCriticalError"),
                printed);
        assertTrue(printed.contains("GPU-7474t4t4-1111-4222-8333-444455556666 UNMONITORED: the GPU supports no XID events"), printed);
        assertTrue(printed.contains("GPU-a0a0a0a0-1111-4222-8333-444455556666 check: REACHABLE"), printed);
        assertFalse(printed.contains("MIG-0c0ffee0-1111-5222-8333-444455556666 gpu.nvidia.com/unmonitored"), printed);
    }
}
