package io.alauda.dra.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * The one JSON implementation of the node-side code. It exists because {@code discover} must run from a classpath of
 * only our classes and JNA (no Jackson), and the CDI spec files and NVML recordings must be read as strictly as the
 * runtimes and our tests expect. This package depends on nothing but the JDK.
 *
 * <p>Values are plain Java: objects parse to {@link LinkedHashMap} (key order kept), arrays to {@link ArrayList},
 * whole numbers that fit to {@link Long}, other numbers to {@link BigDecimal}, and {@code true}/{@code false}/
 * {@code null} to {@link Boolean} and null. The writers take the same types (plus {@link Integer}, {@link Short},
 * {@link Byte} and {@link java.math.BigInteger}); {@link Double} and {@link Float} are refused, because their text
 * is not the number the caller meant and would not survive a round trip.
 */
public final class Json {

    /** Deep enough for anything we read; shallow enough that a hostile file cannot overflow the stack. */
    public static final int MAX_DEPTH = 64;

    /** Line width {@link #writeFitted} keeps a one-line object or array within. */
    public static final int FIT_WIDTH = 120;

    private Json() {
    }

    /**
     * Strict RFC 8259: no comments, no trailing commas, no duplicate keys, no leading zeros, no raw control
     * characters in strings, nothing after the value, nesting at most {@link #MAX_DEPTH} levels.
     *
     * @throws JsonParseException naming the line and column of the first problem
     */
    public static Object parse(String text) {
        return JsonParser.parse(text);
    }

    /**
     * Every member of a non-empty object or array on its own line, two-space indents, {@code {}} and {@code []} for
     * empty ones; no trailing newline. The form of the CDI spec files: the same tree always gives the same bytes, so
     * golden files stay stable and rewriting an unchanged spec is byte-identical.
     */
    public static String writePretty(Object value) {
        return JsonWriter.write(value, false);
    }

    /**
     * As {@link #writePretty}, except that an object or array that fits within {@link #FIT_WIDTH} columns where it
     * starts is written on one line, which keeps NVML recordings readable
     * ({@code "nvmlDeviceGetName(gpu=0)": {"value": "..."}}).
     */
    public static String writeFitted(Object value) {
        return JsonWriter.write(value, true);
    }
}
