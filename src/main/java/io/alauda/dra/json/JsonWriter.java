package io.alauda.dra.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Both layouts of {@link Json}: they differ only in whether a container that fits on its line stays there. */
final class JsonWriter {

    private final boolean fitted;
    private final StringBuilder out = new StringBuilder();
    private int lineStart;

    private JsonWriter(boolean fitted) {
        this.fitted = fitted;
    }

    static String write(Object value, boolean fitted) {
        JsonWriter writer = new JsonWriter(fitted);
        writer.value(value, 0);
        return writer.out.toString();
    }

    private void value(Object value, int depth) {
        if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
            scalar(value, out);
            return;
        }
        if (fitted) {
            String inline = inline(value);
            if (out.length() - lineStart + inline.length() <= Json.FIT_WIDTH) {
                out.append(inline);
                return;
            }
        }
        if (value instanceof Map<?, ?> map) {
            object(map, depth);
        } else {
            array((List<?>) value, depth);
        }
    }

    private void object(Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            newLine(first ? "" : ",", depth + 1);
            first = false;
            string(key(entry.getKey()), out);
            out.append(": ");
            value(entry.getValue(), depth + 1);
        }
        newLine("", depth);
        out.append('}');
    }

    private void array(List<?> list, int depth) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            newLine(first ? "" : ",", depth + 1);
            first = false;
            value(item, depth + 1);
        }
        newLine("", depth);
        out.append(']');
    }

    private void newLine(String before, int depth) {
        out.append(before).append('\n');
        lineStart = out.length();
        out.append("  ".repeat(depth));
    }

    /** The whole value on one line, members separated by {@code ", "}. */
    private static String inline(Object value) {
        StringBuilder sb = new StringBuilder();
        inline(value, sb);
        return sb.toString();
    }

    private static void inline(Object value, StringBuilder sb) {
        if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                sb.append(first ? "" : ", ");
                first = false;
                string(key(entry.getKey()), sb);
                sb.append(": ");
                inline(entry.getValue(), sb);
            }
            sb.append('}');
        } else if (value instanceof List<?> list) {
            sb.append('[');
            boolean first = true;
            for (Object item : list) {
                sb.append(first ? "" : ", ");
                first = false;
                inline(item, sb);
            }
            sb.append(']');
        } else {
            scalar(value, sb);
        }
    }

    /** A non-string key would be written as its text and could collide with another key; that is the caller's bug. */
    private static String key(Object key) {
        if (key instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("JSON object keys must be strings, got "
                + (key == null ? "null" : key.getClass().getName()));
    }

    private static void scalar(Object value, StringBuilder sb) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            string(s, sb);
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger
                || value instanceof BigDecimal) {
            sb.append(value);
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON"
                    + (value instanceof Double || value instanceof Float
                    ? "; its decimal text is not the number meant, pass a Long or BigDecimal" : ""));
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    // Control characters are illegal raw in JSON; U+2028/2029 break JavaScript readers; a lone
                    // surrogate cannot be encoded as UTF-8 at all, so it travels as an escape.
                    boolean loneSurrogate = Character.isSurrogate(c) && !pairedSurrogate(s, i);
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || loneSurrogate) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
