package io.alauda.dra.plugin.role;

import io.alauda.dra.cdi.CdiHookLocator;
import io.alauda.dra.cdi.DriverRoots;
import io.alauda.dra.preflight.CdiHookRule;
import io.alauda.dra.preflight.Check;
import io.alauda.dra.preflight.ContainerdCdiRule;
import io.alauda.dra.preflight.DriverFilesRule;
import io.alauda.dra.preflight.DriverVersionRule;
import io.alauda.dra.preflight.Finding;
import io.alauda.dra.preflight.Outcome;
import io.alauda.dra.preflight.PreflightReport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The node checks of the kubelet plugin (docs/install.md, "Node checks"), with this node's inputs: the driver root,
 * the host's {@code /etc/containerd} as mounted, the CDI root and the Node's container runtime version.
 */
final class NodePreflight {

    private final Supplier<DriverRoots> roots;
    private final Path containerdConfigDir;
    private final Path cdiRoot;
    private final Supplier<String> runtimeVersion;
    private final boolean fromRecording;

    /**
     * @param roots          the driver roots as they are now: asked again at every check, because whether a driver
     *                       container's root holds its own {@code dev/} can change while the plugin waits for it
     * @param runtimeVersion the Node's {@code containerRuntimeVersion}, null when it cannot be read
     * @param fromRecording  whether NVML answers from a recording, so no driver files are expected
     */
    NodePreflight(Supplier<DriverRoots> roots, Path containerdConfigDir, Path cdiRoot, Supplier<String> runtimeVersion,
            boolean fromRecording) {
        this.roots = roots;
        this.containerdConfigDir = containerdConfigDir;
        this.cdiRoot = cdiRoot;
        this.runtimeVersion = runtimeVersion;
        this.fromRecording = fromRecording;
    }

    /** Whether NVML can be asked at all; {@link Outcome#WAITING} until the driver's files are there. */
    Finding driverFiles() {
        if (fromRecording) {
            return new Finding(Check.DRIVER_FILES, Outcome.UNKNOWN, "DriverFilesNotChecked",
                    "NVML answers from a recording (dra.plugin.nvml-recording), so the driver root is not checked");
        }
        return DriverFilesRule.check(roots.get());
    }

    /**
     * @param driverVersion NVML's, or null when discovery has not run (the driver files are missing)
     */
    PreflightReport report(Finding driverFiles, String driverVersion, CdiHookLocator.Choice hook) {
        List<Finding> findings = new ArrayList<>();
        findings.add(driverFiles);
        if (driverVersion != null) {
            findings.add(DriverVersionRule.check(driverVersion));
        }
        findings.add(ContainerdCdiRule.check(runtimeVersion.get(), containerdConfigDir, cdiRoot));
        findings.add(CdiHookRule.check(hook));
        return new PreflightReport(findings);
    }
}
