package io.alauda.dra.preflight;

import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.nvml.NvmlLibraryLocator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The driver's user-space library and control device must be there before NVML can be asked anything. A GPU
 * Operator's driver container fills its root only after it has compiled and loaded the kernel module, so a missing
 * file means "not yet" (upstream waits in an init container); the plugin waits and retries rather than crash-looping.
 */
public final class DriverFilesRule {

    static final String CONTROL_DEVICE = "dev/nvidiactl";

    private DriverFilesRule() {
    }

    public static Finding check(DriverRoots roots) {
        List<Path> candidates = NvmlLibraryLocator.candidates(roots.driverRoot());
        if (candidates.stream().noneMatch(Files::isRegularFile)) {
            return waiting(NvmlLibraryLocator.LIBRARY + " is not under driver root " + roots.hostDriverRoot()
                    + " (looked in " + String.join(", ", NvmlLibraryLocator.SEARCH_DIRECTORIES) + ")");
        }
        Path control = roots.devRoot().resolve(CONTROL_DEVICE);
        if (!Files.exists(control)) {
            return waiting("the NVIDIA control device /" + CONTROL_DEVICE + " does not exist (looked at " + control
                    + "); the kernel module is not loaded");
        }
        return Finding.passed(Check.DRIVER_FILES, "DriverFilesPresent", NvmlLibraryLocator.LIBRARY + " and /" + CONTROL_DEVICE
                + " found under driver root " + roots.hostDriverRoot());
    }

    private static Finding waiting(String what) {
        return new Finding(Check.DRIVER_FILES, Outcome.WAITING, "DriverNotReady", what + "; waiting for the driver and"
                + " retrying. Fix: if a driver container (GPU Operator) is installing the driver, wait for it; if the driver"
                + " is installed elsewhere, set spec.driverRoot of the NvidiaDraDriver to its directory (/ for a host"
                + " install, /run/nvidia/driver for the GPU Operator, /home/kubernetes/bin/nvidia on GKE)");
    }
}
