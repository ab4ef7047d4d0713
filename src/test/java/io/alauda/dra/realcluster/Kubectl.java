package io.alauda.dra.realcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl of the control plane's release, run as a user would type it; output is stdout and stderr together. */
public final class Kubectl {

    private static final long TIMEOUT_SECONDS = 60;

    private final ControlPlane plane;
    private final Path kubeconfig;

    public Kubectl(ControlPlane plane, Path kubeconfig) {
        this.plane = plane;
        this.kubeconfig = kubeconfig;
    }

    /** Runs kubectl with these arguments; fails with the output when it exits non-zero or hangs. */
    public String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(plane.binaries().binary("kubectl").toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(plane.dir(), "kubectl-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        // kubectl's discovery cache would otherwise go to ~/.kube/cache, one folder per random port
        builder.environment().put("KUBECACHEDIR", plane.dir().resolve("kubectl-cache").toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String output = Files.readString(out);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with code " + process.exitValue() + ":\n" + output);
            }
            return output;
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }
}
