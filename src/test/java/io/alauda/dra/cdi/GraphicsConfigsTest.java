package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.alauda.dra.cdi.TestDevices.DRIVER_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The graphics configuration files nvcdi mounts (internal/discover graphics.go), found as nvcdi finds them. */
class GraphicsConfigsTest {

    static final String V = DRIVER_VERSION;

    @TempDir
    Path tmp;

    FakeDriverRoot root() {
        return new FakeDriverRoot(tmp.resolve("root")).file("usr/lib64/libcuda.so." + V);
    }

    List<Mount> configs(FakeDriverRoot root) throws CdiException {
        FakeDeviceNodes nodes = new FakeDeviceNodes().charDevice(Path.of("/dev/nvidiactl"), 195, 255);
        return new DriverFileDiscovery(DriverRoots.forDriverRoot(root.root, Path.of("/home/kubernetes/bin/nvidia")), nodes)
                .discover(V).graphicsConfigs();
    }

    static Mount ro(String host, String container) {
        return Mount.bind(host, container, DriverFileDiscovery.READ_ONLY_BIND);
    }

    @Test
    void aRootWithoutGraphicsFilesGetsNone() throws Exception {
        assertEquals(List.of(), configs(root()));
    }

    @Test
    void configsGoWhereTheLoadersLookWhereverTheHostKeepsThem() throws Exception {
        FakeDriverRoot root = root()
                .file("usr/share/glvnd/egl_vendor.d/10_nvidia.json")
                .file("usr/local/share/egl/egl_external_platform.d/15_nvidia_gbm.json")
                .file("etc/OpenCL/vendors/nvidia.icd")
                .file("usr/share/vulkan/icd.d/nvidia_icd.json")
                .file("vulkan/implicit_layer.d/nvidia_layers.json");

        String host = "/home/kubernetes/bin/nvidia/";
        assertEquals(List.of(
                ro(host + "usr/share/glvnd/egl_vendor.d/10_nvidia.json", "/usr/share/glvnd/egl_vendor.d/10_nvidia.json"),
                ro(host + "usr/local/share/egl/egl_external_platform.d/15_nvidia_gbm.json",
                        "/usr/share/egl/egl_external_platform.d/15_nvidia_gbm.json"),
                ro(host + "etc/OpenCL/vendors/nvidia.icd", "/etc/OpenCL/vendors/nvidia.icd"),
                ro(host + "usr/share/vulkan/icd.d/nvidia_icd.json", "/etc/vulkan/icd.d/nvidia_icd.json"),
                ro(host + "vulkan/implicit_layer.d/nvidia_layers.json", "/etc/vulkan/implicit_layer.d/nvidia_layers.json")),
                configs(root));
    }

    @Test
    void etcWinsOverShareAsInNvcdisSearchOrder() throws Exception {
        FakeDriverRoot root = root()
                .file("etc/vulkan/icd.d/nvidia_icd.json")
                .file("usr/share/vulkan/icd.d/nvidia_icd.json");

        assertEquals(List.of(ro("/home/kubernetes/bin/nvidia/etc/vulkan/icd.d/nvidia_icd.json", "/etc/vulkan/icd.d/nvidia_icd.json")),
                configs(root));
    }
}
