package io.alauda.dra.cdi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alauda.dra.device.AllocatableDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.alauda.dra.cdi.TestDevices.DRIVER_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A claim spec our code writes, applied by a real CDI consumer instead of our own reading of it: cdi-inject drives the
 * CNCF library containerd and podman use (tags.cncf.io/container-device-interface) to inject the claim's device into
 * an OCI runtime spec, and the hooks it yields are then run, as a runtime runs them, with NVIDIA's nvidia-cdi-hook
 * against a container root. Both programs come from tools/cdi-hook/build.sh; {@code make test} passes their
 * directory as {@code -Dcdi.tools}. Needs root (mknod, and a mount namespace for update-ldcache), as CI has.
 */
class CdiConsumerTest {

    static final String V = DRIVER_VERSION;
    static final String LIBS = "usr/lib/x86_64-linux-gnu";
    static final String UID = "5d0c7c3e-8a1b-4f7e-9b2d-3c4e5f6a7b8c";

    @TempDir
    Path tmp;

    Path tools;
    Path driverRoot;
    Path cdiRoot;

    @BeforeEach
    void tools() {
        String dir = System.getProperty("cdi.tools", "");
        assumeTrue(!dir.isBlank(), "skipped: -Dcdi.tools is not set; run tools/cdi-hook/build.sh and pass its last "
                + "line as -Dcdi.tools=DIR (make test does)");
        tools = Path.of(dir);
        assertTrue(Files.isExecutable(tools.resolve("cdi-inject")) && Files.isExecutable(tools.resolve("nvidia-cdi-hook")),
                "-Dcdi.tools=" + dir + " lacks cdi-inject or nvidia-cdi-hook; rerun tools/cdi-hook/build.sh");
        driverRoot = tmp.resolve("host");
        cdiRoot = tmp.resolve("cdi");
    }

    /** A host with the driver installed as a distribution package: real device nodes, stand-in libraries. */
    void stubHost() throws Exception {
        FakeDriverRoot root = new FakeDriverRoot(driverRoot)
                .file(LIBS + "/libcuda.so." + V)
                .symlink(LIBS + "/libcuda.so.1", "libcuda.so." + V)
                .file(LIBS + "/libnvidia-ml.so." + V)
                .symlink(LIBS + "/libnvidia-ml.so.1", "libnvidia-ml.so." + V)
                .file("usr/bin/nvidia-smi")
                .dir("dev");
        run(List.of("mknod", driverRoot.resolve("dev/nvidiactl").toString(), "c", "195", "255"), null);
        run(List.of("mknod", driverRoot.resolve("dev/nvidia0").toString(), "c", "195", "0"), null);
        assertTrue(Files.exists(root.root.resolve("dev/nvidia0")));
    }

    Spec writeClaimSpec() throws Exception {
        stubHost();
        Files.createDirectories(cdiRoot);
        // The host's driver root is this temporary tree itself, so every host path in the spec exists here.
        DriverRoots roots = DriverRoots.forDriverRoot(driverRoot, driverRoot);
        AllocatableDevice gpu = TestDevices.h100(0);
        Spec spec = new ClaimSpecBuilder(new DriverFileDiscovery(roots, new UnixDeviceNodeSource()), V,
                tools.resolve("nvidia-cdi-hook").toString()).build(UID, List.of(gpu));
        new ClaimSpecStore(cdiRoot).write(UID, spec);
        return spec;
    }

    JsonNode inject() throws Exception {
        String device = ClaimSpecs.cdiDeviceId(UID, TestDevices.h100(0).name());
        String out = run(List.of(tools.resolve("cdi-inject").toString(), "-spec-dir", cdiRoot.toString(), device), null);
        return new ObjectMapper().readTree(out);
    }

