package io.alauda.dra.device;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the loose version strings NVML reports ({@code 580.159.04}, {@code 9.0}, {@code 13.0}) into the strict
 * semantic versions a DRA {@code version} attribute must hold ({@code 580.159.4}, {@code 9.0.0}, {@code 13.0.0}).
 * The API server rejects a version attribute that is not valid semver, so this is the one place that decides.
 */
public final class Semver {

    private static final Pattern LEADING_NUMBERS = Pattern.compile("^v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    private Semver() {
    }

    /**
     * @throws IllegalArgumentException when the text does not start with a number, naming the text
     */
    public static String normalize(String raw) {
        if (raw == null) {
            throw new IllegalArgumentException("version is missing");
        }
        Matcher m = LEADING_NUMBERS.matcher(raw.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("'" + raw + "' is not a version: it must start with a number");
        }
        List<String> parts = new ArrayList<>(3);
        for (int group = 1; group <= 3; group++) {
            String part = m.group(group);
            parts.add(part == null ? "0" : stripLeadingZeros(part));
        }
        return String.join(".", parts);
    }

    /** CUDA driver versions come from NVML as one integer, 1000 * major + 10 * minor (13000 is 13.0). */
    public static String fromCudaDriverInteger(int cudaDriverVersion) {
        int major = cudaDriverVersion / 1000;
        int minor = (cudaDriverVersion % 1000) / 10;
        return major + "." + minor + ".0";
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}
