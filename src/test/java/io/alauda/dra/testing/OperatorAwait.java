package io.alauda.dra.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Awaitility for tests with the operator running in the same JVM. */
public final class OperatorAwait {

    private OperatorAwait() {
    }

    /**
     * Like {@link Awaitility#await()}, but an exception escaping some other thread does not fail the wait. JOSDK 5.3.2
     * can throw from its own executor threads when a reconcile ends just as its CR's delete event arrives: its
     * TimerEventSource schedules and cancels the same task without a lock ("Task already scheduled or cancelled").
     * Awaitility would fail whichever wait was running at that moment, in whichever test; these tests judge the
     * operator by what it writes to the API server instead.
     */
    public static ConditionFactory await() {
        return Awaitility.await().dontCatchUncaughtExceptions();
    }
}
