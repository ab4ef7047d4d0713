package io.alauda.dra.delivery;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The committed bundle passes operator-framework's own validators, not only our {@link BundleValidator}: what
 * {@code operator-sdk bundle validate bundle --select-optional suite=operatorframework} runs, built from the Go modules
 * tools/olm pins (tools/olm/main.go says why not operator-sdk itself). Any ERROR fails with the validator's whole
 * output; warnings are printed. An IT because the first run compiles the validator (minutes; cached after that).
 *
 * <p>{@code -Dolm.validator=PATH} uses a prebuilt binary instead of tools/olm/build.sh; {@code -Dolm.bundle=DIR}
 * validates another bundle directory (to see the check fail on a broken copy).
 */
class OlmBundleValidateIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    // A cold build of the validator takes a few minutes on two cores; the validation itself well under a second.
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration VALIDATE_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void bundlePassesTheOperatorFrameworkSuite() throws IOException, InterruptedException {
        Path bundle = ROOT.resolve(System.getProperty("olm.bundle", Install.BUNDLE_DIR));
        Run validation = run(List.of(validator(), "--select-optional", "suite=operatorframework", bundle.toString()),
                VALIDATE_TIMEOUT);
        if (validation.exitCode() != 0 || validation.stdout().lines().anyMatch(l -> l.startsWith("ERROR"))) {
            fail("operator-framework validation of " + bundle + " failed (exit " + validation.exitCode() + "):\n"
                    + validation.stdout() + validation.stderr());
        }
        // Without errors, what is left is the warnings and the "N errors, N warnings" line.
        System.out.print(validation.stdout());
    }

    private static String validator() throws IOException, InterruptedException {
        String prebuilt = System.getProperty("olm.validator", "");
        if (!prebuilt.isBlank()) {
            return prebuilt;
        }
        Run build = run(List.of(ROOT.resolve("tools/olm/build.sh").toString()), BUILD_TIMEOUT);
        List<String> lines = build.stdout().lines().toList();
        if (build.exitCode() != 0 || lines.isEmpty()) {
            return fail("tools/olm/build.sh failed (exit " + build.exitCode() + "):\n" + build.stdout() + build.stderr());
        }
        return lines.get(lines.size() - 1);
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    /**
     * Output goes to files rather than pipes so that waitFor's timeout holds: reading a pipe to its end would block
     * for as long as the process (or a child that inherited the pipe, like go build under build.sh) keeps it open.
     */
    private static Run run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("olm-validate", ".out");
        Path err = Files.createTempFile("olm-validate", ".err");
        Process process = null;
        try {
            process = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return fail(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            if (process != null) {
                // build.sh's go build would outlive a killed shell.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
