package io.alauda.dra.doctor;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 81559Mi}, {@code 16Gi}, {@code 500m}, {@code 1e3}) as an exact decimal.
 * Kept as written for display; compared by value. Used for device capacity and capacity requests, and as the
 * value of CEL's {@code quantity()}.
 */
public final class Quantity implements Comparable<Quantity> {

    private static final Pattern FORMAT = Pattern.compile("^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(.*)$");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", new BigDecimal(BigInteger.TWO.pow(10))), Map.entry("Mi", new BigDecimal(BigInteger.TWO.pow(20))),
            Map.entry("Gi", new BigDecimal(BigInteger.TWO.pow(30))), Map.entry("Ti", new BigDecimal(BigInteger.TWO.pow(40))),
            Map.entry("Pi", new BigDecimal(BigInteger.TWO.pow(50))), Map.entry("Ei", new BigDecimal(BigInteger.TWO.pow(60))));
    private static final Pattern EXPONENT = Pattern.compile("^[eE]([+-]?[0-9]+)$");

    private final BigDecimal value;
    private final String text;

    private Quantity(BigDecimal value, String text) {
        this.value = value;
        this.text = text;
    }

    /** Parses a quantity; throws {@link IllegalArgumentException} for anything Kubernetes would reject. */
    public static Quantity parse(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("quantity is empty");
        }
        Matcher m = FORMAT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a quantity (for example 16Gi, 500m, 4)");
        }
        BigDecimal number = new BigDecimal(m.group(1).startsWith("+") ? m.group(1).substring(1) : m.group(1));
        String suffix = m.group(2);
        BigDecimal factor = SUFFIXES.get(suffix);
        if (factor == null) {
            Matcher e = EXPONENT.matcher(suffix);
            if (!e.matches()) {
                throw new IllegalArgumentException("'" + s + "' has an unknown suffix '" + suffix
                        + "' (binary Ki Mi Gi Ti Pi Ei, decimal n u m k M G T P E, or an exponent e3)");
            }
            factor = BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(e.group(1)));
        }
        return new Quantity(number.multiply(factor), s);
    }

    public static Quantity of(long value) {
        return new Quantity(BigDecimal.valueOf(value), Long.toString(value));
    }

    public BigDecimal value() {
        return value;
    }

    public Quantity add(Quantity o) {
        BigDecimal sum = value.add(o.value);
        return new Quantity(sum, sum.stripTrailingZeros().toPlainString());
    }

    public Quantity subtract(Quantity o) {
        BigDecimal diff = value.subtract(o.value);
        return new Quantity(diff, diff.stripTrailingZeros().toPlainString());
    }

    @Override
    public int compareTo(Quantity o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
