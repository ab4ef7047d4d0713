package io.alauda.dra.realcluster;

import io.alauda.dra.embedded.OperatorProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A role of the packaged jar in its own JVM, authenticated as a ServiceAccount through {@code KUBECONFIG}, as the
 * pod would be through its projected token: whatever the role needs beyond the install's RBAC fails here.
 */
public final class RoleProcess {

    /** What a role logs when the API server refuses it for want of RBAC. */
    private static final Pattern FORBIDDEN = Pattern.compile("\\b403\\b|[Ff]orbidden");

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

    /** The lines of the role's log where the API server refused it, for an assertion that there are none. */
    public static List<String> forbiddenLines(ChildProcess process) throws IOException {
        return java.nio.file.Files.readAllLines(process.log()).stream().filter(line -> FORBIDDEN.matcher(line).find()).toList();
    }
}
