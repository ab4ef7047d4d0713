package io.alauda.dra.realcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started: output in its own log file, stopped with SIGTERM then SIGKILL, and killed by a JVM
 * shutdown hook if a test run ends without closing it (a crashed fork must not leave an API server behind).
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread killOnExit;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.killOnExit = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ChildProcess(name, builder.start(), log);
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of the log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Fails with the log's tail when the process has exited, so a wait on it ends with the reason instead of a timeout. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with code " + process.exitValue() + "; last lines of " + log + ":\n" + tail(40));
        }
    }

    /** SIGTERM, up to {@code graceSeconds} to exit, then SIGKILL. @return whether it exited on SIGTERM in time */
    public boolean stop(long graceSeconds) {
        boolean graceful = true;
        try {
            process.destroy();
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                graceful = false;
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway; the process is already gone
            }
        }
        return graceful;
    }

    @Override
    public void close() {
        stop(10);
    }
}
