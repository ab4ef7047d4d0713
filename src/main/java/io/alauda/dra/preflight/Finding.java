package io.alauda.dra.preflight;

import java.util.Objects;

/**
 * One check's result.
 *
 * @param reason  a CamelCase word for status and events, e.g. {@code DriverTooOld}
 * @param message what was found and, unless passed, what to do about it
 */
public record Finding(Check check, Outcome outcome, String reason, String message) {

    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    static Finding passed(Check check, String reason, String message) {
        return new Finding(check, Outcome.PASSED, reason, message);
    }
}
