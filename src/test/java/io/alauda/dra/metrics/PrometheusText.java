package io.alauda.dra.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Prometheus text exposition format, parsed just enough for assertions: each sample line's series (name and
 * label set, exactly as written) mapped to its value, and the {@code # TYPE} of each family.
 */
public final class PrometheusText {

    private final String text;
    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    public PrometheusText(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                types.put(parts[0], parts[1]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(normalise(line.substring(0, space)), Double.parseDouble(line.substring(space + 1)));
            }
        }
    }

    public String text() {
        return text;
    }

    /** The value of one series, written as {@code name{a="x",b="y"}} with labels in any order; null when absent. */
    public Double value(String series) {
        return samples.get(normalise(series));
    }

    public String type(String family) {
        return types.get(family);
    }

    /** The metric name of every sample, e.g. foo_total, foo_bucket. */
    public java.util.Set<String> seriesNames() {
        return samples.keySet().stream().map(s -> s.contains("{") ? s.substring(0, s.indexOf('{')) : s)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Every series of one metric name, as written (normalised label order). */
    public List<String> series(String name) {
        return samples.keySet().stream().filter(s -> s.equals(name) || s.startsWith(name + "{")).collect(Collectors.toList());
    }

    /** Label order and the client's trailing comma do not matter. */
    static String normalise(String series) {
        int brace = series.indexOf('{');
        if (brace < 0) {
            return series;
        }
        String labels = series.substring(brace + 1, series.lastIndexOf('}'));
        List<String> pairs = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < labels.length(); i++) {
            char c = labels.charAt(i);
            if (c == '"' && (i == 0 || labels.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                if (current.length() > 0) {
                    pairs.add(current.toString());
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            pairs.add(current.toString());
        }
        pairs.sort(null);
        return series.substring(0, brace) + "{" + String.join(",", pairs) + "}";
    }
}
