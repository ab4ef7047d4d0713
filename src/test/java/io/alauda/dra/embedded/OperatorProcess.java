package io.alauda.dra.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The operator as it ships: the production jar in its own JVM, pointed at an API server. */
public final class OperatorProcess {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private OperatorProcess() {
    }

    /** A TCP port nothing listens on now, for a process this test or benchmark starts. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static Process start(String apiServer, Map<String, String> extraEnv, boolean inheritIo) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString(), "operator");
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServer);
        env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("RELATED_IMAGE_NVIDIA_DRA_DRIVER", "ghcr.io/alauda/nvidia-dra-driver:embedded");
        env.put("DRA_OPERATOR_PROGRESS_RECHECK", "2s");
        // Outside a pod there is no service-account namespace; leader election takes its Lease from the client's.
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
        env.putAll(extraEnv);
        if (inheritIo) {
            pb.inheritIO();
        } else {
            pb.redirectErrorStream(true).redirectOutput(Path.of("target/operator-process.log").toFile());
        }
        return pb.start();
    }
}
