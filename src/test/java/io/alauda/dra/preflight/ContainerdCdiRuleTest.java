package io.alauda.dra.preflight;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerdCdiRuleTest {

    private static final Path CDI_ROOT = Path.of("/var/run/cdi");

    @TempDir
    Path etc;

    private Finding check(String runtime) {
        return ContainerdCdiRule.check(runtime, etc, CDI_ROOT);
    }

    private void config(String toml) throws IOException {
        Files.writeString(etc.resolve("config.toml"), toml);
    }

    @Test
    void containerd17WithTheSeedsSettingPasses() throws IOException {
        config("""
                version = 2
                [plugins."io.containerd.grpc.v1.cri"]
                  enable_cdi = true
                """);

        Finding finding = check("containerd://1.7.27");

        assertEquals(Outcome.PASSED, finding.outcome(), finding.message());
        assertEquals("CdiEnabled", finding.reason());
    }

    @Test
    void containerd17WithoutEnableCdiFailsWithTheSeedsFix() throws IOException {
        config("""
                version = 2
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "registry.k8s.io/pause:3.9"
                """);

        Finding finding = check("containerd://1.7.27");

        assertEquals(Outcome.FAILED, finding.outcome());
        assertEquals("ContainerdCdiDisabled", finding.reason());
        assertTrue(finding.message().contains("[plugins.\"io.containerd.grpc.v1.cri\"] enable_cdi = true"), finding.message());
        assertTrue(finding.message().contains("systemctl restart containerd"), finding.message());
        assertTrue(finding.message().contains("journalctl -u containerd | grep \"EnableCDI:true\""), finding.message());
    }

    @Test
    void containerd17WithNoConfigFileRunsOnDefaultsWhichHaveCdiOff() {
        assertEquals("ContainerdCdiDisabled", check("containerd://1.7.0").reason());
    }

    @Test
    void containerd17VersionOneConfigUsesTheShortPluginName() throws IOException {
        config("""
                [plugins.cri]
                  enable_cdi = true
                """);

        assertEquals(Outcome.PASSED, check("containerd://1.7.13").outcome());
    }

    @Test
    void anImportUnderEtcContainerdCountsAndTheMainFileWins() throws IOException {
        Files.createDirectories(etc.resolve("conf.d"));
        Files.writeString(etc.resolve("conf.d/10-cdi.toml"), """
                version = 2
                [plugins."io.containerd.grpc.v1.cri"]
                  enable_cdi = true
                """);
        config("""
                version = 2
                imports = ["/etc/containerd/conf.d/*.toml"]
                """);
        assertEquals(Outcome.PASSED, check("containerd://1.7.27").outcome(), "enabled by the import");

        config("""
                version = 2
                imports = ["/etc/containerd/conf.d/*.toml"]
                [plugins."io.containerd.grpc.v1.cri"]
                  enable_cdi = false
                """);
        assertEquals(Outcome.FAILED, check("containerd://1.7.27").outcome(), "the main file's own setting wins");
    }

    @Test
    void containerd2PassesByDefaultAndFailsOnlyWhenTurnedOff() throws IOException {
        assertEquals("CdiEnabledByDefault", check("containerd://2.0.5").reason(), "no config.toml: defaults");
        config("""
                version = 3
                [plugins.'io.containerd.cri.v1.runtime']
                  enable_cdi = false
                """);

        Finding finding = check("containerd://2.1.0");

        assertEquals(Outcome.FAILED, finding.outcome());
        assertTrue(finding.message().contains("enable_cdi = false"), finding.message());
    }

    @Test
    void specDirsThatLeaveOutTheDriversCdiRootFail() throws IOException {
        config("""
                version = 3
                [plugins.'io.containerd.cri.v1.runtime']
                  cdi_spec_dirs = ["/etc/cdi"]
                """);

        Finding finding = check("containerd://2.0.0");

        assertEquals("CdiSpecDirNotRead", finding.reason());
        assertTrue(finding.message().contains("add \"/var/run/cdi\" to cdi_spec_dirs"), finding.message());
    }

    @Test
    void containerdBefore17CannotDoCdi() {
        Finding finding = check("containerd://1.6.33");

        assertEquals(Outcome.FAILED, finding.outcome());
        assertEquals("ContainerdTooOld", finding.reason());
    }

    @Test
    void otherRuntimesAreUnknownNotErrors() {
        Finding finding = check("cri-o://1.30.4");

        assertEquals(Outcome.UNKNOWN, finding.outcome());
        assertEquals("RuntimeNotChecked", finding.reason());
        assertTrue(finding.message().contains("cri-o://1.30.4"), finding.message());
        assertEquals(Outcome.UNKNOWN, check(null).outcome());
        assertEquals(Outcome.UNKNOWN, check("containerd://dev").outcome());
    }

    @Test
    void anUnmountedConfigIsUnknownFor17AndDefaultFor2() {
        Path missing = etc.resolve("not-mounted");

        Finding old = ContainerdCdiRule.check("containerd://1.7.27", missing, CDI_ROOT);
        Finding current = ContainerdCdiRule.check("containerd://2.0.1", missing, CDI_ROOT);

        assertEquals(Outcome.UNKNOWN, old.outcome());
        assertEquals("ContainerdConfigNotMounted", old.reason());
        assertEquals(Outcome.PASSED, current.outcome());
    }

    @Test
    void aBrokenConfigIsUnknownAndSaysWhereButNeverWhatItHolds() throws IOException {
        config("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"r.example\".auth]\n"
                + "password = s3cr3t-token\n");

        Finding finding = check("containerd://1.7.27");

        assertEquals(Outcome.UNKNOWN, finding.outcome());
        assertEquals("ContainerdConfigUnreadable", finding.reason());
        assertTrue(finding.message().contains("not valid TOML at line 3"), finding.message());
        assertTrue(!finding.message().contains("s3cr3t"), "the config's content stays out: " + finding.message());
    }
}
