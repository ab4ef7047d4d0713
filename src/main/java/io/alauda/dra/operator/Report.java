package io.alauda.dra.operator;

import java.util.ArrayList;
import java.util.List;

/**
 * What went wrong in one reconcile, for the Degraded condition. Blocking problems (invalid spec, failed preflight)
 * stop the install; warnings are reported while the install goes on.
 */
final class Report {

    record Entry(String reason, String message, boolean blocking) {
    }

    private final List<Entry> entries = new ArrayList<>();

    void degrade(String reason, List<String> messages) {
        messages.forEach(m -> entries.add(new Entry(reason, m, isBlocking(reason))));
    }

    void warn(String reason, String message) {
        entries.add(new Entry(reason, message, false));
    }

    boolean blocking() {
        return entries.stream().anyMatch(Entry::blocking);
    }

    boolean hasProblems() {
        return !entries.isEmpty();
    }

    /** The reason of the most important problem: blocking ones first, then in the order they were found. */
    String reason() {
        return entries.stream().filter(Entry::blocking).findFirst().or(() -> entries.stream().findFirst())
                .map(Entry::reason).orElse("AsExpected");
    }

    String message() {
        return String.join("; ", entries.stream().map(Entry::message).toList());
    }

    boolean hasReason(String reason) {
        return entries.stream().anyMatch(e -> e.reason().equals(reason));
    }

    private static boolean isBlocking(String reason) {
        return switch (reason) {
            case "InvalidSpec", "KubernetesTooOld", "KubernetesVersionUnknown", "DRANotServed", "ResourceApiVersionNotServed",
                    "Duplicate", "ReconcileFailed" -> true;
            default -> false;
        };
    }
}
