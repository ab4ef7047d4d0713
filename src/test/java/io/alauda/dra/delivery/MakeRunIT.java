package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code make run} exactly as README gives it, plus {@code RUN_ARGS=--exit-when-ready} so that it ends once the
 * install is Ready: the Makefile, the embedded profile's exec configuration and EmbeddedCluster are all under test
 * (an empty exec argument once handed main a null). The test wants exit code 0, the kubelet-plugin DaemonSet in the
 * printed objects and Ready=True in the printed status.
 */
class MakeRunIT {

    private static final long TIMEOUT_MINUTES = 6;

    @Test
    void makeRunInstallsTheDriverAndReportsReady() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path log = root.resolve("target/make-run-it.log");
        ProcessBuilder pb = new ProcessBuilder("make", "run", "RUN_ARGS=--exit-when-ready")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The same JDK as this build, so the nested Maven and the operator it starts match what is under test.
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = pb.start();
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                fail("make run did not finish in " + TIMEOUT_MINUTES + " minutes; log " + log + ":\n" + tail(log));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), "exit code of make run RUN_ARGS=--exit-when-ready; log:\n" + tail(log));

        String objects = section(output, "objects the operator created:");
        assertTrue(objects.lines().anyMatch(l -> l.trim().startsWith("DaemonSet") && l.contains("nvidia-dra-driver-gpu-kubelet-plugin")),
                "the kubelet-plugin DaemonSet is not among the printed objects:\n" + objects);
        JsonNode status = Yaml.parse(section(output, "(status):"));
        JsonNode ready = null;
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                ready = condition;
            }
        }
        assertTrue(ready != null && ready.path("status").asText().equals("True"), "status is not Ready=True:\n" + status);
    }

    /** The lines after the "==> ... marker" line, up to the first blank line (the operator's own log follows). */
    private static String section(String output, String marker) {
        int start = output.indexOf(marker);
        assertTrue(start >= 0, "the output has no '" + marker + "'");
        String rest = output.substring(output.indexOf('\n', start) + 1);
        int end = rest.indexOf("\n\n");
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
