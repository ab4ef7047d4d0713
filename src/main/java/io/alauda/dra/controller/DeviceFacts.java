package io.alauda.dra.controller;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Reads the attributes and capacities the gauges are keyed by, the same way for every resource.k8s.io version. */
final class DeviceFacts {

    static final String DRIVER = "gpu.nvidia.com";
    static final String UNKNOWN = "unknown";

    private DeviceFacts() {
    }

    /**
     * A string attribute by its bare name; the fully qualified {@code gpu.nvidia.com/<name>} form means the same
     * (Kubernetes treats bare names as being in the driver's domain).
     */
    static <A> String stringAttribute(Map<String, A> attributes, String name, Function<A, String> string) {
        if (attributes == null) {
            return UNKNOWN;
        }
        A value = attributes.get(name);
        if (value == null) {
            value = attributes.get(DRIVER + "/" + name);
        }
        String text = value == null ? null : string.apply(value);
        return text == null || text.isBlank() ? UNKNOWN : text;
    }

    static String deviceType(String type) {
        return UNKNOWN.equals(type) ? type : type.toLowerCase(Locale.ROOT);
    }

    /** The {@code memory} capacity in bytes; 0 when absent or unreadable. */
    static <C> long memoryBytes(Map<String, C> capacities, Function<C, Quantity> value) {
        if (capacities == null) {
            return 0;
        }
        C capacity = capacities.get("memory");
        if (capacity == null) {
            capacity = capacities.get(DRIVER + "/memory");
        }
        Quantity quantity = capacity == null ? null : value.apply(capacity);
        if (quantity == null) {
            return 0;
        }
        try {
            BigDecimal bytes = quantity.getNumericalAmount();
            return bytes.signum() <= 0 ? 0 : bytes.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return 0;
        }
    }

    static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }
}
