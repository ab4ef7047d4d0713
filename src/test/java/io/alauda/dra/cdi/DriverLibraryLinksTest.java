package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.alauda.dra.cdi.TestDevices.DRIVER_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code create-symlinks} links nvcdi (internal/discover symlinks.go) derives from the host's library links. */
class DriverLibraryLinksTest {

    static final String V = DRIVER_VERSION;
    static final String LIB = "usr/lib/x86_64-linux-gnu/";

    @TempDir
    Path tmp;

    List<String> links(FakeDriverRoot root) throws CdiException {
        FakeDeviceNodes nodes = new FakeDeviceNodes().charDevice(Path.of("/dev/nvidiactl"), 195, 255);
        return new DriverFileDiscovery(DriverRoots.forDriverRoot(root.root, Path.of("/")), nodes)
                .discover(V).libraryLinks();
    }

    FakeDriverRoot root() {
        return new FakeDriverRoot(tmp.resolve("root")).file(LIB + "libcuda.so." + V);
    }

    @Test
    void libcudaAlwaysGetsItsDevelopmentLink() throws Exception {
        assertEquals(List.of("libcuda.so.1::/" + LIB + "libcuda.so"), links(root()));
    }

    @Test
    void sonameAndDotSoLinksTheHostHasAreRecreated() throws Exception {
        FakeDriverRoot root = root()
                .symlink(LIB + "libcuda.so.1", "libcuda.so." + V)
                .file(LIB + "libnvidia-ml.so." + V)
                .symlink(LIB + "libnvidia-ml.so.1", "libnvidia-ml.so." + V)
                .symlink(LIB + "libnvidia-ml.so", "libnvidia-ml.so.1");

        assertEquals(List.of(
                "libcuda.so.1::/" + LIB + "libcuda.so",
                "libcuda.so." + V + "::/" + LIB + "libcuda.so.1",
                "libnvidia-ml.so." + V + "::/" + LIB + "libnvidia-ml.so.1",
                "libnvidia-ml.so.1::/" + LIB + "libnvidia-ml.so"), links(root));
    }

    @Test
    void aLinkToAnotherFileIsNotTheLibrarysSoname() throws Exception {
        FakeDriverRoot root = root()
                .file(LIB + "libnvidia-ml.so." + V)
                .file(LIB + "libnvidia-ml.so.570.00.01")
                .symlink(LIB + "libnvidia-ml.so.1", "libnvidia-ml.so.570.00.01")
                .file(LIB + "libnvidia-ptxjitcompiler.so.1");

        assertEquals(List.of("libcuda.so.1::/" + LIB + "libcuda.so"), links(root));
    }

    @Test
    void aDotSoLinkWithoutSonameLinkPointsAtTheLibraryItself() throws Exception {
        FakeDriverRoot root = root()
                .file(LIB + "libnvidia-encode.so." + V)
                .symlink(LIB + "libnvidia-encode.so", "libnvidia-encode.so." + V);

        assertEquals(List.of("libcuda.so.1::/" + LIB + "libcuda.so",
                "libnvidia-encode.so." + V + "::/" + LIB + "libnvidia-encode.so"), links(root));
    }

    @Test
    void glxAndOpticalFlowGetTheNamesLoadersAskFor() throws Exception {
        FakeDriverRoot root = root()
                .file(LIB + "libGLX_nvidia.so." + V)
                .file(LIB + "libnvidia-opticalflow.so." + V);

        assertEquals(List.of(
                "libGLX_nvidia.so." + V + "::/" + LIB + "libGLX_indirect.so.0",
                "libcuda.so.1::/" + LIB + "libcuda.so",
                "libnvidia-opticalflow.so.1::/" + LIB + "libnvidia-opticalflow.so"), links(root));
    }
}
