package io.alauda.dra.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.alauda.dra.api.v1alpha1.KubeletPluginSpec;
import io.alauda.dra.operator.resources.InstallContext;
import io.alauda.dra.operator.resources.KubeletPluginDaemonSet;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Upgrades roll the kubelet-plugin DaemonSet; two plugin pods on one node would both bind the registration and DRA
 * sockets and fight over the checkpoint. So for every update strategy the shipped CRD accepts, and every
 * maxUnavailable shape, the DaemonSet the operator builds never surges (docs/upgrade.md).
 */
class PluginRolloutTest {

    @Test
    void noUpdateStrategyTheCrdAllowsEverSurges() {
        List<String> types = crdEnum();
        assertFalse(types.isEmpty());
        for (String type : types) {
            for (String maxUnavailable : type.equals("RollingUpdate") ? List.of("", "1", "3", "25%", "100%") : List.of("")) {
                DaemonSetUpdateStrategy strategy = strategy(type, maxUnavailable);
                assertEquals(type, strategy.getType());
                if (strategy.getRollingUpdate() != null) {
                    IntOrString surge = strategy.getRollingUpdate().getMaxSurge();
                    assertEquals(0, surge.getIntVal() != null ? surge.getIntVal() : Integer.parseInt(surge.getStrVal().replace("%", "")),
                            type + " maxUnavailable=" + maxUnavailable + " surges");
                } else {
                    assertEquals("OnDelete", type, "only OnDelete may go without rollingUpdate settings");
                }
            }
        }
    }

    @Test
    void defaultRolloutReplacesPluginsWithoutSurgeAndMayTakeAllNodesAtOnce() {
        DaemonSetUpdateStrategy strategy = strategy("RollingUpdate", "");
        assertEquals(new IntOrString(0), strategy.getRollingUpdate().getMaxSurge());
        assertEquals(new IntOrString("100%"), strategy.getRollingUpdate().getMaxUnavailable());
    }

    @Test
    void onDeleteHasNoRollingUpdateBlock() {
        assertNull(strategy("OnDelete", "").getRollingUpdate());
    }

    /** The enum of spec.kubeletPlugin.updateStrategy.type in the CRD the bundle ships. */
    static List<String> crdEnum() {
        JsonNode crd = BuildOutput.documents(Path.of(Install.BUNDLE_DIR).resolve(OlmBundle.CRD_FILE)).get(0);
        JsonNode schema = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
        List<String> values = new ArrayList<>();
        Descriptors.field(schema, "spec", "kubeletPlugin.updateStrategy.type").path("enum").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static DaemonSetUpdateStrategy strategy(String type, String maxUnavailable) {
        InstallContext ctx = OperatorPermissionsTest.context("v1");
        KubeletPluginSpec.UpdateStrategy s = ctx.spec().kubeletPlugin.updateStrategy;
        s.type = KubeletPluginSpec.UpdateStrategy.Type.valueOf(type);
        s.maxUnavailable = maxUnavailable.isEmpty() ? null : maxUnavailable;
        return KubeletPluginDaemonSet.desired(ctx).getSpec().getUpdateStrategy();
    }
}
