package io.alauda.dra.cdi;

import java.util.List;
import java.util.stream.Stream;

/**
 * CDI spec versions and the rule that picks the lowest one a spec's content allows, as the CDI Go library
 * ({@code specs-go/version.go}, v1.1.0) decides it. Runtimes refuse a file whose declared version is lower than
 * its content needs, and older runtimes refuse versions they do not know, so we write the lowest that fits.
 *
 * <p>Not modelled here because this driver never writes them: {@code intelRdt} (0.7.0; its {@code schemata} and
 * {@code enableMonitoring} 1.1.0) and {@code netDevices} (1.1.0). {@link SpecJson} refuses files that carry them.
 */
public final class CdiVersions {

    /** Every version the Go library knows, oldest first. */
    public static final List<String> KNOWN = List.of(
            "0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.5.0", "0.6.0", "0.7.0", "0.8.0", "1.0.0", "1.1.0");
    public static final String EARLIEST_SUPPORTED = "0.3.0";
    public static final String LATEST = "1.1.0";

    private CdiVersions() {
    }

    public static String minimumFor(Spec spec) {
        if (needsAdditionalGids(spec)) {
            return "0.7.0";
        }
        if (needsAnnotationsOrDottedClass(spec)) {
            return "0.6.0";
        }
        if (needsHostPathOrDigitName(spec)) {
            return "0.5.0";
        }
        if (needsMountType(spec)) {
            return "0.4.0";
        }
        return EARLIEST_SUPPORTED;
    }

    /** True for the versions the Go library accepts, with or without a leading {@code v}. */
    public static boolean isKnown(String version) {
        return version != null && KNOWN.contains(stripV(version));
    }

    /** Orders two known versions; callers check {@link #isKnown(String)} first. */
    public static int compare(String a, String b) {
        int ia = KNOWN.indexOf(stripV(a));
        int ib = KNOWN.indexOf(stripV(b));
        if (ia < 0 || ib < 0) {
            throw new IllegalArgumentException("unknown CDI version: " + (ia < 0 ? a : b));
        }
        return Integer.compare(ia, ib);
    }

    private static String stripV(String version) {
        return version.startsWith("v") ? version.substring(1) : version;
    }

    private static Stream<ContainerEdits> allEdits(Spec spec) {
        return Stream.concat(Stream.of(spec.containerEdits()), spec.devices().stream().map(Device::containerEdits));
    }

    private static boolean needsAdditionalGids(Spec spec) {
        return allEdits(spec).anyMatch(e -> !e.additionalGids().isEmpty());
    }

    private static boolean needsAnnotationsOrDottedClass(Spec spec) {
        if (!spec.annotations().isEmpty() || spec.devices().stream().anyMatch(d -> !d.annotations().isEmpty())) {
            return true;
        }
        String kind = spec.kind() == null ? "" : spec.kind();
        int slash = kind.indexOf('/');
        return slash > 0 && kind.indexOf('.', slash + 1) >= 0;
    }

    private static boolean needsHostPathOrDigitName(Spec spec) {
        boolean digitName = spec.devices().stream()
                .map(Device::name)
                .anyMatch(n -> n != null && !n.isEmpty() && n.charAt(0) >= '0' && n.charAt(0) <= '9');
        return digitName || allEdits(spec)
                .flatMap(e -> e.deviceNodes().stream())
                .anyMatch(n -> n != null && n.hostPath() != null && !n.hostPath().isEmpty());
    }

    private static boolean needsMountType(Spec spec) {
        return allEdits(spec)
                .flatMap(e -> e.mounts().stream())
                .anyMatch(m -> m != null && m.type() != null && !m.type().isEmpty());
    }
}
