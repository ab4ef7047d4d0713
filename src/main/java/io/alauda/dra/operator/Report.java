package io.alauda.dra.operator;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems one reconcile found, in the order found. Blocking problems (invalid spec, failed preflight) stop the
 * install; the others are reported while the install goes on. {@link StatusAggregator} turns them into conditions.
 */
final class Report {

    private final List<Problem> problems = new ArrayList<>();

    void add(Problem problem) {
        problems.add(problem);
    }

    /** A problem worded by its reason's template. */
    void add(Reason reason, Object... details) {
        add(Problem.of(reason, details));
    }

    boolean blocking() {
        return problems.stream().anyMatch(Problem::blocking);
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** The reason of the most important problem: blocking ones first, then in the order they were found. */
    Reason reason() {
        return problems.stream().filter(Problem::blocking).findFirst().or(() -> problems.stream().findFirst())
                .map(Problem::reason).orElse(Reason.AS_EXPECTED);
    }

    String message() {
        return String.join("; ", problems.stream().map(Problem::message).toList());
    }

    boolean hasReason(Reason reason) {
        return problems.stream().anyMatch(p -> p.reason() == reason);
    }
}
