package io.alauda.dra.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonpCharacterEscapes;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.util.Map;

/**
 * The JSON conventions of the node-side files and outputs (CDI spec files, NVML recordings, discover's output), on
 * Jackson. {@code discover} carries jackson-core, -databind and -annotations to the GPU machine for this.
 *
 * <p>Reading ({@link #builder()}, {@link #parse}) is strict RFC 8259: a duplicate key, anything after the value, a
 * property a bound class does not know and a scalar of the wrong type (a number where a string belongs, 1.5 where a
 * whole number belongs) are errors. Read without a target class, whole numbers come back as {@link Long} (or
 * {@link java.math.BigInteger}), others as {@link java.math.BigDecimal}, objects as insertion-ordered maps.
 *
 * <p>Writing has two layouts, both with two-space indents, {@code "key": value}, {@code {}} and {@code []} for empty
 * containers and no trailing newline: {@link #pretty} puts every member of a non-empty container on its own line (CDI
 * spec files); {@link #fitted} keeps a container on one line when it fits within {@link #FIT_WIDTH} columns where it
 * starts (NVML recordings, discover's output). Strings use Jackson's escaping with lower-case hex, plus U+2028 and
 * U+2029 escaped, which is the form these files have always had.
 */
public final class JsonFiles {

    /** Line width {@link #fitted} keeps a one-line object or array within. */
    public static final int FIT_WIDTH = 120;

    private static final JsonMapper MAPPER = builder().build();
    private static final ObjectWriter PRETTY = MAPPER.writer(printer(new DefaultIndenter("  ", "\n"), Separators.Spacing.NONE));
    private static final ObjectWriter INLINE = MAPPER.writer(printer(DefaultPrettyPrinter.NopIndenter.instance, Separators.Spacing.AFTER));

    private JsonFiles() {
    }

    /**
     * A builder with the strict settings above, for a caller that binds its own classes and needs more (see
     * {@code cdi.SpecJson}); {@link JsonMapper} is built once and shared, as it is thread-safe once built.
     */
    public static JsonMapper.Builder builder() {
        JsonFactory factory = new JsonFactoryBuilder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .characterEscapes(new JsonpCharacterEscapes())
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /**
     * Any JSON value as plain Java (see the class comment).
     *
     * @throws JsonProcessingException for malformed JSON; {@link #problem} words it for a message
     */
    public static Object parse(String text) throws JsonProcessingException {
        return MAPPER.readValue(text, Object.class);
    }

    /** {@code line L, column C: what is wrong}, for a message that also names the file. */
    public static String problem(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 1) {
            return e.getOriginalMessage();
        }
        return "line " + at.getLineNr() + (at.getColumnNr() < 1 ? "" : ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage();
    }

    /** Every member of a non-empty object or array on its own line: the layout of the CDI spec files. */
    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The whole value on one line, members separated by {@code ", "}; for messages that quote a value. */
    public static String inline(Object value) {
        try {
            return INLINE.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * As {@link #pretty}, except that an object or array that fits within {@link #FIT_WIDTH} columns where it starts is
     * written on one line, which keeps NVML recordings readable ({@code "nvmlDeviceGetName(gpu=0)": {"value": "..."}}).
     */
    public static String fitted(Object value) {
        JsonNode tree = value == null ? NullNode.instance : MAPPER.valueToTree(value);
        Fitted writer = new Fitted();
        writer.value(tree, 0);
        return writer.out.toString();
    }

    private static DefaultPrettyPrinter printer(DefaultPrettyPrinter.Indenter indenter, Separators.Spacing between) {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEntrySpacing(between)
                .withArrayValueSpacing(between)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    /** Decides only where lines break; every value and key is written by Jackson. */
    private static final class Fitted {

        private final StringBuilder out = new StringBuilder();
        private int lineStart;

        void value(JsonNode node, int depth) {
            String inline = inline(node);
            if (!node.isContainerNode() || node.isEmpty() || out.length() - lineStart + inline.length() <= FIT_WIDTH) {
                out.append(inline);
                return;
            }
            out.append(node.isObject() ? '{' : '[');
            boolean first = true;
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    newLine(first ? "" : ",", depth + 1);
                    first = false;
                    out.append(inline(field.getKey())).append(": ");
                    value(field.getValue(), depth + 1);
                }
            } else {
                for (JsonNode item : node) {
                    newLine(first ? "" : ",", depth + 1);
                    first = false;
                    value(item, depth + 1);
                }
            }
            newLine("", depth);
            out.append(node.isObject() ? '}' : ']');
        }

        private void newLine(String before, int depth) {
            out.append(before).append('\n');
            lineStart = out.length();
            out.append("  ".repeat(depth));
        }
    }
}
