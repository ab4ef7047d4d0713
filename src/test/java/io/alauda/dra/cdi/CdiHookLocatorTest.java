package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CdiHookLocatorTest {

    static final java.util.List<String> CANDIDATES = CdiHookLocator.HOST_CANDIDATES;

    @TempDir
    Path tmp;

    Path driverRoot() {
        return tmp.resolve("driver-root");
    }

    Path pluginDir() {
        return tmp.resolve("plugins/gpu.nvidia.com");
    }

    Path imageHook() {
        return tmp.resolve("image/usr/bin/nvidia-cdi-hook");
    }

    DriverRoots roots() {
        return DriverRoots.forDriverRoot(driverRoot(), Path.of("/run/nvidia/driver"));
    }

    static Path executable(Path path, String content) throws Exception {
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    CdiHookLocator.Choice choose(String configured) throws Exception {
        return CdiHookLocator.choose(configured, roots(), imageHook(), pluginDir());
    }

    @Test
    void theConfiguredPathWinsOverTheNodesAndTheImagesHook() throws Exception {
        executable(driverRoot().resolve("usr/bin/nvidia-cdi-hook"), "node");
        executable(imageHook(), "image");

        CdiHookLocator.Choice choice = choose("/opt/toolkit/nvidia-cdi-hook");

        assertEquals(Optional.of("/opt/toolkit/nvidia-cdi-hook"), choice.hostPath());
        assertEquals(Optional.empty(), choice.warning());
        assertTrue(Files.notExists(pluginDir().resolve("nvidia-cdi-hook")), "nothing is copied when a path is configured");
    }

    @ParameterizedTest
    @FieldSource("CANDIDATES")
    void theNodesOwnHookIsNamedByItsHostPathAndWinsOverTheImages(String candidate) throws Exception {
        executable(driverRoot().resolve(candidate), "node");
        executable(imageHook(), "image");

        CdiHookLocator.Choice choice = choose(null);

        assertEquals(Optional.of("/run/nvidia/driver/" + candidate), choice.hostPath());
        assertTrue(Files.notExists(pluginDir().resolve("nvidia-cdi-hook")));
    }

    @Test
    void anAbsoluteLinkOnTheNodeIsFollowedInsideTheDriverRootAndNamedAsTheLink() throws Exception {
        executable(driverRoot().resolve("usr/local/nvidia/toolkit/nvidia-cdi-hook"), "node");
        Files.createDirectories(driverRoot().resolve("usr/bin"));
        Files.createSymbolicLink(driverRoot().resolve("usr/bin/nvidia-cdi-hook"),
                Path.of("/usr/local/nvidia/toolkit/nvidia-cdi-hook"));

        assertEquals(Optional.of("/run/nvidia/driver/usr/bin/nvidia-cdi-hook"), choose("").hostPath());
    }

    @Test
    void aNonExecutableFileOnTheNodeIsNotAHook() throws Exception {
        Path file = driverRoot().resolve("usr/bin/nvidia-cdi-hook");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not runnable");

        assertEquals(Optional.empty(), choose(null).hostPath());
    }

    @Test
    void theImagesHookIsCopiedExecutableIntoThePluginDirectory() throws Exception {
        executable(imageHook(), "image hook v1");

        CdiHookLocator.Choice choice = choose(null);

        Path copy = pluginDir().resolve("nvidia-cdi-hook");
        assertEquals(Optional.of(copy.toString()), choice.hostPath());
        assertArrayEquals(Files.readAllBytes(imageHook()), Files.readAllBytes(copy));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
        try (var entries = Files.list(pluginDir())) {
            assertEquals(1, entries.count(), "no temporary file is left beside the copy");
        }
    }

    @Test
    void anUpgradedImageReplacesTheCopyAndAnUnchangedOneLeavesItAlone() throws Exception {
        executable(imageHook(), "image hook v1");
        choose(null);
        Path copy = pluginDir().resolve("nvidia-cdi-hook");
        Object firstInode = Files.getAttribute(copy, "unix:ino");

        choose(null);
        assertEquals(firstInode, Files.getAttribute(copy, "unix:ino"), "an identical copy is not rewritten");

        executable(imageHook(), "image hook v2");
        choose(null);
        assertArrayEquals(Files.readAllBytes(imageHook()), Files.readAllBytes(copy));
    }

    @Test
    void noHookAnywhereLeavesSpecsHooklessAndSaysWhatToDo() throws Exception {
        Files.createDirectories(driverRoot());

        CdiHookLocator.Choice choice = choose(null);

        assertEquals(Optional.empty(), choice.hostPath());
        String warning = choice.warning().orElseThrow();
        assertTrue(warning.contains("spec.cdiHookPath"), warning);
        assertTrue(warning.contains("NVIDIA container toolkit"), warning);
        assertTrue(warning.contains("/run/nvidia/driver"), warning);
    }
}
