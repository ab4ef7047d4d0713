package io.alauda.dra.operator;

import java.util.ArrayList;
import java.util.List;

/**
 * What went wrong in one reconcile, for the Degraded condition. Blocking problems (invalid spec, failed preflight)
 * stop the install; warnings are reported while the install goes on.
 */
final class Report {

    record Entry(Reason reason, String message) {
        boolean blocking() {
            return reason.blocking();
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Problems of this reason, each message a separate entry; whether they block is the reason's. */
    void degrade(Reason reason, List<String> messages) {
        messages.forEach(m -> entries.add(new Entry(reason, m)));
    }

    void warn(Reason reason, String message) {
        if (reason.blocking()) {
            throw new IllegalArgumentException(reason + " blocks the install; report it with degrade");
        }
        entries.add(new Entry(reason, message));
    }

    boolean blocking() {
        return entries.stream().anyMatch(Entry::blocking);
    }

    boolean hasProblems() {
        return !entries.isEmpty();
    }

    /** The reason of the most important problem: blocking ones first, then in the order they were found. */
    Reason reason() {
        return entries.stream().filter(Entry::blocking).findFirst().or(() -> entries.stream().findFirst())
                .map(Entry::reason).orElse(Reason.AS_EXPECTED);
    }

    String message() {
        return String.join("; ", entries.stream().map(Entry::message).toList());
    }

    boolean hasReason(Reason reason) {
        return entries.stream().anyMatch(e -> e.reason() == reason);
    }
}
