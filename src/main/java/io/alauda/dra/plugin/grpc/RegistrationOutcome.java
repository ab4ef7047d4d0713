package io.alauda.dra.plugin.grpc;

import java.time.Instant;
import java.util.Objects;

/**
 * What kubelet last told us through NotifyRegistrationStatus.
 *
 * @param registered whether kubelet accepted the plugin
 * @param error      kubelet's reason when it refused; empty otherwise
 * @param receivedAt when the notification arrived
 */
public record RegistrationOutcome(boolean registered, String error, Instant receivedAt) {

    public RegistrationOutcome {
        error = Objects.requireNonNullElse(error, "");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
