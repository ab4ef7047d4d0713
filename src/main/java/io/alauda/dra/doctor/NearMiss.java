package io.alauda.dra.doctor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * "Did you mean" for a selector that compares an attribute with a value no device publishes (or names an attribute no
 * device has): the values actually published, with how many devices have each, and the close ones named first
 * (same text ignoring case and punctuation, one containing the other, or a small edit distance).
 */
final class NearMiss {

    private static final int SHOWN = 5;

    private NearMiss() {
    }

    /**
     * For {@code attribute == wanted}: the values of {@code attribute} on {@code devices}, closest first; null when
     * some device has the wanted value (then it is no near miss).
     */
    static String forValue(String attribute, String wanted, List<DeviceVars> devices) {
        Map<String, Integer> counts = new TreeMap<>();
        int kinds = 0;
        for (DeviceVars d : devices) {
            Object v = value(d, attribute);
            if (v != null) {
                counts.merge(String.valueOf(v), 1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            return shortName(attribute) + " is published by none of the devices";
        }
        if (counts.containsKey(wanted)) {
            return null;
        }
        List<String> close = counts.keySet().stream().filter(v -> close(wanted, v))
                .sorted(Comparator.comparingInt(v -> distance(norm(wanted), norm(v)))).toList();
        List<Map.Entry<String, Integer>> byCount = new ArrayList<>(counts.entrySet());
        byCount.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        String published = byCount.stream().limit(SHOWN)
                .map(e -> ExprText.quote(e.getKey()) + " on " + e.getValue() + (e.getValue() == 1 ? " device" : " devices"))
                .collect(Collectors.joining(", "));
        kinds = counts.size();
        StringBuilder b = new StringBuilder(shortName(attribute)).append(" is ").append(published);
        if (kinds > SHOWN) {
            b.append(" and ").append(kinds - SHOWN).append(" other values");
        }
        b.append("; no device has ").append(ExprText.quote(wanted));
        if (!close.isEmpty()) {
            b.append("; did you mean ").append(close.stream().limit(3).map(ExprText::quote)
                    .collect(Collectors.joining(" or "))).append('?');
        }
        return b.toString();
    }

    /** For a missing attribute: the published attribute names that look like it. */
    static String forName(String attribute, List<DeviceVars> devices) {
        Map<String, Integer> names = new LinkedHashMap<>();
        for (DeviceVars d : devices) {
            d.attributes.forEach((domain, ids) -> ids.keySet().forEach(id -> names.merge(domain + "/" + id, 1, Integer::sum)));
        }
        String bare = attribute.substring(attribute.indexOf('/') + 1);
        List<String> close = names.keySet().stream()
                .filter(n -> !n.equals(attribute))
                .filter(n -> close(bare, n.substring(n.indexOf('/') + 1)) || close(attribute, n))
                .sorted(Comparator.comparingInt(n -> distance(norm(bare), norm(n.substring(n.indexOf('/') + 1)))))
                .limit(3).toList();
        if (names.containsKey(attribute)) {
            return attribute + " is published by " + names.get(attribute) + " of the devices only";
        }
        String all = names.keySet().stream().sorted().map(NearMiss::shortName).collect(Collectors.joining(", "));
        if (close.isEmpty()) {
            return "no device publishes " + attribute + "; published attributes: " + all;
        }
        return "no device publishes " + attribute + "; did you mean "
                + close.stream().map(n -> n).collect(Collectors.joining(" or ")) + "?";
    }

    private static Object value(DeviceVars d, String attribute) {
        boolean capacity = attribute.startsWith("capacity ");
        String q = capacity ? attribute.substring("capacity ".length()) : attribute;
        int slash = q.indexOf('/');
        return d.lookup(capacity, q.substring(0, slash), q.substring(slash + 1));
    }

    private static String shortName(String attribute) {
        return attribute;
    }

    static boolean close(String wanted, String have) {
        String a = norm(wanted);
        String b = norm(have);
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        if (a.equals(b) || a.contains(b) || b.contains(a)) {
            return true;
        }
        int d = distance(a, b);
        return d <= Math.max(2, Math.min(a.length(), b.length()) / 4);
    }

    /** Lower case, letters and digits only: 'Tesla P100-PCIE-16GB' and 'tesla p100 pcie 16gb' are the same. */
    static String norm(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
