package io.alauda.dra.nvml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NvmlLibraryLocatorTest {

    @TempDir
    Path root;

    /** The layout of the test machine and GKE: lib64/libnvidia-ml.so.1 linking to the versioned file. */
    @Test
    void findsTheLibraryInLib64() throws IOException {
        Path lib64 = Files.createDirectories(root.resolve("lib64"));
        Files.writeString(lib64.resolve("libnvidia-ml.so.580.95.05"), "not really ELF");
        Files.createSymbolicLink(lib64.resolve("libnvidia-ml.so.1"), Path.of("libnvidia-ml.so.580.95.05"));
        Files.createDirectories(root.resolve("bin"));

        assertEquals(root.resolve("lib64/libnvidia-ml.so.1"), NvmlLibraryLocator.locate(root));
    }

    @Test
    void debianLayoutIsFoundAndEarlierDirectoriesWin() throws IOException {
        Path debian = Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
        Files.writeString(debian.resolve("libnvidia-ml.so.1"), "x");
        assertEquals(debian.resolve("libnvidia-ml.so.1"), NvmlLibraryLocator.locate(root));

        Path usrLib64 = Files.createDirectories(root.resolve("usr/lib64"));
        Files.writeString(usrLib64.resolve("libnvidia-ml.so.1"), "x");
        assertEquals(usrLib64.resolve("libnvidia-ml.so.1"), NvmlLibraryLocator.locate(root));
    }

    @Test
    void directoryOrDanglingLinkWithTheLibraryNameIsSkipped() throws IOException {
        Files.createDirectories(root.resolve("lib64/libnvidia-ml.so.1"));
        Path usrLib64 = Files.createDirectories(root.resolve("usr/lib64"));
        Files.createSymbolicLink(usrLib64.resolve("libnvidia-ml.so.1"), Path.of("gone.so"));
        Path lib = Files.createDirectories(root.resolve("lib"));
        Files.writeString(lib.resolve("libnvidia-ml.so.1"), "x");

        assertEquals(lib.resolve("libnvidia-ml.so.1"), NvmlLibraryLocator.locate(root));
    }

    @Test
    void absentLibraryErrorListsEveryPathTriedAndTheFix() {
        DiscoveryException e = assertThrows(DiscoveryException.class, () -> NvmlLibraryLocator.locate(root));

        String message = e.getMessage();
        assertTrue(message.startsWith("libnvidia-ml.so.1 was not found under driver root " + root), message);
        for (String dir : new String[] {"lib64", "usr/lib64", "usr/lib/x86_64-linux-gnu", "usr/lib/aarch64-linux-gnu",
            "lib/x86_64-linux-gnu", "lib/aarch64-linux-gnu", "usr/lib", "lib"}) {
            assertTrue(message.contains("\n  " + root.resolve(dir).resolve("libnvidia-ml.so.1")), dir + " in " + message);
        }
        assertTrue(message.contains("\n  " + root.resolve("libnvidia-ml.so.1")), message);
        assertTrue(message.contains("spec.driverRoot"), message);
    }

    @Test
    void driverRootThatDoesNotExistIsSaidSo() {
        DiscoveryException e = assertThrows(DiscoveryException.class, () -> NvmlLibraryLocator.locate(root.resolve("nvidia")));
        assertTrue(e.getMessage().contains("(that directory does not exist)"), e.getMessage());
    }

    @Test
    void fileThatIsNotALibraryFailsToLoadWithAClearMessage() throws IOException {
        Path fake = Files.createDirectories(root.resolve("lib64")).resolve("libnvidia-ml.so.1");
        Files.writeString(fake, "not an ELF file");

        DiscoveryException e = assertThrows(DiscoveryException.class, () -> JnaNvml.load(fake));

        assertTrue(e.getMessage().startsWith("could not load " + fake), e.getMessage());
    }
}
