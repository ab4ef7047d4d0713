package io.alauda.dra.plugin.prepare;

import io.alauda.dra.device.DeviceType;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded and validated {@code resource.nvidia.com/v1beta1} opaque config of this driver.
 *
 * @param kind    which of the accepted kinds it is
 * @param sharing its {@code sharing} block, or {@code null} when it has none
 */
public record OpaqueDeviceConfig(Kind kind, Sharing sharing) {

    public static final String API_VERSION = "resource.nvidia.com/v1beta1";

    public OpaqueDeviceConfig {
        Objects.requireNonNull(kind, "kind");
    }

    public Optional<Sharing> sharingBlock() {
        return Optional.ofNullable(sharing);
    }

    /** The kinds this driver accepts, and the device type each one configures. */
    public enum Kind {
        GPU_CONFIG("GpuConfig", DeviceType.GPU),
        MIG_DEVICE_CONFIG("MigDeviceConfig", DeviceType.MIG);

        private final String value;
        private final DeviceType deviceType;

        Kind(String value, DeviceType deviceType) {
            this.value = value;
            this.deviceType = deviceType;
        }

        public String value() {
            return value;
        }

        public DeviceType deviceType() {
            return deviceType;
        }

        static Optional<Kind> parse(String kind) {
            return Arrays.stream(values()).filter(k -> k.value.equals(kind)).findFirst();
        }
    }

    /**
     * A {@code sharing} block as upstream defines it.
     *
     * @param strategy {@code TimeSlicing} or {@code MPS}
     * @param interval time-slice interval ({@code Default}, {@code Short}, {@code Medium}, {@code Long}), or null
     * @param mps      MPS settings, or null
     */
    public record Sharing(String strategy, String interval, MpsSettings mps) {

        public static final String TIME_SLICING = "TimeSlicing";
        public static final String MPS = "MPS";

        public boolean isTimeSlicing() {
            return TIME_SLICING.equals(strategy);
        }

        public boolean isMps() {
            return MPS.equals(strategy);
        }

        /** The interval to set; upstream's Normalize fills in Default when none is given. */
        public String intervalOrDefault() {
            return interval == null ? "Default" : interval;
        }

        /** Upstream's Normalize gives MPS an empty config when none is given. */
        public MpsSettings mpsOrDefault() {
            return mps == null ? new MpsSettings(null, null, Map.of(), null) : mps;
        }
    }

    /**
     * @param defaultActiveThreadPercentage       0 to 100, or null
     * @param defaultPinnedDeviceMemoryLimitBytes at least 1 MiB, or null
     * @param perDevicePinnedMemoryLimitBytes     device index or UUID to a limit of at least 1 MiB
     * @param multiUser                           or null
     */
    public record MpsSettings(Integer defaultActiveThreadPercentage, Long defaultPinnedDeviceMemoryLimitBytes,
                              Map<String, Long> perDevicePinnedMemoryLimitBytes, Boolean multiUser) {

        public MpsSettings {
            perDevicePinnedMemoryLimitBytes = perDevicePinnedMemoryLimitBytes == null
                    ? Map.of() : Map.copyOf(perDevicePinnedMemoryLimitBytes);
        }
    }
}
