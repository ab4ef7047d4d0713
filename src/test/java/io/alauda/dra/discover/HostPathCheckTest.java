package io.alauda.dra.discover;

import io.alauda.dra.cdi.ContainerEdits;
import io.alauda.dra.cdi.Device;
import io.alauda.dra.cdi.DeviceNode;
import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.cdi.Hook;
import io.alauda.dra.cdi.Mount;
import io.alauda.dra.cdi.Spec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HostPathCheckTest {

    private static DriverRoots roots(String driverRoot, String hostDriverRoot) {
        return new DriverRoots(Path.of(driverRoot), Path.of(hostDriverRoot), Path.of("/"), Path.of("/proc"));
    }

    @Test
    void hostPathsAreThoseTheRuntimeOpensEachOnceInSpecOrder() {
        DeviceNode control = new DeviceNode("/dev/nvidiactl", "/run/nvidia/driver/dev/nvidiactl", null, 195L, 255L,
                0666, "rwm", null, null);
        DeviceNode gpu = new DeviceNode("/dev/nvidia0", null, null, 195L, 0L, 0666, "rwm", null, null);
        DeviceNode cap = new DeviceNode("/dev/nvidia-caps/nvidia-cap84", null, "c", 237L, 84L, 0444, null, null, null);
        Mount lib = Mount.bind("/run/nvidia/driver/lib64/libcuda.so.1", "/lib64/libcuda.so.1", List.of("ro"));
        Hook hook = new Hook("createContainer", "/usr/bin/nvidia-cdi-hook", List.of("nvidia-cdi-hook"), null, null);
        ContainerEdits common = new ContainerEdits(null, List.of(control), List.of(lib), List.of(hook, hook), null);
        Spec spec = new Spec("0.5.0", "k8s.gpu.nvidia.com/claim", List.of(
                new Device("a-gpu-0", new ContainerEdits(null, List.of(gpu), null, null, null)),
                new Device("a-gpu-1-mig", new ContainerEdits(null, List.of(gpu, cap), null, null, null))), common);

        assertEquals(List.of(
                new HostPathCheck.HostPath("/run/nvidia/driver/dev/nvidiactl", "device node /dev/nvidiactl"),
                new HostPathCheck.HostPath("/run/nvidia/driver/lib64/libcuda.so.1", "mount at /lib64/libcuda.so.1"),
                new HostPathCheck.HostPath("/usr/bin/nvidia-cdi-hook", "createContainer hook"),
                new HostPathCheck.HostPath("/dev/nvidia0", "device node /dev/nvidia0")), HostPathCheck.hostPaths(spec));
    }

    @Test
    void hostPathsUnderTheHostDriverRootAreLookedUpUnderTheDriverRoot() {
        HostPathCheck inContainer = new HostPathCheck(roots("/driver-root", "/run/nvidia/driver"));
        HostPathCheck hostInstall = new HostPathCheck(roots("/driver-root", "/"));
        HostPathCheck onHost = new HostPathCheck(roots("/usr/local/nvidia", "/usr/local/nvidia"));

        assertEquals(Path.of("/driver-root/lib64/libcuda.so.1"), inContainer.local("/run/nvidia/driver/lib64/libcuda.so.1"));
        assertEquals(Path.of("/dev/nvidia0"), inContainer.local("/dev/nvidia0"));
        assertEquals(Path.of("/run/nvidia/driverx/a"), inContainer.local("/run/nvidia/driverx/a"));
        assertEquals(Path.of("/driver-root/usr/bin/nvidia-cdi-hook"), hostInstall.local("/usr/bin/nvidia-cdi-hook"));
        assertEquals(Path.of("/usr/local/nvidia/bin/nvidia-smi"), onHost.local("/usr/local/nvidia/bin/nvidia-smi"));
    }
}