    @Test
    void theCncfLibraryInjectsTheSpecsNodesMountsEnvAndHooks() throws Exception {
        Spec spec = writeClaimSpec();

        JsonNode oci = inject();

        List<String> devices = new ArrayList<>();
        oci.path("linux").path("devices").forEach(d -> devices.add(
                d.path("path").asText() + " " + d.path("type").asText() + " " + d.path("major").asInt() + ":" + d.path("minor").asInt()));
        // The numbers mknod gave the nodes above; the library reads none of them from disk when the spec has them.
        assertTrue(devices.contains("/dev/nvidia0 c 195:0"), devices.toString());
        assertTrue(devices.contains("/dev/nvidiactl c 195:255"), devices.toString());
        List<String> allowed = new ArrayList<>();
        oci.path("linux").path("resources").path("devices").forEach(d -> allowed.add(
                d.path("allow").asBoolean() + " " + d.path("major").asInt() + ":" + d.path("minor").asInt() + " " + d.path("access").asText()));
        assertTrue(allowed.contains("true 195:0 rwm"), "the device cgroup lets the container open its GPU: " + allowed);

        List<String> mounts = new ArrayList<>();
        oci.path("mounts").forEach(m -> mounts.add(m.path("source").asText() + " -> " + m.path("destination").asText()));
        for (String library : List.of("libcuda.so." + V, "libnvidia-ml.so." + V)) {
            assertTrue(mounts.contains(driverRoot.resolve(LIBS + "/" + library) + " -> /" + LIBS + "/" + library), mounts.toString());
        }
        assertTrue(mounts.contains(driverRoot.resolve("usr/bin/nvidia-smi") + " -> /usr/bin/nvidia-smi"), mounts.toString());

        List<String> env = new ArrayList<>();
        oci.path("process").path("env").forEach(e -> env.add(e.asText()));
        assertTrue(env.contains("NVIDIA_VISIBLE_DEVICES=void"), env.toString());
        assertTrue(env.contains("NVIDIA_CTK_LIBCUDA_DIR=/" + LIBS), env.toString());

        List<List<String>> hookArgs = new ArrayList<>();
        for (JsonNode hook : oci.path("hooks").path("createContainer")) {
            assertEquals(tools.resolve("nvidia-cdi-hook").toString(), hook.path("path").asText());
            List<String> args = new ArrayList<>();
            hook.path("args").forEach(a -> args.add(a.asText()));
            hookArgs.add(args);
        }
        assertEquals(spec.containerEdits().hooks().stream().map(Hook::args).toList(), hookArgs,
                "every hook of the spec, in its order, becomes a createContainer hook");
        assertTrue(hookArgs.stream().anyMatch(a -> a.contains("update-ldcache") && a.contains("/" + LIBS)), hookArgs.toString());
    }

    @Test
    void theInjectedHooksMakeTheLinksAndTheLdCacheInTheContainerRoot() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "skipped: util-linux unshare is missing");
        writeClaimSpec();
        JsonNode oci = inject();
        // The container's root as the runtime has it when createContainer hooks run: the image's files plus the
        // spec's bind mounts, here copies of the same files.
        Path rootfs = Files.createDirectories(tmp.resolve("bundle/rootfs"));
        Files.createDirectories(rootfs.resolve("etc")); // every image has one; the hook writes ld.so.conf there
        for (JsonNode mount : oci.path("mounts")) {
            Path target = rootfs.resolve(mount.path("destination").asText().substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(mount.path("source").asText()), target);
        }
        Path bundle = tmp.resolve("bundle");
        Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"" + rootfs + "\"}}");
        String state = "{\"ociVersion\":\"1.0.2\",\"id\":\"cdi-consumer-test\",\"status\":\"creating\",\"pid\":0,\"bundle\":\""
                + bundle + "\"}";

        for (JsonNode hook : oci.path("hooks").path("createContainer")) {
            List<String> args = new ArrayList<>();
            hook.path("args").forEach(a -> args.add(a.asText()));
            String subcommand = args.get(1);
            if (!subcommand.equals("create-symlinks") && !subcommand.equals("update-ldcache")) {
                continue; // enable-cuda-compat and disable-device-node-modification need a real driver's /proc
            }
            List<String> command = new ArrayList<>();
            command.add(hook.path("path").asText());
            command.addAll(args.subList(1, args.size()));
            if (subcommand.equals("update-ldcache")) {
                // pivot_root needs the root to be a mount point in a mount namespace of its own, as runc's is.
                command = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                        "mount --bind \"$0\" \"$0\" && exec \"$@\"", rootfs.toString());
                List<String> withHook = new ArrayList<>(command);
                withHook.add(hook.path("path").asText());
                withHook.addAll(args.subList(1, args.size()));
                command = withHook;
            }
            run(command, state);
        }

        Path libs = rootfs.resolve(LIBS);
        assertEquals(Path.of("libcuda.so.1"), Files.readSymbolicLink(libs.resolve("libcuda.so")));
        assertEquals(Path.of("libcuda.so." + V), Files.readSymbolicLink(libs.resolve("libcuda.so.1")));
        assertEquals(Path.of("libnvidia-ml.so." + V), Files.readSymbolicLink(libs.resolve("libnvidia-ml.so.1")),
                "the link nvidia-smi loads libnvidia-ml by");
        assertTrue(Files.isRegularFile(rootfs.resolve("etc/ld.so.cache")), "update-ldcache wrote the container's cache");
        StringBuilder dropIns = new StringBuilder();
        try (var files = Files.list(rootfs.resolve("etc/ld.so.conf.d"))) {
            for (Path f : files.toList()) {
                dropIns.append(Files.readString(f));
            }
        }
        assertTrue(dropIns.toString().lines().anyMatch(("/" + LIBS)::equals), "the library folder is on the ld path: " + dropIns);
    }

    /** Runs a command to completion, stdin from {@code input}; fails with its output when it fails. */
    static String run(List<String> command, String input) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("cdi-consumer", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
        builder.environment().putAll(Map.of("NVIDIA_CTK_DEBUG", "false"));
        Process process = builder.start();
        try {
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
            assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + out + Files.readString(errors));
            return out;
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(errors);
        }
    }
}
