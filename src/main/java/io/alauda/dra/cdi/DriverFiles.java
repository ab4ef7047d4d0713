package io.alauda.dra.cdi;

import java.util.List;

/**
 * The driver files every container with one of our devices gets, found under a driver root. Mount container paths
 * are the files' paths relative to the driver root; host paths are the same files under the host's driver root.
 *
 * @param controlDeviceNodes  {@code /dev/nvidiactl} and those of {@code nvidia-uvm}, {@code nvidia-uvm-tools},
 *                            {@code nvidia-modeset} that exist
 * @param controlNodeGroups   groups a non-root process needs to open the control nodes (usually none)
 * @param libraries           every {@code *.so.<driverVersion>}, each mounted as the real file at its own path
 * @param libcudaDir          container directory holding {@code libcuda.so.<driverVersion>}
 * @param libraryDirs         container directories of all libraries, for the ld cache
 * @param libraryLinks        {@code target::link} pairs the {@code create-symlinks} hook makes in the container:
 *                            {@code libcuda.so}, the SONAME and {@code .so} links the host has beside each library
 * @param binaries            nvidia-smi and friends that exist
 * @param graphicsConfigs     EGL, Vulkan, OpenCL, X11 and OptiX files of the driver that exist, where loaders look
 * @param firmware            GSP firmware, always at {@code /lib/firmware/nvidia/<version>/} in the container
 * @param ipcSockets          persistenced and fabric manager sockets and the MPS pipe directory that exist
 */
public record DriverFiles(
        String driverVersion,
        List<DeviceNode> controlDeviceNodes,
        List<Long> controlNodeGroups,
        List<Mount> libraries,
        String libcudaDir,
        List<String> libraryDirs,
        List<String> libraryLinks,
        List<Mount> binaries,
        List<Mount> graphicsConfigs,
        List<Mount> firmware,
        List<Mount> ipcSockets) {

    public DriverFiles {
        controlDeviceNodes = List.copyOf(controlDeviceNodes);
        controlNodeGroups = List.copyOf(controlNodeGroups);
        libraries = List.copyOf(libraries);
        libraryDirs = List.copyOf(libraryDirs);
        libraryLinks = List.copyOf(libraryLinks);
        binaries = List.copyOf(binaries);
        graphicsConfigs = List.copyOf(graphicsConfigs);
        firmware = List.copyOf(firmware);
        ipcSockets = List.copyOf(ipcSockets);
    }
}
