package io.alauda.dra.doctor;

/** A request's device toleration: operator Equal (default) or Exists; empty key with Exists tolerates all. */
public record Toleration(String key, String operator, String value, String effect) {

    public boolean tolerates(Taint taint) {
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.effect())) {
            return false;
        }
        boolean exists = "Exists".equals(operator);
        if (key == null || key.isEmpty()) {
            return exists;
        }
        if (!key.equals(taint.key())) {
            return false;
        }
        return exists || java.util.Objects.equals(value == null ? "" : value, taint.value() == null ? "" : taint.value());
    }
}
