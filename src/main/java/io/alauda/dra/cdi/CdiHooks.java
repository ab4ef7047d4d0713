package io.alauda.dra.cdi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code createContainer} hooks nvcdi (nvidia-container-toolkit v1.20.2, pkg/nvcdi driver-nvml.go) adds for a
 * driver installation, in its order, run by NVIDIA's {@code nvidia-cdi-hook} inside the new container: the
 * {@code libcuda.so} development link and the libraries' SONAME links, the CUDA forward-compatibility check, an ld
 * cache that knows the mounted libraries, and a {@code /proc/driver/nvidia/params} that stops the container from
 * creating device nodes of GPUs it was not given.
 */
final class CdiHooks {

    static final String DEBUG_OFF = "NVIDIA_CTK_DEBUG=false";

    private CdiHooks() {
    }

    static List<Hook> forDriver(String hookPath, DriverFiles files) {
        List<String> ldcache = new ArrayList<>(List.of("update-ldcache"));
        for (String dir : files.libraryDirs()) {
            ldcache.add("--folder");
            ldcache.add(dir);
        }
        List<String> symlinks = new ArrayList<>(List.of("create-symlinks"));
        for (String link : files.libraryLinks()) {
            symlinks.add("--link");
            symlinks.add(link);
        }
        List<Hook> hooks = new ArrayList<>();
        // nvcdi leaves create-symlinks out when it has no link to make; libcuda's link makes that never happen here.
        if (!files.libraryLinks().isEmpty()) {
            hooks.add(hook(hookPath, symlinks));
        }
        hooks.add(hook(hookPath, List.of("enable-cuda-compat", "--host-driver-version=" + files.driverVersion())));
        hooks.add(hook(hookPath, ldcache));
        hooks.add(hook(hookPath, List.of("disable-device-node-modification")));
        return List.copyOf(hooks);
    }

    /** Upstream's hook for links such as a GPU's {@code /dev/dri/by-path} entries: {@code target::link} each. */
    static Hook createSymlinks(String hookPath, List<String> links) {
        List<String> subcommand = new ArrayList<>(List.of("create-symlinks"));
        for (String link : links) {
            subcommand.add("--link");
            subcommand.add(link);
        }
        return hook(hookPath, subcommand);
    }

    /** {@code nvidia-ctk} takes the same subcommands under {@code hook}; {@code nvidia-cdi-hook} takes them directly. */
    private static Hook hook(String hookPath, List<String> subcommand) {
        List<String> args = new ArrayList<>();
        if (Path.of(hookPath).getFileName().toString().equals("nvidia-ctk")) {
            args.add("nvidia-ctk");
            args.add("hook");
        } else {
            args.add("nvidia-cdi-hook");
        }
        args.addAll(subcommand);
        return new Hook("createContainer", hookPath, args, List.of(DEBUG_OFF), null);
    }
}
