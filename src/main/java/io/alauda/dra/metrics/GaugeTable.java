package io.alauda.dra.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A family of gauges with the same name and tag keys whose rows come and go: a row that is no longer given is
 * removed from the registry, so a vanished node or product leaves no stale series behind.
 */
public final class GaugeTable {

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final List<String> tagKeys;
    private final Map<List<String>, Row> rows = new HashMap<>();

    public GaugeTable(MeterRegistry registry, String name, String description, String... tagKeys) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.name = Objects.requireNonNull(name, "name");
        this.description = description;
        this.tagKeys = List.of(tagKeys);
    }

    /** Sets every row given and removes every row not given. */
    public synchronized void replaceAll(Map<List<String>, ? extends Number> values) {
        Set<List<String>> gone = new HashSet<>(rows.keySet());
        gone.removeAll(values.keySet());
        for (List<String> tagValues : gone) {
            registry.remove(rows.remove(tagValues).gauge);
        }
        values.forEach((tagValues, value) -> set(tagValues, value.doubleValue()));
    }

    public synchronized void set(List<String> tagValues, double value) {
        if (tagValues.size() != tagKeys.size()) {
            throw new IllegalArgumentException(name + " takes tags " + tagKeys + ", got values " + tagValues);
        }
        rows.computeIfAbsent(List.copyOf(tagValues), this::register).value = value;
    }

    public synchronized void remove(List<String> tagValues) {
        Row row = rows.remove(tagValues);
        if (row != null) {
            registry.remove(row.gauge);
        }
    }

    public synchronized void clear() {
        rows.values().forEach(row -> registry.remove(row.gauge));
        rows.clear();
    }

    private Row register(List<String> tagValues) {
        Row row = new Row();
        String[] tags = new String[tagKeys.size() * 2];
        for (int i = 0; i < tagKeys.size(); i++) {
            tags[2 * i] = tagKeys.get(i);
            tags[2 * i + 1] = tagValues.get(i);
        }
        row.gauge = Gauge.builder(name, row, r -> r.value)
                .description(description)
                .tags(Tags.of(tags))
                .strongReference(true)
                .register(registry);
        return row;
    }

    private static final class Row {
        volatile double value;
        Gauge gauge;
    }
}
