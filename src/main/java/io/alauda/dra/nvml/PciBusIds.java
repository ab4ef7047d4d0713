package io.alauda.dra.nvml;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns NVML's bus ID ({@code 00000000:65:00.0}: eight upper-case hex digits of domain) into the form the
 * {@code resource.kubernetes.io/pciBusID} attribute and sysfs use ({@code 0000:65:00.0}), as upstream does.
 */
public final class PciBusIds {

    /** The extended BDF form the Kubernetes helper accepts for the standard PCI attributes. */
    private static final Pattern BDF = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-9a-f]");

    private PciBusIds() {
    }

    /**
     * @throws IllegalArgumentException naming the value when it is not a domain:bus:device.function address with a
     *                                  domain that fits four hex digits
     */
    public static String normalize(String nvmlBusId) {
        String id = nvmlBusId == null ? "" : nvmlBusId.trim().toLowerCase(Locale.ROOT);
        int colon = id.indexOf(':');
        if (colon == 8 && id.startsWith("0000")) {
            id = id.substring(4);
        }
        if (!isBdf(id)) {
            throw new IllegalArgumentException("PCI bus ID '" + nvmlBusId + "' from NVML is not a domain:bus:device.function"
                    + " address with a 16-bit domain (expected e.g. 00000000:65:00.0)");
        }
        return id;
    }

    /** True for {@code 0000:65:00.0}; the check that keeps a bus ID safe to use inside a sysfs path. */
    public static boolean isBdf(String id) {
        return id != null && BDF.matcher(id).matches();
    }
}
