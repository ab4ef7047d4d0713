package io.alauda.dra.delivery;

import io.alauda.dra.embedded.OperatorProcess;
import io.alauda.dra.testing.StubCdiHook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar started in the controller or kubelet-plugin role (the operator through {@link OperatorProcess}),
 * remembering every process so that {@link #close()} kills whatever a failed test left running: a role that hangs
 * on SIGTERM must not outlive the build.
 */
final class PackagedRoles implements AutoCloseable {

    private final List<Process> started = new ArrayList<>();

    Process operator(String apiServer, Map<String, String> env) throws IOException {
        return track(OperatorProcess.start(apiServer, env, false));
    }

    Process controller(String apiServer, Map<String, String> env) throws IOException {
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                "QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServer,
                "QUARKUS_HTTP_PORT", "0",
                // the mock ignores the slice field selector, so the controller must not rely on it
                "DRA_CONTROLLER_SLICE_FIELD_SELECTOR", "false"));
        all.putAll(env);
        return start("controller", all, Path.of("target/controller-process.log"));
    }

    /** The kubelet plugin answering NVML from the committed two-H100 recording, with its sockets under {@code dir}. */
    Process kubeletPlugin(String apiServer, Path dir, String nodeName) throws IOException {
        Map<String, String> env = Map.ofEntries(
                Map.entry("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServer),
                Map.entry("QUARKUS_HTTP_PORT", "0"),
                Map.entry("HEALTHCHECK_PORT", Integer.toString(OperatorProcess.freePort())),
                Map.entry("NODE_NAME", nodeName),
                Map.entry("NVML_RECORDING", Path.of("src/test/resources/nvml/captures/h100-x2/discover-recording.json")
                        .toAbsolutePath().toString()),
                Map.entry("SLICE_LIST_SCOPE", "client-side"),
                Map.entry("IMAGE_CDI_HOOK", StubCdiHook.create(dir.resolve("image")).toString()),
                Map.entry("RESOURCE_API_VERSION", "v1"),
                Map.entry("DRIVER_ROOT_CTR_PATH", Files.createDirectories(dir.resolve("driver-root")).toString()),
                Map.entry("CDI_ROOT", dir.resolve("cdi").toString()),
                Map.entry("KUBELET_PLUGINS_DIRECTORY_PATH", dir.resolve("plugins").toString()),
                Map.entry("KUBELET_REGISTRAR_DIRECTORY_PATH", dir.resolve("registry").toString()));
        return start("kubelet-plugin", env, Path.of("target/kubelet-plugin-process.log"));
    }

    private Process start(String role, Map<String, String> env, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", OperatorProcess.JAR.toString(), role);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return track(pb.start());
    }

    private Process track(Process process) {
        started.add(process);
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        started.clear();
    }
}
