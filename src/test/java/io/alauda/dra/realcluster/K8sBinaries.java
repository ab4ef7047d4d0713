package io.alauda.dra.realcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The directory with kube-apiserver, kube-scheduler, kube-controller-manager, kubectl and etcd of one Kubernetes
 * release. {@code -Dk8s.bin=DIR} names one; otherwise tools/k8s/build.sh builds the release {@code -Dk8s.minor}
 * (default 1.34) from the pinned Go modules, or finds it in its cache.
 */
public record K8sBinaries(Path dir, String minor) {

    public static final String DEFAULT_MINOR = "1.34";

    public static K8sBinaries resolve() throws IOException, InterruptedException {
        String minor = System.getProperty("k8s.minor", DEFAULT_MINOR);
        String given = System.getProperty("k8s.bin", "");
        if (!given.isBlank()) {
            return new K8sBinaries(Path.of(given), minor);
        }
        Path script = Path.of("tools/k8s/build.sh").toAbsolutePath();
        Path log = Files.createDirectories(Path.of("target/controlplane")).resolve("build-" + minor + ".log");
        Process build = new ProcessBuilder("bash", script.toString(), minor).redirectError(log.toFile()).start();
        try {
            // A first build on 2 cores takes several minutes; make test runs the script before Maven, so this is the cached case.
            if (!build.waitFor(45, TimeUnit.MINUTES)) {
                throw new IllegalStateException(script + " " + minor + " did not finish in 45 minutes; see " + log);
            }
            List<String> out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (build.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException(script + " " + minor + " failed with code " + build.exitValue() + ":\n" + Files.readString(log));
            }
            return new K8sBinaries(Path.of(out.get(out.size() - 1)), minor);
        } finally {
            build.destroyForcibly();
        }
    }

    public Path binary(String name) {
        Path path = dir.resolve(name);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " is missing: run tools/k8s/build.sh " + minor);
        }
        return path;
    }

    /** resource.k8s.io v1 is served from 1.34; older releases serve the beta versions behind the DRA feature gate. */
    public boolean servesResourceV1() {
        return minorNumber() >= 34;
    }

    public int minorNumber() {
        return Integer.parseInt(minor.substring(minor.indexOf('.') + 1));
    }
}
