package io.alauda.dra.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FeatureGatesTest {

    @Test
    void parseReadsBackWhatRenderWrites() {
        Map<String, Boolean> gates = Map.of("TimeSlicingSettings", true, "MPSSupport", false);
        assertEquals(gates, FeatureGates.parse(FeatureGates.render(gates)));
    }

    @Test
    void parseToleratesSpacesCaseAndEmptyEntries() {
        assertEquals(Map.of("NVMLDeviceHealthCheck", true, "MPSSupport", false),
                FeatureGates.parse(" NVMLDeviceHealthCheck = TRUE ,, MPSSupport=false"));
        assertEquals(Map.of(), FeatureGates.parse(null));
        assertEquals(Map.of(), FeatureGates.parse(" "));
    }

    @Test
    void parseRefusesAnEntryThatIsNotNameEqualsBoolean() {
        for (String bad : new String[] {"MPSSupport=yes", "MPSSupport", "=true"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureGates.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("Name=true,Other=false"), e.getMessage());
        }
    }

    @Test
    void schemaRuleAndMessageListEveryKnownGate() {
        for (String gate : new TreeSet<>(FeatureGates.KNOWN)) {
            assertTrue(FeatureGates.KNOWN_RULE.contains("'" + gate + "'"), gate);
            assertTrue(FeatureGates.KNOWN_MESSAGE.contains(gate), gate);
        }
    }
}
