package io.alauda.dra.realcluster;

import io.alauda.dra.embedded.OperatorProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A role of the packaged jar in its own JVM, authenticated as a ServiceAccount through {@code KUBECONFIG}, as the
 * pod would be through its projected token: whatever the role needs beyond the install's RBAC fails here (the
 * suites read 403s from the API server's audit log, {@link ControlPlane#auditEventsOf}).
 */
public final class RoleProcess {

    private RoleProcess() {
    }

    public static ChildProcess start(String name, String role, Path kubeconfig, Map<String, String> env, Path logDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> all = new HashMap<>();
        all.put("KUBECONFIG", kubeconfig.toString());
        all.put("QUARKUS_HTTP_PORT", Integer.toString(ControlPlane.freePort()));
        all.putAll(env);
        return ChildProcess.start(name, List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar",
                OperatorProcess.JAR.toAbsolutePath().toString(), role), all, logDir);
    }

}
