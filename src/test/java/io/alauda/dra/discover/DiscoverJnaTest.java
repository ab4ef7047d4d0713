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
}
