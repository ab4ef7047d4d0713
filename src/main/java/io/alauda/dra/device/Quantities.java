package io.alauda.dra.device;

/**
 * Renders integer quantities the way the Kubernetes API server canonicalises a BinarySI quantity, so that a
 * published capacity reads back unchanged and a republish compares equal: {@code 85520809984} becomes
 * {@code 81559Mi}; a value that is not a whole multiple of 1024 stays a plain number. Below 1024 the API server
 * switches to DecimalSI, so the one value there with a decimal suffix, 1000, reads {@code 1k}.
 */
public final class Quantities {

    private static final String[] SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private Quantities() {
    }

    public static String binarySI(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("quantity must not be negative: " + value);
        }
        if (value < 1024) {
            return value == 1000 ? "1k" : Long.toString(value);
        }
        int exponent = 0;
        long number = value;
        while (number % 1024 == 0 && exponent < SUFFIXES.length - 1) {
            number /= 1024;
            exponent++;
        }
        return number + SUFFIXES[exponent];
    }
}
