package io.alauda.dra.device;

import java.util.Objects;

/**
 * One typed DRA device attribute. The kinds mirror {@code resource.k8s.io} {@code DeviceAttribute}: exactly one of
 * string, int, bool or version is set, and CEL selectors compare them by that type, so the kind matters as much as
 * the value.
 */
public record AttributeValue(Kind kind, Object value) {

    public enum Kind {
        STRING, INT, BOOL, VERSION
    }

    public AttributeValue {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        boolean ok = switch (kind) {
            case STRING, VERSION -> value instanceof String;
            case INT -> value instanceof Long;
            case BOOL -> value instanceof Boolean;
        };
        if (!ok) {
            throw new IllegalArgumentException("attribute of kind " + kind + " cannot hold " + value.getClass().getSimpleName());
        }
    }

    public static AttributeValue string(String value) {
        return new AttributeValue(Kind.STRING, value);
    }

    public static AttributeValue integer(long value) {
        return new AttributeValue(Kind.INT, value);
    }

    public static AttributeValue bool(boolean value) {
        return new AttributeValue(Kind.BOOL, value);
    }

    /** A semantic version; the caller passes a value already normalised by {@link Semver#normalize(String)}. */
    public static AttributeValue version(String semver) {
        return new AttributeValue(Kind.VERSION, semver);
    }

    @Override
    public String toString() {
        return String.valueOf(value);
    }
}
