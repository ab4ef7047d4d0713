package io.alauda.dra.discover;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Native;
import io.alauda.dra.nvml.FakeNvml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs discover in a fresh JVM whose classpath is only our compiled classes, the JNA jar and Jackson's core, databind
 * and annotations jars, as tools/device/prepare.sh carries them and the docs tell an operator to: proves it needs
 * neither Quarkus nor fabric8 at run time, with {@code --cdi} included (which brings in the cdi and files packages).
 */
class DiscoverMinimalClasspathTest {

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    /** Where our classes are, then one class of each jar that prepare.sh carries. */
    private static final List<Class<?>> CLASSPATH = List.of(DiscoverCommand.class, Native.class, JsonFactory.class,
            ObjectMapper.class, JsonInclude.class);

    private static Path jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Result runIsolated(String... args) throws Exception {
        List<String> classpath = new ArrayList<>();
        for (Class<?> type : CLASSPATH) {
            classpath.add(jarOf(type).toString());
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", String.join(File.pathSeparator, classpath),
                "io.alauda.dra.discover.DiscoverCommand"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("NVIDIA_DRIVER_ROOT");

        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "discover did not finish");
        return new Result(process.exitValue(), out, err);
    }

    @Test
    void prepareCarriesExactlyTheJarsThisTestRunsWith() throws Exception {
        String prepare = Files.readString(Path.of("tools/device/prepare.sh"));
        List<String> carried = new ArrayList<>();
        Matcher jar = Pattern.compile("(?m)^carry_jar \\S+ ([\\w.-]+)").matcher(prepare);
        while (jar.find()) {
            carried.add(jar.group(1));
        }
        List<String> used = new ArrayList<>();
        for (Class<?> type : CLASSPATH.subList(1, CLASSPATH.size())) {
            // jackson-databind-2.21.2.jar -> jackson-databind
            used.add(jarOf(type).getFileName().toString().replaceFirst("-\\d.*\\.jar$", ""));
        }

        assertEquals(used, carried);
    }

    @Test
    void runsFromOurClassesJnaAndJacksonAlone() throws Exception {
        Result result = runIsolated("--replay", DiscoverCommandTest.sample().toString(), "--slice");

        assertEquals(0, result.exit(), result.err());
        assertEquals(DiscoverCommandTest.json(DiscoverCommandTest.resource("/nvml/a100-mig-t4.slice.json")),
                DiscoverCommandTest.json(result.out()));
    }

    @Test
    void printsAndChecksTheCdiSpecFromOurClassesJnaAndJacksonAlone() throws Exception {
        // Eight H100 without MIG: MIG devices would need the capability files of the real /proc.
        Path recording = dir.resolve("h100x8.json");
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        assertEquals(0, DiscoverCommand.run(new String[] {"--record", recording.toString(), "--sysfs", dir.toString()},
                Map.of(), root -> FakeNvml.h100x8(), new PrintStream(ignored), new PrintStream(ignored)));
        Path root = FakeNode.driverRoot(dir.resolve("usr-local-nvidia"), "580.95.05", IntStream.range(0, 8).toArray());
        Path hook = FakeNode.file(root.resolve("usr/bin/nvidia-cdi-hook"));
        String[] args = {"--replay", recording.toString(), "--cdi", "--driver-root", root.toString(),
            "--cdi-hook-path", hook.toString(), "--check-paths"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, DiscoverCommand.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));

        Result result = runIsolated(args);

        assertEquals(0, result.exit(), result.err());
        assertEquals(out.toString(StandardCharsets.UTF_8), result.out());
        assertTrue(result.out().contains("\"name\": \"" + CdiSpecOutput.PLACEHOLDER_CLAIM_UID + "-gpu-7\""), result.out());
        assertTrue(result.err().matches("all \\d+ host paths in the CDI spec exist\\R"), result.err());
    }

    @Test
    void missingLibraryExitsWithCodeTwoAndOneMessage() throws Exception {
        Result result = runIsolated("--driver-root", "/nonexistent-driver-root");

        assertEquals(2, result.exit());
        assertTrue(result.err().startsWith("discover: libnvidia-ml.so.1 was not found under driver root /nonexistent-driver-root"),
                result.err());
    }

    /**
     * {@code --watch-health} from exactly the packages tools/device/prepare.sh copies into .device/classes, against
     * the gcc-built NVML stand-in: a package the monitor needs but prepare.sh leaves out fails here, not on the GPU
     * machine.
     */
    @Test
    void watchHealthRunsFromThePackagesPrepareCarries() throws Exception {
        Matcher line = Pattern.compile("(?m)^packages=\\(([^)]*)\\)").matcher(Files.readString(Path.of("tools/device/prepare.sh")));
        assertTrue(line.find(), "prepare.sh lists its packages");
        Path classes = dir.resolve("classes");
        Path ours = jarOf(DiscoverCommand.class).resolve("io/alauda/dra");
        for (String pkg : line.group(1).trim().split("\\s+")) {
            copyTree(ours.resolve(pkg), classes.resolve("io/alauda/dra").resolve(pkg));
        }
        Path driverRoot = Files.createDirectories(dir.resolve("driver"));
        io.alauda.dra.nvml.NvmlStub.build(driverRoot);
        List<String> classpath = new ArrayList<>(List.of(classes.toString()));
        for (Class<?> type : CLASSPATH.subList(1, CLASSPATH.size())) {
            classpath.add(jarOf(type).toString());
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", String.join(File.pathSeparator, classpath),
                "io.alauda.dra.discover.DiscoverCommand", "--driver-root", driverRoot.toString(), "--sysfs", dir.toString(),
                "--watch-health", "1").start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "discover did not finish");

        assertEquals(HealthWatch.UNMONITORED, process.exitValue(), out + err);
        assertTrue(out.contains("GPU-a0a0a0a0-1111-4222-8333-444455556666 check: REACHABLE"), out + err);
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
