package io.alauda.dra.plugin.prepare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Strict decoding of opaque parameters: what is accepted, and the exact message for what is not. */
class OpaqueConfigDecoderTest {

    private static final String P = "status.allocation.devices.config[2].opaque.parameters";

    private static OpaqueDeviceConfig decode(String json) throws ClaimFailure {
        return OpaqueConfigDecoder.decode(2, json);
    }

    private static String refusal(String json) {
        ClaimFailure failure = assertThrows(ClaimFailure.class, () -> decode(json));
        assertEquals(ClaimErrorType.INVALID_CONFIG, failure.type());
        return failure.getMessage();
    }

    private static String gpu(String rest) {
        return "{\"apiVersion\":\"resource.nvidia.com/v1beta1\",\"kind\":\"GpuConfig\"" + rest + "}";
    }

    private static String mig(String rest) {
        return "{\"apiVersion\":\"resource.nvidia.com/v1beta1\",\"kind\":\"MigDeviceConfig\"" + rest + "}";
    }

    @Test
    void plainGpuAndMigConfigsDecodeWithoutSharing() throws ClaimFailure {
        assertEquals(new OpaqueDeviceConfig(OpaqueDeviceConfig.Kind.GPU_CONFIG, null), decode(gpu("")));
        assertEquals(new OpaqueDeviceConfig(OpaqueDeviceConfig.Kind.MIG_DEVICE_CONFIG, null), decode(mig("")));
        assertEquals(new OpaqueDeviceConfig(OpaqueDeviceConfig.Kind.GPU_CONFIG, null), decode(gpu(",\"sharing\":null")));
    }

    @Test
    void timeSlicingSharingDecodesWithItsInterval() throws ClaimFailure {
        OpaqueDeviceConfig config = decode(gpu(",\"sharing\":{\"strategy\":\"TimeSlicing\","
                + "\"timeSlicingConfig\":{\"interval\":\"Long\"}}"));

        assertEquals(new OpaqueDeviceConfig.Sharing("TimeSlicing", "Long", null), config.sharing());
    }

    @Test
    void mpsSharingDecodesEveryLimitInBytes() throws ClaimFailure {
        OpaqueDeviceConfig config = decode(mig(",\"sharing\":{\"strategy\":\"MPS\",\"mpsConfig\":{"
                + "\"defaultActiveThreadPercentage\":50,\"defaultPinnedDeviceMemoryLimit\":\"1Gi\","
                + "\"defaultPerDevicePinnedMemoryLimit\":{\"0\":\"512Mi\"},\"multiUser\":true}}"));

        assertEquals(new OpaqueDeviceConfig.MpsSettings(50, 1073741824L, Map.of("0", 536870912L), true),
                config.sharing().mps());
        assertNull(config.sharing().interval());
    }

    @Test
    void unknownTopLevelFieldIsNamedWithWhatTheKindAccepts() {
        assertEquals(P + ".shareing is an unknown field; GpuConfig accepts only apiVersion, kind, sharing (check the"
                + " spelling and the nesting)", refusal(gpu(",\"shareing\":{}")));
    }

    @Test
    void unknownNestedFieldIsNamedWithItsPath() {
        assertEquals(P + ".sharing.mpsConfig.threads is an unknown field; mpsConfig accepts only"
                        + " defaultActiveThreadPercentage, defaultPinnedDeviceMemoryLimit, defaultPerDevicePinnedMemoryLimit,"
                        + " multiUser (check the spelling and the nesting)",
                refusal(gpu(",\"sharing\":{\"strategy\":\"MPS\",\"mpsConfig\":{\"threads\":4}}")));
    }

    @Test
    void timeSlicingConfigOnAMigConfigIsAnUnknownFieldThatSaysWhy() {
        String message = refusal(mig(",\"sharing\":{\"strategy\":\"TimeSlicing\",\"timeSlicingConfig\":{}}"));

        assertEquals(P + ".sharing.timeSlicingConfig is an unknown field; MigDeviceConfig.sharing (MIG devices cannot"
                + " be time-sliced, so there is no timeSlicingConfig) accepts only strategy, mpsConfig (check the"
                + " spelling and the nesting)", message);
    }

    @Test
    void unknownKindIsNamedWithTheSupportedKinds() {
        assertEquals(P + ".kind 'GpuSettings' is not supported by this driver version; supported kinds: GpuConfig"
                        + " (full GPUs), MigDeviceConfig (MIG devices)",
                refusal("{\"apiVersion\":\"resource.nvidia.com/v1beta1\",\"kind\":\"GpuSettings\"}"));
    }

    @Test
    void upstreamKindsThisDriverLacksSayWhy() {
        assertEquals(P + ".kind 'VfioDeviceConfig' is not supported by this driver version; supported kinds: GpuConfig"
                        + " (full GPUs), MigDeviceConfig (MIG devices); GPU passthrough (VFIO) is not implemented by"
                        + " this driver",
                refusal("{\"apiVersion\":\"resource.nvidia.com/v1beta1\",\"kind\":\"VfioDeviceConfig\"}"));
    }

