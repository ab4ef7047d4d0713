package io.alauda.dra.operator;

import io.alauda.dra.api.v1alpha1.ResourceApiVersion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each preflight outcome, with the fix it names. */
class PreflightTest {

    private static ClusterFacts facts(int minor, List<String> served) {
        return new ClusterFacts("v1." + minor + ".2", minor, served, false);
    }

    @Test
    void managedClustersReportTheMinorWithAPlus() {
        assertEquals(34, Preflight.parseMinor("1", "34+", "v1.34.2-eks-1234"));
        assertEquals(32, Preflight.parseMinor(null, null, "v1.32.9"));
        assertEquals(-1, Preflight.parseMinor(null, null, null));
    }

    @Test
    void anUnknownVersionIsReportedWithTheMissingPermission() {
        var problem = Preflight.check(facts(-1, List.of("v1"))).orElseThrow();
        assertEquals("KubernetesVersionUnknown", problem.reason().word());
        assertTrue(problem.message().contains("/version"));
    }

    @Test
    void olderThan132IsTooOld() {
        var problem = Preflight.check(facts(31, List.of("v1beta1"))).orElseThrow();
        assertEquals("KubernetesTooOld", problem.reason().word());
        assertTrue(problem.message().contains("v1.31.2"), problem.message());
    }

    @Test
    void draNotServedNamesTheFlagsOfThatVersion() {
        String m132 = Preflight.check(facts(32, List.of())).orElseThrow().message();
        assertTrue(m132.contains("--feature-gates=DynamicResourceAllocation=true") && m132.contains("--runtime-config=resource.k8s.io/v1beta1=true on"), m132);
        String m133 = Preflight.check(facts(33, List.of())).orElseThrow().message();
        assertTrue(m133.contains("--runtime-config=resource.k8s.io/v1beta1=true,resource.k8s.io/v1beta2=true"), m133);
        String m134 = Preflight.check(facts(34, List.of())).orElseThrow().message();
        assertTrue(m134.contains("GA and on by default") && m134.contains("resource.k8s.io/v1=false"), m134);
    }

    @Test
    void aServedDraOnASupportedVersionPasses() {
        assertTrue(Preflight.check(facts(32, List.of("v1beta1"))).isEmpty());
    }

    @Test
    void autoTakesTheNewestServedAndAForcedVersionMustBeServed() {
        assertEquals("v1beta2", Preflight.resolveResourceVersion(ResourceApiVersion.AUTO, List.of("v1beta2", "v1beta1")).version());
        assertEquals("v1beta1", Preflight.resolveResourceVersion(ResourceApiVersion.V1BETA1, List.of("v1", "v1beta1")).version());
        Preflight.Resolution refused = Preflight.resolveResourceVersion(ResourceApiVersion.V1, List.of("v1beta1"));
        assertNull(refused.version());
        assertEquals("ResourceApiVersionNotServed", refused.problem().reason().word());
        assertTrue(refused.problem().message().contains("set it to auto"));
    }
}
