package io.alauda.dra.preflight;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Every check's finding for one node, in {@link Check} order. */
public record PreflightReport(List<Finding> findings) {

    public PreflightReport {
        findings = findings.stream().sorted(Comparator.comparing(Finding::check)).toList();
    }

    /** The worst outcome, {@link Outcome#PASSED} when there are no findings. */
    public Outcome outcome() {
        return findings.stream().map(Finding::outcome).max(Comparator.naturalOrder()).orElse(Outcome.PASSED);
    }

    /** The finding that decides {@link #outcome()}: the worst, the first of equals. */
    public Finding decisive() {
        return findings.stream().max(Comparator.comparing(Finding::outcome)
                .thenComparing(Comparator.comparing(Finding::check).reversed())).orElse(null);
    }

    public boolean allowsDevices() {
        return outcome().allowsDevices();
    }

    /** One line per finding that did not pass; "all node checks passed" when every one did. */
    public String summary() {
        List<Finding> problems = findings.stream().filter(f -> f.outcome() != Outcome.PASSED).toList();
        if (problems.isEmpty()) {
            return "all node checks passed";
        }
        return problems.stream().map(f -> f.reason() + ": " + f.message()).collect(Collectors.joining("\n"));
    }
}
