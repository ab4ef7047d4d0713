package io.alauda.dra.preflight;

import io.alauda.dra.cdi.CdiHookLocator;
import io.alauda.dra.cdi.DriverRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverRulesTest {

    @TempDir
    Path root;

    @Test
    void driversFrom565OnPassAndOlderOnesBlockDevices() {
        assertEquals(Outcome.PASSED, DriverVersionRule.check("565.57.01").outcome());
        assertEquals(Outcome.PASSED, DriverVersionRule.check("580.159.04").outcome());

        Finding old = DriverVersionRule.check("550.163.01");

        assertEquals(Outcome.FAILED, old.outcome());
        assertEquals("DriverTooOld", old.reason());
        assertTrue(old.message().contains("550.163.01") && old.message().contains("565"), old.message());
        assertFalse(old.outcome().allowsDevices());
        assertEquals(Outcome.UNKNOWN, DriverVersionRule.check("n/a").outcome());
    }

    @Test
    void aDriverRootWithoutTheLibraryOrTheControlDeviceIsWaitedFor() throws IOException {
        Path dev = Files.createDirectories(root.resolve("dev"));
        DriverRoots roots = new DriverRoots(root, Path.of("/run/nvidia/driver"), root, Path.of("/proc"));

        Finding empty = DriverFilesRule.check(roots);
        assertEquals(Outcome.WAITING, empty.outcome());
        assertEquals("DriverNotReady", empty.reason());
        assertTrue(empty.message().contains("libnvidia-ml.so.1 is not under driver root /run/nvidia/driver"), empty.message());
        assertTrue(empty.message().contains("spec.driverRoot"), empty.message());

        Files.createDirectories(root.resolve("usr/lib64"));
        Files.writeString(root.resolve("usr/lib64/libnvidia-ml.so.1"), "");
        Finding noDevice = DriverFilesRule.check(roots);
        assertEquals(Outcome.WAITING, noDevice.outcome());
        assertTrue(noDevice.message().contains("/dev/nvidiactl does not exist"), noDevice.message());

        Files.writeString(dev.resolve("nvidiactl"), "");
        assertEquals(Outcome.PASSED, DriverFilesRule.check(roots).outcome());
    }

    @Test
    void noHookAnywhereWithholdsTheNodesGpusAndSaysWhatToDo() {
        Finding none = CdiHookRule.check(new CdiHookLocator.Choice(Optional.empty(), "searched everywhere"));
        Finding found = CdiHookRule.check(new CdiHookLocator.Choice(Optional.of("/usr/bin/nvidia-cdi-hook"), "the node's own"));

        assertEquals(Outcome.FAILED, none.outcome());
        assertEquals("NoCdiHook", none.reason());
        assertTrue(none.message().contains("set spec.cdiHookPath"), none.message());
        assertFalse(none.outcome().allowsDevices());
        assertEquals(Outcome.PASSED, found.outcome());
    }

    @Test
    void theReportIsAsBadAsItsWorstFindingAndNamesIt() {
        Finding hook = new Finding(Check.CDI_HOOK, Outcome.UNKNOWN, "NoCdiHook", "no hook");
        Finding runtime = new Finding(Check.CONTAINER_RUNTIME_CDI, Outcome.FAILED, "ContainerdCdiDisabled", "off");
        Finding version = new Finding(Check.DRIVER_VERSION, Outcome.PASSED, "DriverSupported", "580");

        PreflightReport report = new PreflightReport(List.of(hook, runtime, version));

        assertEquals(Outcome.FAILED, report.outcome());
        assertEquals(runtime, report.decisive());
        assertFalse(report.allowsDevices());
        assertEquals(List.of(Check.DRIVER_VERSION, Check.CONTAINER_RUNTIME_CDI, Check.CDI_HOOK),
                report.findings().stream().map(Finding::check).toList());
        assertEquals("ContainerdCdiDisabled: off\nNoCdiHook: no hook", report.summary());
        assertEquals(Outcome.PASSED, new PreflightReport(List.of()).outcome());
        assertNull(new PreflightReport(List.of()).decisive());
    }
}
