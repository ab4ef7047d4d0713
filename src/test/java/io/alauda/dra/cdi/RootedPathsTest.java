package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RootedPathsTest {

    @TempDir
    Path tmp;

    @Test
    void plainPathResolvesToItself() throws Exception {
        new FakeDriverRoot(tmp).file("usr/lib/libcuda.so.1");

        assertEquals(Optional.of("usr/lib/libcuda.so.1"), RootedPaths.resolve(tmp, "/usr/lib/libcuda.so.1"));
    }

    @Test
    void absoluteLinkIsFollowedInsideTheRoot() throws Exception {
        // On the host /lib -> /usr/lib; followed naively it would leave the driver root.
        new FakeDriverRoot(tmp).file("usr/lib/x86_64-linux-gnu/libcuda.so.580").symlink("lib", "/usr/lib");

        assertEquals(Optional.of("usr/lib/x86_64-linux-gnu/libcuda.so.580"),
                RootedPaths.resolve(tmp, "lib/x86_64-linux-gnu/libcuda.so.580"));
    }

    @Test
    void relativeLinkIsFollowedFromItsDirectory() throws Exception {
        new FakeDriverRoot(tmp).file("usr/lib64/libcuda.so.580").symlink("usr/lib64/libcuda.so.1", "libcuda.so.580");

        assertEquals(Optional.of("usr/lib64/libcuda.so.580"), RootedPaths.resolve(tmp, "usr/lib64/libcuda.so.1"));
    }

    @Test
    void dotDotStopsAtTheRoot() throws Exception {
        new FakeDriverRoot(tmp).file("etc/passwd").symlink("usr/escape", "../../../../etc/passwd");

        assertEquals(Optional.of("etc/passwd"), RootedPaths.resolve(tmp, "usr/escape"));
    }

    @Test
    void missingTargetsAndDanglingLinksAreEmpty() throws Exception {
        new FakeDriverRoot(tmp).symlink("dangling", "/nowhere");

        assertEquals(Optional.empty(), RootedPaths.resolve(tmp, "missing"));
        assertEquals(Optional.empty(), RootedPaths.resolve(tmp, "dangling"));
    }

    @Test
    void linkLoopsEndInsteadOfSpinning() throws Exception {
        new FakeDriverRoot(tmp).symlink("a", "b").symlink("b", "a");

        assertEquals(Optional.empty(), RootedPaths.resolve(tmp, "a"));
    }
}
