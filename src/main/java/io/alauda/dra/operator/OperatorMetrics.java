package io.alauda.dra.operator;

import io.alauda.dra.metrics.BuildInfo;
import io.alauda.dra.metrics.GaugeTable;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The operator's own series, next to the reconcile meters JOSDK registers: one gauge row per condition of each
 * NvidiaDraDriver and status, in kube-state-metrics' style ({@code status} is true, false or unknown and exactly one
 * of the three is 1), so an alert reads {@code nvidia_dra_operator_condition{type="Degraded",status="true"} == 1}.
 */
public final class OperatorMetrics {

    static final String CONDITION = "nvidia_dra_operator_condition";
    static final String BUILD_INFO = "nvidia_dra_operator_build_info";
    static final List<String> STATUSES = List.of("true", "false", "unknown");

    private final GaugeTable conditions;
    private final Map<String, Map<List<String>, Integer>> rowsByDriver = new HashMap<>();

    public OperatorMetrics(MeterRegistry registry, String version) {
        Objects.requireNonNull(registry, "registry");
        conditions = new GaugeTable(registry, CONDITION,
                "Conditions of each NvidiaDraDriver: 1 on the row of the condition's current status, 0 on the others.",
                "name", "type", "status");
        BuildInfo.register(registry, BUILD_INFO, version);
    }

    /** Replaces what is exported for one NvidiaDraDriver; condition types no longer present disappear. */
    public synchronized void update(String crName, List<Condition> current) {
        Objects.requireNonNull(crName, "crName");
        Map<List<String>, Integer> rows = new HashMap<>();
        for (Condition condition : current == null ? List.<Condition>of() : current) {
            if (condition == null || condition.getType() == null || condition.getType().isBlank()) {
                continue;
            }
            String status = normalise(condition.getStatus());
            for (String candidate : STATUSES) {
                rows.put(List.of(crName, condition.getType(), candidate), candidate.equals(status) ? 1 : 0);
            }
        }
        Map<List<String>, Integer> previous = rowsByDriver.put(crName, rows);
        if (previous != null) {
            previous.keySet().stream().filter(key -> !rows.containsKey(key)).forEach(conditions::remove);
        }
        rows.forEach(conditions::set);
    }

    /** The NvidiaDraDriver is gone: its rows go too. */
    public synchronized void remove(String crName) {
        Map<List<String>, Integer> previous = rowsByDriver.remove(crName);
        if (previous != null) {
            previous.keySet().forEach(conditions::remove);
        }
    }

    private static String normalise(String status) {
        String lower = status == null ? "unknown" : status.toLowerCase(Locale.ROOT);
        return STATUSES.contains(lower) ? lower : "unknown";
    }
}
