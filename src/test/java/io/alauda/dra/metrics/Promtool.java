package io.alauda.dra.metrics;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the real promtool (Debian's prometheus package). When it is missing the calling test fails, saying how to
 * install it: a skipped check would let broken metrics or rules through unnoticed.
 */
public final class Promtool {

    public static final String INSTALL_HINT = "promtool is not on PATH: install Prometheus' promtool, e.g. "
            + "'apt-get install -y prometheus' on Debian/Ubuntu (tools/ensure-promtool.sh does this), then rerun";

    private Promtool() {
    }

    public record Result(int exitCode, String output) {
    }

    public static Path executable() {
        return executableOn(System.getenv().getOrDefault("PATH", ""));
    }

    /** The promtool on a PATH-style search list; fails the calling test, saying how to install it, when absent. */
    static Path executableOn(String searchPath) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(INSTALL_HINT);
    }

    /** promtool with the given arguments, in {@code workDir}, with {@code stdin} (may be null) as its input. */
    public static Result run(Path workDir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable().toString());
        command.addAll(List.of(args));
        Path input = Files.createTempFile("promtool-in", ".txt");
        try {
            Files.writeString(input, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectInput(input.toFile()).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("promtool " + args[0] + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(input);
        }
    }

    /** {@code promtool check metrics} on an exposition text; returns its findings (empty when clean). */
    public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        return run(Path.of("."), exposition, "check", "metrics");
    }
}
