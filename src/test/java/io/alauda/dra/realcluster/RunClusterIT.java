package io.alauda.dra.realcluster;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code make run-cluster} as far as it is Java: {@link RunCluster} {@code --exit-when-ready} in a JVM of its own with
 * this run's test classpath, as the Makefile's exec:java gives it. It starts its own control plane in its own
 * directory ({@code target/run-cluster/<minor>-<pid>}) on free ports, so it does not meet the control plane the other
 * real-cluster suites share. The test wants exit code 0, the CDI device ID of the prepared claim and the P100 node's
 * ResourceSlice in the output.
 */
class RunClusterIT {

    private static final long TIMEOUT_MINUTES = 10;

    @Test
    void runClusterPreparesTheSeedsWorkloadAndPrintsWhatAUserLooksAt() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path log = root.resolve("target/run-cluster-it.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        // the release under test, when make test names it (-Dk8s.minor, -Dk8s.bin)
        for (String property : List.of("k8s.minor", "k8s.bin")) {
            String value = System.getProperty(property, "");
            if (!value.isBlank()) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.addAll(List.of(RunCluster.class.getName(), "--exit-when-ready"));
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                fail("RunCluster --exit-when-ready did not finish in " + TIMEOUT_MINUTES + " minutes; log " + log + ":\n" + tail(log));
            }
        } finally {
            // RunCluster's shutdown hook stops its processes; this is for when it hangs or is killed before that runs
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), "exit code of RunCluster --exit-when-ready; log:\n" + tail(log));

        assertTrue(output.lines().anyMatch(l -> l.startsWith("CDI device ID: k8s.gpu.nvidia.com/claim=")),
                "no CDI device ID of the prepared claim in the output; log " + log);
        String slices = section(output, "==> kubectl get resourceslices -o yaml");
        assertTrue(slices.contains("nodeName: 192.168.140.59") && slices.contains("productName:\n          string: Tesla P100-PCIE-16GB"),
                "no ResourceSlice of 192.168.140.59 with the P100 among the printed slices:\n" + slices);
        String claim = section(output, "==> kubectl get resourceclaim ");
        assertTrue(claim.contains("pool: 192.168.140.59"), "the printed claim is not allocated from the P100 node:\n" + claim);
    }

    /** The lines after the "==> ..." header line, up to the next header. */
    private static String section(String output, String header) {
        int start = output.indexOf(header);
        assertTrue(start >= 0, "the output has no '" + header + "'");
        String rest = output.substring(output.indexOf('\n', start) + 1);
        int end = rest.indexOf("\n==> ");
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
