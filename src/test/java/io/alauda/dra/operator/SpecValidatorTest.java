package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.NvidiaDraDriverSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's own check of the rules the CRD's CEL rules also hold, for a CR that reached it past an older CRD.
 * The status condition these problems become (Degraded/InvalidSpec, naming the field) is asserted on the mock API in
 * OperatorReconcileTest.anInvalidSpecIsReportedByFieldAndLeavesTheInstallRunning.
 */
class SpecValidatorTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "cdiRoot, //", "cdiRoot, /", "cdiRoot, /etc", "cdiRoot, /etc/", "cdiRoot, //etc", "cdiRoot, /./etc", "cdiRoot, /proc/cdi",
            "cdiRoot, /var/run/../../etc", "cdiRoot, var/run/cdi",
            "kubeletPluginsDir, /var", "kubeletPluginsDir, /usr/", "kubeletPluginsDir, /var//lib/kubelet/plugins",
            "kubeletRegistrarDir, /", "kubeletRegistrarDir, /sys/fs", "kubeletRegistrarDir, /boot",
            "driverRoot, /proc", "driverRoot, /sys/", "driverRoot, /dev/nvidia", "driverRoot, /etc", "driverRoot, /usr",
            "driverRoot, /run/nvidia/./driver", "cdiHookPath, /dev/null", "cdiHookPath, usr/bin/nvidia-cdi-hook"})
    void aHostPathInASystemDirectoryOrNotWrittenCleanIsRefusedNamingTheField(String field, String path) throws Exception {
        NvidiaDraDriverSpec spec = new NvidiaDraDriverSpec();
        NvidiaDraDriverSpec.class.getField(field).set(spec, path);
        List<String> problems = SpecValidator.problems(spec);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec." + field + " '" + path + "' must"), problems.get(0));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"driverRoot, /", "driverRoot, /run/nvidia/driver", "driverRoot, /home/kubernetes/bin/nvidia",
            "driverRoot, /usr/local/nvidia", "cdiRoot, /etc/cdi", "cdiRoot, /var/run/cdi/", "kubeletPluginsDir, /var/lib/kubelet/plugins",
            "kubeletRegistrarDir, /var/lib/kubelet/plugins_registry", "cdiHookPath, /usr/bin/nvidia-cdi-hook"})
    void usualHostPathsAreAccepted(String field, String path) throws Exception {
        NvidiaDraDriverSpec spec = new NvidiaDraDriverSpec();
        NvidiaDraDriverSpec.class.getField(field).set(spec, path);
        assertEquals(List.of(), SpecValidator.problems(spec));
    }

    @Test
    void theDefaultNamespaceNeedsTheOptIn() {
        NvidiaDraDriverSpec spec = new NvidiaDraDriverSpec();
        spec.namespace = "default";
        List<String> problems = SpecValidator.problems(spec);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("spec.namespace") && problems.get(0).contains("spec.allowDefaultNamespace: true"), problems.get(0));
        spec.allowDefaultNamespace = true;
        assertEquals(List.of(), SpecValidator.problems(spec));
    }

    @Test
    void anImageTagWithoutARepositoryIsRefused() {
        NvidiaDraDriverSpec spec = new NvidiaDraDriverSpec();
        spec.image.tag = "v1.2.3";
        List<String> problems = SpecValidator.problems(spec);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("spec.image.tag") && problems.get(0).contains("spec.image.repository"), problems.get(0));
        spec.image.repository = "registry.example.com/nvidia-dra-driver";
        assertEquals(List.of(), SpecValidator.problems(spec));
    }
}
