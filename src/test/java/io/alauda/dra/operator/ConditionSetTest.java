package io.alauda.dra.operator;

import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** lastTransitionTime moves only when a condition's status or message changes. */
class ConditionSetTest {

    private static final Clock T1 = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private static final Clock T2 = Clock.fixed(Instant.parse("2026-11-26T11:30:00Z"), ZoneOffset.UTC);

    private static List<Condition> first() {
        return new ConditionSet(null, 1, T1).set("Ready", false, Reason.ROLLING_OUT, "waiting for 1 pod").build();
    }

    @Test
    void aNewConditionGetsTheCurrentTime() {
        assertEquals("2026-11-26T10:00:00Z", first().get(0).getLastTransitionTime());
        assertEquals(1L, first().get(0).getObservedGeneration());
    }

    @Test
    void sameStatusAndMessageKeepTheTimeEvenWithANewReasonOrGeneration() {
        Condition again = new ConditionSet(first(), 2, T2).set("Ready", false, Reason.WAITING_FOR_OLD_PLUGIN, "waiting for 1 pod").build().get(0);
        assertEquals("2026-11-26T10:00:00Z", again.getLastTransitionTime());
        assertEquals(2L, again.getObservedGeneration());
        assertEquals("WaitingForOldPlugin", again.getReason());
    }

    @Test
    void aChangedStatusMovesTheTime() {
        assertEquals("2026-11-26T11:30:00Z",
                new ConditionSet(first(), 1, T2).set("Ready", true, Reason.INSTALLED, "waiting for 1 pod").build().get(0).getLastTransitionTime());
    }

    @Test
    void aChangedMessageMovesTheTime() {
        assertEquals("2026-11-26T11:30:00Z",
                new ConditionSet(first(), 1, T2).set("Ready", false, Reason.ROLLING_OUT, "waiting for 2 pods").build().get(0).getLastTransitionTime());
    }
}
