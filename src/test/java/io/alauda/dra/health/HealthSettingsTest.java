package io.alauda.dra.health;

import io.alauda.dra.nvml.NvmlReturn;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthSettingsTest {

    @Test
    void anEmptyEnvironmentGivesTheDefaults() {
        HealthSettings settings = HealthSettings.fromEnvironment(Map.of());
        assertEquals(Duration.ofSeconds(30), settings.reachabilityInterval());
        assertEquals(Duration.ofSeconds(1), settings.waitTimeout());
        assertEquals(XidPolicy.APPLICATION_XIDS, settings.xids().ignoredXids());
    }

    @Test
    void theEnvironmentSetsTheIntervalAndTheExtraXids() {
        HealthSettings settings = HealthSettings.fromEnvironment(Map.of(
                "GPU_REACHABILITY_CHECK_INTERVAL", "2m", "ADDITIONAL_XIDS_TO_IGNORE", "79"));
        assertEquals(Duration.ofMinutes(2), settings.reachabilityInterval());
        assertEquals(HealthEffect.NONE, settings.xids().effect(79));
        assertEquals(Duration.ofMillis(1500), HealthSettings.fromEnvironment(Map.of("GPU_REACHABILITY_CHECK_INTERVAL", "1500ms"))
                .reachabilityInterval());
    }

    @Test
    void aBadIntervalNamesTheVariableAndTheForm() {
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
                () -> HealthSettings.fromEnvironment(Map.of("GPU_REACHABILITY_CHECK_INTERVAL", "30")));
        assertEquals("GPU_REACHABILITY_CHECK_INTERVAL is '30'; write a whole number with a unit (ms, s, m or h), e.g. 30s",
                bare.getMessage());
        IllegalArgumentException tooOften = assertThrows(IllegalArgumentException.class,
                () -> HealthSettings.fromEnvironment(Map.of("GPU_REACHABILITY_CHECK_INTERVAL", "500ms")));
        assertTrue(tooOften.getMessage().contains("at most once a second"), tooOften.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HealthSettings(Duration.ZERO, Duration.ofSeconds(1), XidPolicy.upstream()));
    }

    @Test
    void onlyLostLikeAnswersCountAsLostAndAnyAnswerAsReachable() {
        assertEquals(Reachability.LOST, Reachability.of(NvmlReturn.ERROR_GPU_IS_LOST));
        assertEquals(Reachability.LOST, Reachability.of(NvmlReturn.ERROR_RESET_REQUIRED));
        assertEquals(Reachability.LOST, Reachability.of(NvmlReturn.ERROR_GPU_NOT_FOUND));
        assertEquals(Reachability.LOST, Reachability.of(NvmlReturn.ERROR_NOT_FOUND));
        assertEquals(Reachability.REACHABLE, Reachability.of(NvmlReturn.SUCCESS));
        assertEquals(Reachability.REACHABLE, Reachability.of(NvmlReturn.ERROR_NO_PERMISSION));
        assertEquals(Reachability.INCONCLUSIVE, Reachability.of(NvmlReturn.ERROR_UNKNOWN));
        assertEquals(Reachability.INCONCLUSIVE, Reachability.of(NvmlReturn.ERROR_UNINITIALIZED));
    }
}
