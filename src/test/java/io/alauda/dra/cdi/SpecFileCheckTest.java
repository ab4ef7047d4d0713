package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpecFileCheckTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SpecFileCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void validFilesPassWithTheirVersionAndDeviceCount() throws Exception {
        Path file = Files.writeString(tmp.resolve("mig.json"), ClaimSpecBuilderTest.golden("mig-claim.json"));

        assertEquals(0, run(file.toString()));
        assertEquals("OK " + file + ": kind k8s.gpu.nvidia.com/claim, cdiVersion 0.5.0 (content needs 0.5.0), "
                + "1 device(s)\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anInvalidFileFailsTheRunButEveryFileIsChecked() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.json"), ClaimSpecBuilderTest.golden("mig-claim.json")
                .replace("\"cdiVersion\": \"0.5.0\"", "\"cdiVersion\": \"0.4.0\""));
        Path good = Files.writeString(tmp.resolve("good.json"), ClaimSpecBuilderTest.golden("h100-claim.json"));

        assertEquals(1, run(bad.toString(), good.toString()));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("INVALID " + bad + ": invalid CDI spec " + bad + ": cdiVersion 0.4.0 is too low for this "
                + "content; it must be at least 0.5.0", lines[0]);
        assertEquals(true, lines[1].startsWith("OK " + good));
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertEquals(2, run());
        assertEquals("usage: SpecFileCheck <spec.json>...\n", err.toString(StandardCharsets.UTF_8));
    }
}
