package io.alauda.dra.discover;

import io.alauda.dra.cdi.ContainerEdits;
import io.alauda.dra.cdi.Device;
import io.alauda.dra.cdi.DeviceNode;
import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.cdi.Hook;
import io.alauda.dra.cdi.Mount;
import io.alauda.dra.cdi.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --check-paths}: does every host path the container runtime will open for this spec exist? Those are the
 * mount sources, the hook executables, and the device nodes the runtime must {@code stat} because the spec does
 * not give their type and numbers (with all three given, as for the MIG {@code nvidia-caps} nodes, the runtime
 * creates the node in the container without looking at the host).
 *
 * <p>Paths are written for the host; one under the host driver root is looked up under the driver root as this
 * process sees it, so the check also works inside the plugin container.
 */
final class HostPathCheck {

    /** A host path of the spec and what needs it, e.g. {@code mount at /lib64/libcuda.so.580.95.05}. */
    record HostPath(String path, String usedBy) {
    }

    private final DriverRoots roots;

    HostPathCheck(DriverRoots roots) {
        this.roots = roots;
    }

    /** Each host path once, in spec order: common edits first, then each device's. */
    static List<HostPath> hostPaths(Spec spec) {
        Map<String, String> paths = new LinkedHashMap<>();
        collect(spec.containerEdits(), paths);
        for (Device device : spec.devices()) {
            collect(device.containerEdits(), paths);
        }
        List<HostPath> out = new ArrayList<>();
        paths.forEach((path, usedBy) -> out.add(new HostPath(path, usedBy)));
        return out;
    }

    private static void collect(ContainerEdits edits, Map<String, String> paths) {
        if (edits == null) {
            return;
        }
        for (DeviceNode node : edits.deviceNodes()) {
            boolean runtimeLooksItUp = node.type() == null || node.major() == null || node.minor() == null;
            if (node.hostPath() != null) {
                paths.putIfAbsent(node.hostPath(), "device node " + node.path());
            } else if (runtimeLooksItUp) {
                paths.putIfAbsent(node.path(), "device node " + node.path());
            }
        }
        for (Mount mount : edits.mounts()) {
            paths.putIfAbsent(mount.hostPath(), "mount at " + mount.containerPath());
        }
        for (Hook hook : edits.hooks()) {
            paths.putIfAbsent(hook.path(), hook.hookName() + " hook");
        }
    }

    /** The host paths of {@code spec} that do not exist (a dangling symlink counts as missing). */
    List<HostPath> missing(Spec spec) {
        return hostPaths(spec).stream().filter(p -> !Files.exists(local(p.path()))).toList();
    }

    /** Where this process finds a host path. */
    Path local(String hostPath) {
        Path path = Path.of(hostPath).normalize();
        if (!path.startsWith(roots.hostDriverRoot())) {
            return path;
        }
        return roots.driverRoot().resolve(roots.hostDriverRoot().relativize(path));
    }
}
