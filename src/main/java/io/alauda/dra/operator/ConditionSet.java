package io.alauda.dra.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the CR's conditions from what this reconcile found, carrying lastTransitionTime over from the previous
 * status unless the condition's status or message changed: a time that moves on every reconcile would tell the
 * admin nothing, and would make every reconcile write.
 */
final class ConditionSet {

    static final String READY = "Ready";
    static final String PROGRESSING = "Progressing";
    static final String DEGRADED = "Degraded";

    private final List<Condition> previous;
    private final long generation;
    private final Clock clock;
    private final List<Condition> next = new ArrayList<>();

    ConditionSet(List<Condition> previous, long generation, Clock clock) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.clock = clock;
    }

    ConditionSet set(String type, boolean status, Reason reason, String message) {
        return set(type, status, reason.word(), message);
    }

    private ConditionSet set(String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        Condition old = previous.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        String time = old != null && value.equals(old.getStatus()) && Objects.equals(message, old.getMessage())
                ? old.getLastTransitionTime()
                : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        next.add(new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(time)
                .build());
        return this;
    }

    List<Condition> build() {
        return List.copyOf(next);
    }
}
