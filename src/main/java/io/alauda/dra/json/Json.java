package io.alauda.dra.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * The node side's JSON (CDI spec files, NVML recordings, {@code discover}'s output): Jackson, configured once, as
 * strictly as the CDI loaders of the runtimes read. The trees are plain Java: objects are {@link LinkedHashMap} (key
 * order kept), arrays {@link ArrayList}, whole numbers {@link Long} (or {@link java.math.BigInteger} beyond 64 bits),
 * other numbers {@link BigDecimal}, and {@code true}/{@code false}/{@code null} {@link Boolean} and null. The code that
 * reads them checks each field by hand, so that an error names the field's path the way an admin edits the file.
 */
public final class Json {

    /** Deep enough for anything we read; shallow enough that a hostile file cannot exhaust the stack. */
    public static final int MAX_DEPTH = 64;

    // RFC 8259 with nothing lenient (Jackson's defaults refuse comments, trailing commas, leading zeros, unquoted
    // names and raw control characters), plus no duplicate keys and nothing after the value.
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    // Every member of a non-empty object or array on its own line, two-space indents, "key": value, {} and [] when
    // empty: the same tree always gives the same bytes, so rewriting an unchanged CDI spec is byte-identical.
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Json() {
    }

    /**
     * Strict RFC 8259: no comments, no trailing commas, no duplicate keys, no leading zeros, no raw control characters
     * in strings, nothing after the value, nesting at most {@link #MAX_DEPTH} levels.
     *
     * @throws JsonParseException naming the line and column of the first problem
     */
    public static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            // Jackson names its source in nested locations; ours is a string the caller names itself.
            String problem = e.getOriginalMessage().replace("[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ", "[");
            throw new JsonParseException(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), problem);
        }
    }

    /** Pretty, in the layout above; no trailing newline. */
    public static String writePretty(Object value) {
        return write(PRETTY, value);
    }

    /** On one line, for a value quoted in a message. */
    public static String writeCompact(Object value) {
        return write(MAPPER.writer(), value);
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
