package io.alauda.dra.device;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Device names as the upstream driver spells them, so that claims and CEL selectors move between the two drivers
 * unchanged. GPUs are named by minor number (stable when another GPU disappears, unlike the NVML index); MIG devices
 * by parent minor, profile, GI profile ID and placement start.
 */
public final class DeviceNames {

    private static final Pattern GPU = Pattern.compile("gpu-(\\d+)");
    private static final Pattern MIG = Pattern.compile("gpu-(\\d+)-mig-([a-z0-9]+(?:-[a-z0-9]+)*)-(\\d+)-(\\d+)");

    private DeviceNames() {
    }

    public static String gpu(int minor) {
        return "gpu-" + minor;
    }

    /** {@code gpu-1-mig-2g47gb-14-0} for profile {@code 2g.47gb}, GI profile 14, placement start 0 on GPU minor 1. */
    public static String mig(int parentMinor, String profileName, int giProfileId, int placementStart) {
        return "gpu-" + parentMinor + "-mig-" + profileToken(profileName) + "-" + giProfileId + "-" + placementStart;
    }

    /**
     * Profile names carry dots and attribute suffixes ({@code 1g.10gb+me}, {@code 1g.10gb-me}); a DNS label allows
     * only [a-z0-9-]. Upstream drops the dots, then turns every other character outside [a-z0-9-] into '-' and trims
     * '-' at both ends, so {@code 1g.10gb+me} becomes {@code 1g10gb-me}. Doing the same keeps names identical.
     */
    static String profileToken(String profileName) {
        String token = profileName.toLowerCase(Locale.ROOT)
                .replace(".", "")
                .replaceAll("[^a-z0-9-]", "-")
                .replaceAll("^-+|-+$", "");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("MIG profile name '" + profileName + "' has no letters or digits");
        }
        return token;
    }

    /** The parent GPU minor number encoded in a device name, if the name is one of ours. */
    public static Optional<Integer> parentMinor(String deviceName) {
        Matcher mig = MIG.matcher(deviceName);
        if (mig.matches()) {
            return Optional.of(Integer.parseInt(mig.group(1)));
        }
        Matcher gpu = GPU.matcher(deviceName);
        if (gpu.matches()) {
            return Optional.of(Integer.parseInt(gpu.group(1)));
        }
        return Optional.empty();
    }
}
