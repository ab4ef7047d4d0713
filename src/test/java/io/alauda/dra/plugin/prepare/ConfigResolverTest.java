package io.alauda.dra.plugin.prepare;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which config applies to a device: upstream's single walk from the highest precedence down. */
class ConfigResolverTest {

    private static final OpaqueDeviceConfig GPU = new OpaqueDeviceConfig(OpaqueDeviceConfig.Kind.GPU_CONFIG, null);
    private static final OpaqueDeviceConfig MIG = new OpaqueDeviceConfig(OpaqueDeviceConfig.Kind.MIG_DEVICE_CONFIG, null);

    private final List<AllocatableDevice> devices = DeviceModel.devices(TestNode.inventory());

    private AllocatableDevice device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private static Optional<Integer> winner(List<DecodedConfig> configs, String request, AllocatableDevice device)
            throws ClaimFailure {
        DeviceResult result = new DeviceResult(request, "gpu.nvidia.com", "node-a", device.name(), false);
        return ConfigResolver.resolve(configs, 0, result, device).map(DecodedConfig::index);
    }

    @Test
    void claimConfigRanksAboveClassConfig() throws ClaimFailure {
        List<DecodedConfig> configs = List.of(
                new DecodedConfig(1, true, List.of(), GPU),
                new DecodedConfig(0, false, List.of(), GPU));

        assertEquals(Optional.of(0), winner(configs, "gpu", device(TestNode.GPU_0)));
    }

    @Test
    void laterEntryOfTheSameSourceRanksHigher() throws ClaimFailure {
        List<DecodedConfig> configs = List.of(
                new DecodedConfig(0, false, List.of("gpu"), GPU),
                new DecodedConfig(1, false, List.of("gpu"), GPU));

        assertEquals(Optional.of(1), winner(configs, "gpu", device(TestNode.GPU_0)));
    }

    @Test
    void higherRankedRequestlessConfigOfTheRightKindWinsOverALowerNamingOne() throws ClaimFailure {
        List<DecodedConfig> configs = List.of(
                new DecodedConfig(0, true, List.of("gpu"), GPU),
                new DecodedConfig(1, false, List.of(), GPU));

        assertEquals(Optional.of(1), winner(configs, "gpu", device(TestNode.GPU_0)));
    }

    @Test
    void requestlessConfigOfTheOtherKindIsPassedOver() throws ClaimFailure {
        List<DecodedConfig> configs = List.of(
                new DecodedConfig(0, true, List.of(), GPU),
                new DecodedConfig(1, false, List.of(), MIG));

        assertEquals(Optional.of(0), winner(configs, "gpu", device(TestNode.GPU_0)));
        assertEquals(Optional.of(1), winner(configs, "mig", device(TestNode.MIG_A)));
    }

    @Test
    void namingConfigOfTheWrongKindIsAnError() {
        List<DecodedConfig> configs = List.of(new DecodedConfig(3, false, List.of("mig"), GPU));

        ClaimFailure failure = assertThrows(ClaimFailure.class, () -> winner(configs, "mig", device(TestNode.MIG_A)));

        assertEquals("status.allocation.devices.config[3] (claim config) is a GpuConfig for request 'mig', but"
                + " status.allocation.devices.results[0] gives that request device 'gpu-2-mig-1g10gb-19-0', a mig device;"
                + " use kind MigDeviceConfig for it", failure.getMessage());
    }

    @Test
    void mainRequestNameCoversItsSubRequestsButNotTheOtherWayRound() throws ClaimFailure {
        List<DecodedConfig> byMain = List.of(new DecodedConfig(0, false, List.of("gpu"), GPU));
        List<DecodedConfig> bySub = List.of(new DecodedConfig(0, false, List.of("gpu/small"), GPU));

        assertEquals(Optional.of(0), winner(byMain, "gpu/large", device(TestNode.GPU_0)));
        assertEquals(Optional.empty(), winner(bySub, "gpu/large", device(TestNode.GPU_0)));
        assertEquals(Optional.of(0), winner(bySub, "gpu/small", device(TestNode.GPU_0)));
    }

    @Test
    void configNamingOtherRequestsDoesNotApply() throws ClaimFailure {
        List<DecodedConfig> configs = List.of(new DecodedConfig(0, false, List.of("other"), GPU));

        assertEquals(Optional.empty(), winner(configs, "gpu", device(TestNode.GPU_0)));
    }
}
