package io.alauda.dra.cdi;

import io.alauda.dra.files.AtomicFileWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides which {@code nvidia-cdi-hook} the CDI specs name. The container runtime runs a hook on the host, so the
 * spec must name a host path, and a program there that matches what the hooks' arguments mean:
 * <ol>
 *   <li>a configured path ({@code spec.cdiHookPath}) wins, unchecked: it may lie outside anything this container
 *       sees;</li>
 *   <li>else a hook the host already has, from the NVIDIA container toolkit, found under the driver root this
 *       container has mounted (the host's {@code /} on a plain node, so its {@code /usr/bin}; a driver container's
 *       or GKE's root otherwise);</li>
 *   <li>else the copy shipped in this image, copied into the plugin's host directory, as upstream's kubelet plugin
 *       does (cmd/gpu-kubelet-plugin main.go setNvidiaCDIHookPath);</li>
 *   <li>else none: specs without hooks, and {@link Choice#warning()} says what to do.</li>
 * </ol>
 */
public final class CdiHookLocator {

    /** Where toolkit packages, the GPU Operator's toolkit and driver roots put the hook, relative to a root. */
    static final List<String> HOST_CANDIDATES = List.of(
            "usr/bin/nvidia-cdi-hook",
            "usr/local/bin/nvidia-cdi-hook",
            "usr/local/nvidia/toolkit/nvidia-cdi-hook",
            "bin/nvidia-cdi-hook");
    /** Where the image's Dockerfiles put the hook they build from tools/cdi-hook. */
    public static final Path IMAGE_HOOK = Path.of("/usr/bin/nvidia-cdi-hook");
    static final String HOOK_NAME = "nvidia-cdi-hook";
    private static final int EXECUTABLE = 0755;

    private CdiHookLocator() {
    }

    /**
     * @param hostPath the host path specs name, or empty for specs without hooks
     * @param source   where it came from, for the start-up log
     */
    public record Choice(Optional<String> hostPath, String source) {

        /** What an operator should do when no hook was found; empty when one was. */
        public Optional<String> warning() {
            return hostPath.isPresent() ? Optional.empty() : Optional.of("no nvidia-cdi-hook found (" + source
                    + "): CDI specs carry no hooks, so containers get no libcuda.so/SONAME links and no ld cache entry "
                    + "for the driver libraries, and tools such as nvidia-smi may fail with \"couldn't find "
                    + "libnvidia-ml.so\"; set spec.cdiHookPath of the NvidiaDraDriver to the host path of "
                    + "nvidia-cdi-hook, or install the NVIDIA container toolkit on the node");
        }
    }

    /**
     * @param configured   the configured host path ({@code NVIDIA_CDI_HOOK_PATH}), or null/blank for none
     * @param roots        the driver root as this container sees it and as the host does
     * @param imageHook    the image's own copy ({@link #IMAGE_HOOK} in production)
     * @param pluginDir    the plugin's directory, at the same path inside this container and on the host
     * @throws IOException when the image's copy exists but cannot be copied to the plugin directory
     */
    public static Choice choose(String configured, DriverRoots roots, Path imageHook, Path pluginDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            return new Choice(Optional.of(configured), "spec.cdiHookPath");
        }
        for (String candidate : HOST_CANDIDATES) {
            Optional<String> real = RootedPaths.resolve(roots.driverRoot(), candidate);
            if (real.isPresent() && isExecutableFile(roots.driverRoot().resolve(real.get()))) {
                // The path as the host knows it, links left for the host to follow: an upgrade that moves the
                // target keeps working.
                String host = roots.toHost(roots.driverRoot().resolve(candidate));
                return new Choice(Optional.of(host), "the node's own " + host);
            }
        }
        if (isExecutableFile(imageHook)) {
            Path target = pluginDir.resolve(HOOK_NAME);
            copyIfDifferent(imageHook, target);
            return new Choice(Optional.of(target.toString()), "this image's " + imageHook + ", copied to " + target);
        }
        return new Choice(Optional.empty(), "searched " + String.join(", ", HOST_CANDIDATES) + " under the driver root "
                + roots.hostDriverRoot() + " and " + imageHook + " in this image");
    }

    /**
     * Atomic, so a container starting meanwhile runs the old hook or the new one, never a half-written file; a
     * hook running from the old file keeps its inode.
     */
    private static void copyIfDifferent(Path source, Path target) throws IOException {
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.mismatch(source, target) == -1
                && Files.isExecutable(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        new AtomicFileWriter(EXECUTABLE).write(target, Files.readAllBytes(source));
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
