package io.alauda.dra.plugin.sharing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a host tool and hands back its exit code and output; a seam so tests check the command lines without a GPU. */
public interface CommandRunner {

    /** @param output stdout and stderr together, capped */
    record Result(int exitCode, String output) {
    }

    Result run(List<String> command, Map<String, String> extraEnv, Duration timeout) throws IOException;

    /** A real process; one that outlives {@code timeout} is killed and reported as an IOException. */
    CommandRunner PROCESS = (command, extraEnv, timeout) -> {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readCapped(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s and was killed");
            }
            return new Result(process.exitValue(), output.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    };

    private static String readCapped(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() < 64 * 1024) {
                    out.write(buffer, 0, Math.min(n, 64 * 1024 - out.size()));
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
