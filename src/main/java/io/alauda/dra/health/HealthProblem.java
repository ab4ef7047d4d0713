package io.alauda.dra.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One standing problem with one device, shaped like the DeviceTaint that reports it.
 *
 * @param key     the taint key, e.g. {@code gpu.nvidia.com/xid} or {@code gpu.nvidia.com/gpu-lost}
 * @param value   the taint value, e.g. the XID number; may be empty
 * @param effect  what it does to scheduling
 * @param message for people: what NVML said and what to do
 * @param since   when the node first saw it
 */
public record HealthProblem(String key, String value, HealthEffect effect, String message, Instant since) {

    public HealthProblem {
        Objects.requireNonNull(key, "key");
        value = value == null ? "" : value;
        Objects.requireNonNull(effect, "effect");
        message = message == null ? "" : message;
        Objects.requireNonNull(since, "since");
    }

    /** Same key and value: a second report of a standing problem, which changes nothing. */
    boolean sameAs(HealthProblem other) {
        return key.equals(other.key) && value.equals(other.value) && effect == other.effect;
    }
}
