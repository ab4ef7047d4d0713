package io.alauda.dra.nvml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds the C stand-in for libnvidia-ml.so.1 (src/test/resources/nvml/fake-libnvidia-ml.c) with gcc into a driver
 * root, for tests of the real native path; a test using it is skipped where no C compiler is installed.
 */
public final class NvmlStub {

    private NvmlStub() {
    }

    /** @return the library, {@code <driverRoot>/lib64/libnvidia-ml.so.1} */
    public static Path build(Path driverRoot) throws IOException, InterruptedException {
        Path source = driverRoot.resolve("fake-libnvidia-ml.c");
        try (InputStream in = NvmlStub.class.getResourceAsStream("/nvml/fake-libnvidia-ml.c")) {
            Files.copy(in, source);
        }
        Path lib64 = Files.createDirectories(driverRoot.resolve("lib64"));
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-Wall", "-Werror", "-o",
                    lib64.resolve("libnvidia-ml.so.1").toString(), source.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            gcc = null;
        }
        assumeTrue(gcc != null, "gcc is not installed");
        String output = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(120, TimeUnit.SECONDS), "gcc did not finish");
        assertEquals(0, gcc.exitValue(), output);
        return NvmlLibraryLocator.locate(driverRoot);
    }
}
