package io.alauda.dra.doctor;

import java.util.Objects;

/** One published device attribute: exactly one of string, int, bool or version, as in a ResourceSlice. */
public record AttributeValue(Kind kind, Object value) {

    /** The attribute's type, named as in the ResourceSlice ({@code {string: ...}}, {@code {int: ...}}, ...). */
    public enum Kind {
        STRING, INT, BOOL, VERSION;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AttributeValue {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Class<?> expected = switch (kind) {
            case STRING -> String.class;
            case INT -> Long.class;
            case BOOL -> Boolean.class;
            case VERSION -> SemVer.class;
        };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException(kind + " attribute holds a " + value.getClass().getSimpleName());
        }
    }

    public static AttributeValue string(String s) {
        return new AttributeValue(Kind.STRING, s);
    }

    public static AttributeValue integer(long i) {
        return new AttributeValue(Kind.INT, i);
    }

    public static AttributeValue bool(boolean b) {
        return new AttributeValue(Kind.BOOL, b);
    }

    public static AttributeValue version(String v) {
        return new AttributeValue(Kind.VERSION, SemVer.parse(v));
    }

    @Override
    public String toString() {
        return kind == Kind.STRING ? "'" + value + "'" : kind == Kind.VERSION ? "version " + value : String.valueOf(value);
    }
}
