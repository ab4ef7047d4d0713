package io.alauda.dra.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FeatureGatesTest {

    @Test
    void parseReadsBackWhatRenderWrites() {
        Map<String, Boolean> gates = Map.of("TimeSlicingSettings", true, "MPSSupport", false);
        assertThat(FeatureGates.parse(FeatureGates.render(gates))).isEqualTo(gates);
    }

    @Test
    void parseToleratesSpacesAndEmptyEntries() {
        assertThat(FeatureGates.parse(" NVMLDeviceHealthCheck = TRUE ,, MPSSupport=false"))
                .containsEntry("NVMLDeviceHealthCheck", true).containsEntry("MPSSupport", false).hasSize(2);
        assertThat(FeatureGates.parse(null)).isEmpty();
        assertThat(FeatureGates.parse(" ")).isEmpty();
    }

    @Test
    void parseRefusesAnEntryThatIsNotNameEqualsBoolean() {
        assertThatThrownBy(() -> FeatureGates.parse("MPSSupport=yes"))
                .hasMessageContaining("'MPSSupport=yes'").hasMessageContaining("Name=true,Other=false");
        assertThatThrownBy(() -> FeatureGates.parse("MPSSupport")).hasMessageContaining("'MPSSupport'");
        assertThatThrownBy(() -> FeatureGates.parse("=true")).hasMessageContaining("'=true'");
    }

    @Test
    void schemaRuleAndMessageListEveryKnownGate() {
        for (String gate : new TreeSet<>(FeatureGates.KNOWN)) {
            assertThat(FeatureGates.KNOWN_RULE).contains("'" + gate + "'");
            assertThat(FeatureGates.KNOWN_MESSAGE).contains(gate);
        }
    }
}
