package io.alauda.dra.controller;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which nodes should run the kubelet plugin, by the same rule as the plugin DaemonSet: every selector label
 * present with its value, and no conflicting label present with its value.
 */
public final class NodeSelection {

    private final Map<String, String> selector;
    private final Map<String, String> conflicting;

    public NodeSelection(Map<String, String> selector, Map<String, String> conflicting) {
        this.selector = Collections.unmodifiableMap(new TreeMap<>(selector));
        this.conflicting = Collections.unmodifiableMap(new TreeMap<>(conflicting));
    }

    /** Parses {@code key=value,key2=value2}; blank means no labels. */
    public static NodeSelection parse(String selector, String conflicting) {
        return new NodeSelection(labels(selector), labels(conflicting));
    }

    public boolean selects(Map<String, String> nodeLabels) {
        Map<String, String> labels = nodeLabels == null ? Map.of() : nodeLabels;
        for (var wanted : selector.entrySet()) {
            if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                return false;
            }
        }
        for (var conflict : conflicting.entrySet()) {
            if (conflict.getValue().equals(labels.get(conflict.getKey()))) {
                return false;
            }
        }
        return true;
    }

    public Map<String, String> selector() {
        return selector;
    }

    public Map<String, String> conflicting() {
        return conflicting;
    }

    static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return labels;
        }
        for (String pair : text.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("node label '" + trimmed + "' must be key=value (in '" + text + "')");
            }
            labels.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
        }
        return labels;
    }

    @Override
    public String toString() {
        return "selector " + selector + ", conflicting " + conflicting;
    }
}
