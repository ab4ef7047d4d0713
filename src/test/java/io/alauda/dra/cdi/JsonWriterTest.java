package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonWriterTest {

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
                + "}", JsonWriter.write(tree));
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001f\\r\\b\\f\"", JsonWriter.write("a\"b\\c\nd\te\u0001f\r\b\f"));
    }

    @Test
    void escapesLineSeparatorsAndLoneSurrogatesButKeepsOtherUnicode() {
        assertEquals("\"\\u2028\\u2029\"", JsonWriter.write("\u2028\u2029"));
        assertEquals("\"\\ud800x\"", JsonWriter.write("\ud800x"));
        assertEquals("\"é😀\"", JsonWriter.write("é\ud83d\ude00"));
    }

    @Test
    void slashIsNotEscaped() {
        assertEquals("\"/dev/nvidia0\"", JsonWriter.write("/dev/nvidia0"));
    }

    @Test
    void writesIntegersOnly() {
        assertEquals("-42", JsonWriter.write(-42L));
        assertEquals("438", JsonWriter.write(438));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(1.5));
    }
}
