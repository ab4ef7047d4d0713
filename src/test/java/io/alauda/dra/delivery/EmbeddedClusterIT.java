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
 * Smoke test of {@code make run}: io.alauda.dra.embedded.EmbeddedCluster in its own JVM with the test classpath,
 * as {@code make run} starts it, but with {@code --exit-when-ready}. It starts the packaged operator jar against the
 * embedded API server and applies the sample CR; the test wants exit code 0, the kubelet-plugin DaemonSet in the
 * printed objects and Ready=True in the printed status. Needs target/quarkus-app, so it runs after package.
 */
class EmbeddedClusterIT {

    private static final long TIMEOUT_MINUTES = 6;

    @Test
    void makeRunInstallsTheDriverAndReportsReady() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path log = root.resolve("target/embedded-cluster-it.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                "io.alauda.dra.embedded.EmbeddedCluster", "--exit-when-ready")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process = pb.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("make run did not finish in " + TIMEOUT_MINUTES + " minutes; log " + log + ":\n" + tail(log));
        }
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), "exit code of EmbeddedCluster --exit-when-ready; log:\n" + tail(log));

        String objects = section(output, "objects the operator created:");
        assertTrue(objects.lines().anyMatch(l -> l.trim().startsWith("DaemonSet") && l.contains("nvidia-dra-driver-kubelet-plugin")),
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
