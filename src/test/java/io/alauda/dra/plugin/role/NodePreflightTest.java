package io.alauda.dra.plugin.role;

import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.preflight.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class NodePreflightTest {

    @TempDir
    Path root;

    /**
     * A driver container fills its root while the plugin waits: its {@code dev/nvidiactl} appears there only later, so
     * where device nodes are looked for must be decided again at each check, not once at start.
     */
    @Test
    void aDriverContainerThatFinishesWhileThePluginWaitsIsSeen() throws IOException {
        assumeFalse(Files.exists(Path.of("/dev/nvidiactl")), "this machine has an NVIDIA driver of its own");
        NodePreflight preflight = new NodePreflight(() -> DriverRoots.forDriverRoot(root, Path.of("/run/nvidia/driver")),
                root.resolve("etc/containerd"), Path.of("/var/run/cdi"), () -> "containerd://2.0.5", false);
        assertEquals(Outcome.WAITING, preflight.driverFiles().outcome());

        Files.createDirectories(root.resolve("usr/lib64"));
        Files.writeString(root.resolve("usr/lib64/libnvidia-ml.so.1"), "");
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("dev/nvidiactl"), "");

        assertEquals(Outcome.PASSED, preflight.driverFiles().outcome());
    }
}
