package io.alauda.dra.nvml;

import java.util.Map;
import java.util.Optional;

/**
 * The strings upstream publishes for NVML's brand and architecture enums. They come from go-nvlib's
 * {@code GetBrandAsString} and {@code GetArchitectureAsString}, so CEL selectors written against the upstream driver
 * ({@code architecture == 'Ada Lovelace'}) keep matching. A code not in the table is reported as absent: publishing a
 * guess would make a selector match the wrong hardware.
 */
public final class NvmlNames {

    private static final Map<Integer, String> BRANDS = Map.ofEntries(
            Map.entry(0, "Unknown"),
            Map.entry(1, "Quadro"),
            Map.entry(2, "Tesla"),
            Map.entry(3, "NVS"),
            Map.entry(4, "Grid"),
            Map.entry(5, "GeForce"),
            Map.entry(6, "Titan"),
            Map.entry(7, "NvidiaVApps"),
            Map.entry(8, "NvidiaVPC"),
            Map.entry(9, "NvidiaVCS"),
            Map.entry(10, "NvidiaVWS"),
            Map.entry(11, "NvidiaCloudGaming"),
            Map.entry(12, "QuadroRTX"),
            Map.entry(13, "NvidiaRTX"),
            Map.entry(14, "Nvidia"),
            Map.entry(15, "GeForceRTX"),
            Map.entry(16, "TitanRTX"));

    /** NVML_DEVICE_ARCH_UNKNOWN is 0xffffffff, which reads -1 as a Java int. */
    private static final int ARCH_UNKNOWN = 0xffffffff;

    private static final Map<Integer, String> ARCHITECTURES = Map.ofEntries(
            Map.entry(2, "Kepler"),
            Map.entry(3, "Maxwell"),
            Map.entry(4, "Pascal"),
            Map.entry(5, "Volta"),
            Map.entry(6, "Turing"),
            Map.entry(7, "Ampere"),
            Map.entry(8, "Ada Lovelace"),
            Map.entry(9, "Hopper"),
            Map.entry(10, "Blackwell"),
            Map.entry(11, "Orin"),
            // go-nvlib has no name for 13 yet; nvml.h calls it NVML_DEVICE_ARCH_RUBIN.
            Map.entry(13, "Rubin"),
            Map.entry(ARCH_UNKNOWN, "Unknown"));

    private NvmlNames() {
    }

    /** {@code nvmlBrandType_t} to its published name, e.g. 14 to {@code Nvidia}, 2 to {@code Tesla}. */
    public static Optional<String> brand(int nvmlBrand) {
        return Optional.ofNullable(BRANDS.get(nvmlBrand));
    }

    /** {@code nvmlDeviceArchitecture_t} to its published name, e.g. 9 to {@code Hopper}. */
    public static Optional<String> architecture(int nvmlArchitecture) {
        return Optional.ofNullable(ARCHITECTURES.get(nvmlArchitecture));
    }
}
