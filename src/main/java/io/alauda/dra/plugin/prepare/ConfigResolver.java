package io.alauda.dra.plugin.prepare;

import io.alauda.dra.device.AllocatableDevice;
import io.alauda.dra.device.DeviceModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which opaque config applies to which allocated device, with upstream's precedence: DeviceClass configs rank below
 * claim configs, and within each source a later entry ranks above an earlier one. Walking from the highest rank down,
 * the first config that names the device's request wins (and must be of the device's kind); a config naming no
 * request wins when it is of the device's kind, and is passed over otherwise.
 */
final class ConfigResolver {

    private ConfigResolver() {
    }

    /**
     * This driver's configs, decoded, from lowest to highest precedence. Other drivers' configs are skipped; a config
     * that is not opaque or has an unknown source is an error, since this driver cannot tell whom it is for.
     */
    static List<DecodedConfig> decodeAll(List<DeviceConfigEntry> entries) throws ClaimFailure {
        List<DecodedConfig> fromClass = new ArrayList<>();
        List<DecodedConfig> fromClaim = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            DeviceConfigEntry entry = entries.get(i);
            boolean classConfig = DeviceConfigEntry.FROM_CLASS.equals(entry.source());
            if (!classConfig && !DeviceConfigEntry.FROM_CLAIM.equals(entry.source())) {
                throw invalid(ConfigPaths.config(i) + ".source '" + Printable.of(entry.source()) + "' is not "
                        + DeviceConfigEntry.FROM_CLASS + " or " + DeviceConfigEntry.FROM_CLAIM
                        + "; this plugin may be older than the API server");
            }
            if (!entry.opaque()) {
                throw invalid(ConfigPaths.config(i) + " has no 'opaque' block; this driver understands only opaque"
                        + " configs (opaque.driver: " + DeviceModel.DRIVER + ", opaque.parameters: a GpuConfig or"
                        + " MigDeviceConfig). Remove the entry from the claim or the DeviceClass");
            }
            if (!DeviceModel.DRIVER.equals(entry.opaqueDriver())) {
                continue;
            }
            DecodedConfig decoded = new DecodedConfig(i, classConfig, entry.requests(),
                    OpaqueConfigDecoder.decode(i, entry.parametersJson()));
            (classConfig ? fromClass : fromClaim).add(decoded);
        }
        List<DecodedConfig> ordered = new ArrayList<>(fromClass);
        ordered.addAll(fromClaim);
        return ordered;
    }

    /**
     * @param configs from {@link #decodeAll}, lowest precedence first
     * @return the config for this device, or empty when none applies (the device is prepared with defaults)
     */
    static Optional<DecodedConfig> resolve(List<DecodedConfig> configs, int resultIndex, DeviceResult result,
                                           AllocatableDevice device) throws ClaimFailure {
        for (int i = configs.size() - 1; i >= 0; i--) {
            DecodedConfig config = configs.get(i);
            boolean sameType = config.config().kind().deviceType() == device.type();
            if (config.names(result)) {
                if (!sameType) {
                    throw invalid(ConfigPaths.config(config.index()) + " (" + config.origin() + ") is a "
                            + config.config().kind().value() + " for request '" + Printable.of(result.request())
                            + "', but " + ConfigPaths.result(resultIndex) + " gives that request device '"
                            + device.name() + "', a " + device.type().value() + " device; use kind "
                            + kindFor(device) + " for it");
                }
                return Optional.of(config);
            }
            if (config.requests().isEmpty() && sameType) {
                return Optional.of(config);
            }
        }
        return Optional.empty();
    }

    private static String kindFor(AllocatableDevice device) {
        for (OpaqueDeviceConfig.Kind kind : OpaqueDeviceConfig.Kind.values()) {
            if (kind.deviceType() == device.type()) {
                return kind.value();
            }
        }
        return "(none)";
    }

    private static ClaimFailure invalid(String message) {
        return new ClaimFailure(ClaimErrorType.INVALID_CONFIG, message);
    }
}