    @Test
    void otherApiVersionIsRefused() {
        assertEquals(P + ".apiVersion 'resource.nvidia.com/v1alpha1' is not supported; use resource.nvidia.com/v1beta1"
                        + " (kinds GpuConfig, MigDeviceConfig)",
                refusal("{\"apiVersion\":\"resource.nvidia.com/v1alpha1\",\"kind\":\"GpuConfig\"}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"kind\":\"GpuConfig\"}|" + P + ".apiVersion is missing; give a GpuConfig or MigDeviceConfig with"
                    + " apiVersion resource.nvidia.com/v1beta1",
            "{\"apiVersion\":\"resource.nvidia.com/v1beta1\"}|" + P + ".kind is missing; give a GpuConfig or"
                    + " MigDeviceConfig with apiVersion resource.nvidia.com/v1beta1",
            "[1,2]|" + P + " must be an object of kind GpuConfig or MigDeviceConfig with apiVersion"
                    + " resource.nvidia.com/v1beta1, got an array",
            "{\"apiVersion\":\"resource.nvidia.com/v1beta1\",\"kind\":7}|" + P + ".kind must be a string, got number 7",
    })
    void missingOrIllTypedTypeFieldsAreNamed(String json, String expected) {
        assertEquals(expected, refusal(json));
    }

    @Test
    void unknownIntervalListsTheAllowedOnes() {
        assertEquals(P + ".sharing.timeSlicingConfig.interval: unknown time-slice interval: VeryLong, supported"
                        + " time-slice intervals: Default, Short, Medium, Long",
                refusal(gpu(",\"sharing\":{\"strategy\":\"TimeSlicing\",\"timeSlicingConfig\":{\"interval\":"
                        + "\"VeryLong\"}}")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{}|" + P + ".sharing.strategy: unknown GPU sharing strategy: , supported GPU sharing strategies:"
                    + " TimeSlicing, MPS",
            "{\"strategy\":\"Spatial\"}|" + P + ".sharing.strategy: unknown GPU sharing strategy: Spatial, supported"
                    + " GPU sharing strategies: TimeSlicing, MPS",
            "{\"strategy\":\"timeslicing\"}|" + P + ".sharing.strategy: unknown GPU sharing strategy: timeslicing,"
                    + " supported GPU sharing strategies: TimeSlicing, MPS",
            "{\"strategy\":\"TimeSlicing\",\"mpsConfig\":{}}|" + P + ".sharing.mpsConfig: cannot use MpsConfig with"
                    + " the 'TimeSlicing' strategy; remove mpsConfig or use strategy MPS",
            "{\"strategy\":\"MPS\",\"timeSlicingConfig\":{}}|" + P + ".sharing.timeSlicingConfig: cannot use"
                    + " TimeSlicingConfig with the 'MPS' strategy; remove timeSlicingConfig or use strategy TimeSlicing",
    })
    void strategyMustBeKnownAndMatchItsConfig(String sharing, String expected) {
        assertEquals(expected, refusal(gpu(",\"sharing\":" + sharing)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"defaultActiveThreadPercentage\":101|.defaultActiveThreadPercentage: active thread percentage must not be"
                    + " greater than 100; give 0 to 100",
            "\"defaultActiveThreadPercentage\":-1|.defaultActiveThreadPercentage: active thread percentage must not be"
                    + " negative; give 0 to 100",
            "\"defaultActiveThreadPercentage\":\"50\"|.defaultActiveThreadPercentage must be a whole number from 0 to"
                    + " 100, got the string '50'",
            "\"defaultPinnedDeviceMemoryLimit\":\"512Ki\"|.defaultPinnedDeviceMemoryLimit: invalid limit: default value"
                    + " set too low: 512Ki; MPS limits are whole MiB, so give at least 1Mi",
            "\"defaultPinnedDeviceMemoryLimit\":\"lots\"|.defaultPinnedDeviceMemoryLimit 'lots' is not a quantity;"
                    + " write it like 1Gi or 512Mi",
            "\"defaultPerDevicePinnedMemoryLimit\":{\"GPU-1\":\"1k\"}|.defaultPerDevicePinnedMemoryLimit.GPU-1: invalid"
                    + " limit: value set too low: GPU-1: 1k; MPS limits are whole MiB, so give at least 1Mi",
            "\"multiUser\":\"yes\"|.multiUser must be true or false, got the string 'yes'",
    })
    void mpsValuesAreValidatedAsUpstreamDoes(String field, String expectedSuffix) {
        String message = refusal(gpu(",\"sharing\":{\"strategy\":\"MPS\",\"mpsConfig\":{" + field + "}}"));

        assertEquals(P + ".sharing.mpsConfig" + expectedSuffix, message);
    }

    @Test
    void missingParametersAreRefused() {
        ClaimFailure failure = assertThrows(ClaimFailure.class, () -> OpaqueConfigDecoder.decode(0, null));

        assertEquals("status.allocation.devices.config[0].opaque.parameters is missing; give an object of kind"
                + " GpuConfig or MigDeviceConfig with apiVersion resource.nvidia.com/v1beta1", failure.getMessage());
    }

    @Test
    void duplicateKeysAreRefusedRatherThanSilentlyPickingOne() {
        String message = refusal("{\"apiVersion\":\"resource.nvidia.com/v1beta1\",\"kind\":\"GpuConfig\","
                + "\"kind\":\"MigDeviceConfig\"}");

        assertEquals(true, message.startsWith(P + " is not valid JSON: Duplicate field 'kind'"), message);
    }
}
