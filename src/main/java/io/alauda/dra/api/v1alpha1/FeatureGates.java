package io.alauda.dra.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The feature gates of the upstream GPU kubelet plugin that this CR accepts, and which of them this driver
 * implements. Gates of the upstream ComputeDomain plugin are not accepted: this driver has no ComputeDomains.
 */
public final class FeatureGates {

    /** Upstream GPU-plugin gates, by the upstream names, so values move over from a Helm install unchanged. */
    public static final Set<String> KNOWN = Set.of(
            "TimeSlicingSettings",
            "MPSSupport",
            "PassthroughSupport",
            "DynamicMIG",
            "NVMLDeviceHealthCheck",
            "DeviceMetadata",
            "DRAListTypeAttributes",
            "FabricManagerPartitioning",
            "ConsumableShares");

    public static final String MPS_SUPPORT = "MPSSupport";

    /** Gates this version implements; the others are accepted for compatibility but reported when switched on. */
    public static final Set<String> IMPLEMENTED = Set.of("NVMLDeviceHealthCheck", "TimeSlicingSettings", MPS_SUPPORT);

    /** Pairs that upstream refuses together (its ValidateFeatureGates), kept as schema rules and checked here too. */
    public static final List<List<String>> EXCLUSIVE = List.of(
            List.of("DynamicMIG", "PassthroughSupport"),
            List.of("DynamicMIG", "NVMLDeviceHealthCheck"),
            List.of("DynamicMIG", "MPSSupport"),
            List.of("PassthroughSupport", "NVMLDeviceHealthCheck"));

    /** Each entry: the first gate needs the second. */
    public static final List<List<String>> REQUIRES = List.of(List.of("DeviceMetadata", "PassthroughSupport"));

    /**
     * CEL over the map's keys; the message lists the known names so that the fix is in the error. Kept in sync with
     * {@link #KNOWN} by FeatureGatesTest.
     */
    public static final String KNOWN_RULE = "self.all(k, k in ['ConsumableShares', 'DRAListTypeAttributes', 'DeviceMetadata', "
            + "'DynamicMIG', 'FabricManagerPartitioning', 'MPSSupport', 'NVMLDeviceHealthCheck', 'PassthroughSupport', "
            + "'TimeSlicingSettings'])";
    public static final String KNOWN_MESSAGE = "unknown feature gate; known gates are ConsumableShares, DRAListTypeAttributes, "
            + "DeviceMetadata, DynamicMIG, FabricManagerPartitioning, MPSSupport, NVMLDeviceHealthCheck, PassthroughSupport, "
            + "TimeSlicingSettings";

    private FeatureGates() {
    }

    public static boolean on(Map<String, Boolean> gates, String name) {
        return gates != null && Boolean.TRUE.equals(gates.get(name));
    }

    /** Problems with a gate map, each naming the field and the fix; empty when the map is fine. */
    public static List<String> problems(Map<String, Boolean> gates) {
        List<String> problems = new ArrayList<>();
        if (gates == null) {
            return problems;
        }
        for (String name : new TreeSet<>(gates.keySet())) {
            if (!KNOWN.contains(name)) {
                problems.add("spec.featureGates." + name + " is not a known feature gate; known gates are "
                        + String.join(", ", new TreeSet<>(KNOWN)));
            }
        }
        for (List<String> pair : EXCLUSIVE) {
            if (on(gates, pair.get(0)) && on(gates, pair.get(1))) {
                problems.add("spec.featureGates: " + pair.get(0) + " and " + pair.get(1) + " cannot both be true; turn one off");
            }
        }
        for (List<String> need : REQUIRES) {
            if (on(gates, need.get(0)) && !on(gates, need.get(1))) {
                problems.add("spec.featureGates: " + need.get(0) + " needs " + need.get(1) + "=true");
            }
        }
        return problems;
    }

    /** Known gates switched on that this version does not implement yet. */
    public static List<String> notImplemented(Map<String, Boolean> gates) {
        List<String> names = new ArrayList<>();
        if (gates != null) {
            new TreeSet<>(gates.keySet()).stream()
                    .filter(n -> KNOWN.contains(n) && !IMPLEMENTED.contains(n) && on(gates, n))
                    .forEach(names::add);
        }
        return names;
    }

    /**
     * Reads a FEATURE_GATES value ({@code A=true,B=false}) back into a map; an entry without {@code =} or with a
     * value other than true/false is refused with the entry named, so a typo in the env never turns a gate off
     * silently.
     */
    public static Map<String, Boolean> parse(String value) {
        Map<String, Boolean> gates = new java.util.TreeMap<>();
        if (value == null || value.isBlank()) {
            return gates;
        }
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            String flag = eq < 0 ? "" : trimmed.substring(eq + 1).trim();
            if (eq <= 0 || !(flag.equalsIgnoreCase("true") || flag.equalsIgnoreCase("false"))) {
                throw new IllegalArgumentException("FEATURE_GATES entry '" + trimmed
                        + "' is not Name=true or Name=false; write the gates as Name=true,Other=false");
            }
            gates.put(trimmed.substring(0, eq).trim(), Boolean.parseBoolean(flag));
        }
        return gates;
    }

    /** The FEATURE_GATES value upstream uses: {@code A=true,B=false}, sorted so the pod template is stable. */
    public static String render(Map<String, Boolean> gates) {
        if (gates == null || gates.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String name : new TreeSet<>(gates.keySet())) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(name).append('=').append(gates.get(name));
        }
        return sb.toString();
    }
}
