package io.alauda.dra.nvml;

import com.sun.jna.Native;
import org.junit.jupiter.api.Test;
import io.alauda.dra.json.Json;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs discover in a fresh JVM whose classpath is only our compiled classes and the JNA jar, as the docs tell an
 * operator to: proves it needs neither Quarkus, Jackson nor fabric8 at run time.
 */
class DiscoverMinimalClasspathTest {

    @Test
    void runsFromOurClassesAndJnaAlone() throws Exception {
        Path classes = Path.of(DiscoverCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jna = Path.of(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-cp", classes + File.pathSeparator + jna,
                "io.alauda.dra.nvml.DiscoverCommand", "--replay", DiscoverCommandTest.sample().toString(), "--slice"));
        builder.environment().remove("NVIDIA_DRIVER_ROOT");

        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "discover did not finish");

        assertEquals(0, process.exitValue(), err);
        assertEquals(Json.parse(DiscoverCommandTest.resource("/nvml/a100-mig-t4.slice.json")), Json.parse(out));
    }

    @Test
    void missingLibraryExitsWithCodeTwoAndOneMessage() throws Exception {
        Path classes = Path.of(DiscoverCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jna = Path.of(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", classes + File.pathSeparator + jna,
                "io.alauda.dra.nvml.DiscoverCommand", "--driver-root", "/nonexistent-driver-root").start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "discover did not finish");

        assertEquals(2, process.exitValue());
        assertTrue(err.startsWith("discover: libnvidia-ml.so.1 was not found under driver root /nonexistent-driver-root"), err);
    }
}
