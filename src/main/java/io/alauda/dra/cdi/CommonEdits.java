package io.alauda.dra.cdi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The spec-wide edits of a claim: everything a container needs to use the driver, whichever GPUs it got. The
 * {@code void} value of {@code NVIDIA_VISIBLE_DEVICES} stops a legacy NVIDIA runtime hook from injecting GPUs of
 * its own on top of ours.
 */
public final class CommonEdits {

    private CommonEdits() {
    }

    /**
     * @param nvidiaCdiHookPath host path of {@code nvidia-cdi-hook}; null leaves the hooks out (the container then
     *                          has no {@code libcuda.so} link and relies on the image's own ld cache configuration)
     */
    public static ContainerEdits of(DriverFiles files, String nvidiaCdiHookPath) {
        List<String> env = List.of(
                "NVIDIA_CTK_LIBCUDA_DIR=" + files.libcudaDir(),
                "NVIDIA_VISIBLE_DEVICES=void");
        List<DeviceNode> nodes = new ArrayList<>(files.controlDeviceNodes());
        nodes.sort(Comparator.comparing(DeviceNode::path));
        List<Mount> mounts = new ArrayList<>();
        mounts.addAll(files.libraries());
        mounts.addAll(files.binaries());
        mounts.addAll(files.graphicsConfigs());
        mounts.addAll(files.firmware());
        mounts.addAll(files.ipcSockets());
        // Sorted by destination, which also puts a directory before anything mounted inside it.
        mounts.sort(Comparator.comparing(Mount::containerPath));
        List<Hook> hooks = nvidiaCdiHookPath == null ? List.of() : CdiHooks.forDriver(nvidiaCdiHookPath, files);
        return new ContainerEdits(env, nodes, mounts, hooks, files.controlNodeGroups());
    }
}
