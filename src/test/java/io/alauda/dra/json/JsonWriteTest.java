package io.alauda.dra.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Both layouts: pretty (CDI spec files, NVML recordings, discover output) and compact (values quoted in messages). */
class JsonWriteTest {

    @Test
    void prettyPrintsWithTwoSpaceIndentsInInsertionOrder() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("z", 1L);
        tree.put("a", List.of("x", true));
        tree.put("empty", List.of());
        tree.put("none", Map.of());
        tree.put("nothing", null);

        assertEquals("{\n"
                + "  \"z\": 1,\n"
                + "  \"a\": [\n"
                + "    \"x\",\n"
                + "    true\n"
                + "  ],\n"
                + "  \"empty\": [],\n"
                + "  \"none\": {},\n"
                + "  \"nothing\": null\n"
                + "}", Json.writePretty(tree));
    }

    @Test
    void compactWritesOneLine() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("value", Map.of("major", 8L));
        tree.put("list", List.of("a", 1L));

        assertEquals("{\"value\":{\"major\":8},\"list\":[\"a\",1]}", Json.writeCompact(tree));
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001f\\r\\b\\f\"", Json.writePretty("a\"b\\c\nd\te\u0001f\r\b\f"));
    }

    @Test
    void keepsUnicodeAsItIs() {
        assertEquals("\"é😀\"", Json.writePretty("é\ud83d\ude00"));
    }

    @Test
    void slashIsNotEscaped() {
        assertEquals("\"/dev/nvidia0\"", Json.writePretty("/dev/nvidia0"));
    }

    @Test
    void writesIntegersAndDecimalsAsRead() {
        assertEquals("-42", Json.writePretty(-42L));
        assertEquals("438", Json.writePretty(438));
        assertEquals(new BigDecimal("1.5e3"), Json.parse(Json.writeCompact(Json.parse("1.5e3"))));
    }

    @Test
    void writtenTextParsesBackToTheSameValue() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("k", List.of(Map.of("x", 1L), "y", List.of(List.of())));
        value.put("long string", "z".repeat(150));
        assertEquals(value, Json.parse(Json.writeCompact(value)));
        assertEquals(value, Json.parse(Json.writePretty(value)));
    }
}
