package io.alauda.dra.realcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A driver root for a simulated GPU node, matching an NVML recording: the driver's libraries and tools as small
 * stand-in files named for the recorded driver version, and real character device nodes ({@code mknod}, so the
 * plugin's stat sees the majors and minors a GPU node has) for nvidiactl, nvidia-uvm and one per recorded GPU.
 */
public final class StubDriverRoot {

    private static final int NVIDIA_MAJOR = 195;
    private static final int NVIDIACTL_MINOR = 255;
    private static final int UVM_MAJOR = 510;

    private StubDriverRoot() {
    }

    public static Path create(Path root, Path nvmlRecording) throws IOException {
        JsonNode nvml = new ObjectMapper().readTree(nvmlRecording.toFile()).path("nvml");
        String version = nvml.path("nvmlSystemGetDriverVersion()").path("value").asText();
        int gpus = nvml.path("nvmlDeviceGetCount_v2()").path("value").asInt();
        for (String file : List.of("usr/lib64/libcuda.so." + version, "usr/lib64/libnvidia-ml.so." + version,
                "usr/lib64/libnvidia-ptxjitcompiler.so." + version, "usr/bin/nvidia-smi", "usr/bin/nvidia-debugdump")) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.writeString(root.resolve(file), "stand-in for " + file + "\n");
        }
        Path dev = Files.createDirectories(root.resolve("dev"));
        mknod(dev.resolve("nvidiactl"), NVIDIA_MAJOR, NVIDIACTL_MINOR);
        mknod(dev.resolve("nvidia-uvm"), UVM_MAJOR, 0);
        mknod(dev.resolve("nvidia-uvm-tools"), UVM_MAJOR, 1);
        for (int minor = 0; minor < gpus; minor++) {
            mknod(dev.resolve("nvidia" + minor), NVIDIA_MAJOR, minor);
        }
        return root;
    }

    private static void mknod(Path node, int major, int minor) throws IOException {
        List<String> command = new ArrayList<>(List.of("mknod", node.toString(), "c", Integer.toString(major), Integer.toString(minor)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (the real-control-plane suites run as root, as CI does): "
                        + new String(process.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            process.destroyForcibly();
        }
    }
}
