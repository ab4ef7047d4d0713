package io.alauda.dra.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in for the nvidia-cdi-hook the image ships ({@code IMAGE_CDI_HOOK}), for plugin processes on simulated nodes:
 * the plugin finds it, copies it into its directory and names it in the specs, as on a node; no container runs it.
 */
public final class StubCdiHook {

    private StubCdiHook() {
    }

    /** Writes an executable stand-in in {@code dir} and returns its path. */
    public static Path create(Path dir) throws IOException {
        Path hook = Files.createDirectories(dir).resolve("image-nvidia-cdi-hook");
        Files.writeString(hook, "#!/bin/sh\n# stand-in for nvidia-cdi-hook in tests; never run by a container runtime here\nexit 0\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        return hook;
    }
}
