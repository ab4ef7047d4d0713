package io.alauda.dra.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Both layouts: pretty (CDI spec files) and fitted (NVML recordings, discover output). */
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
    void fittedWritesWhatFitsOn120ColumnsOnOneLineAndNestsTheRest() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("productName", Map.of("string", "NVIDIA A100-SXM4-40GB"));
        attributes.put("uuid", Map.of("string", "MIG-6a7b8c9d-0e1f-5a2b-9c3d-4e5f6a7b8c9d"));
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("name", "gpu-1-mig-1g5gb-me-20-6");
        device.put("attributes", attributes);
        device.put("tags", Arrays.asList("a", null, 3L, true));

        // "attributes" on one line would end at column 132.
        assertEquals("""
                {
                  "name": "gpu-1-mig-1g5gb-me-20-6",
                  "attributes": {
                    "productName": {"string": "NVIDIA A100-SXM4-40GB"},
                    "uuid": {"string": "MIG-6a7b8c9d-0e1f-5a2b-9c3d-4e5f6a7b8c9d"}
                  },
                  "tags": ["a", null, 3, true]
                }""", Json.writeFitted(device));
        assertEquals("{\"value\": {\"major\": 8}}", Json.writeFitted(Map.of("value", Map.of("major", 8L))));
        Map<String, Object> empties = new LinkedHashMap<>();
        empties.put("a", Map.of());
        empties.put("b", List.of());
        assertEquals("{\"a\": {}, \"b\": []}", Json.writeFitted(empties));
    }

    @Test
    void fittedCountsTheColumnWhereAListItemStarts() {
        // Indented by 2, a 118-character array ends exactly at column 120; one more character and it nests.
        List<Object> fits = List.of(List.of("x".repeat(114)), "y");
        List<Object> overflows = List.of(List.of("x".repeat(115)), "y");

        assertEquals("[\n  [\"" + "x".repeat(114) + "\"],\n  \"y\"\n]", Json.writeFitted(fits));
        assertEquals("[\n  [\n    \"" + "x".repeat(115) + "\"\n  ],\n  \"y\"\n]", Json.writeFitted(overflows));
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001f\\r\\b\\f\"", Json.writePretty("a\"b\\c\nd\te\u0001f\r\b\f"));
        assertEquals("\"tab\\there \\\"q\\\" \\u0001\"", Json.writeFitted("tab\there \"q\" \u0001"));
    }

    @Test
    void escapesLineSeparatorsAndLoneSurrogatesButKeepsOtherUnicode() {
        assertEquals("\"\\u2028\\u2029\"", Json.writePretty("\u2028\u2029"));
        assertEquals("\"\\ud800x\"", Json.writePretty("\ud800x"));
        assertEquals("\"é😀\"", Json.writePretty("é\ud83d\ude00"));
        assertEquals("\"\\u2028\\ud800x\"", Json.writeFitted("\u2028\ud800x"));
    }

    @Test
    void slashIsNotEscaped() {
        assertEquals("\"/dev/nvidia0\"", Json.writePretty("/dev/nvidia0"));
    }

    @Test
    void writesIntegersAndDecimalsButNeverBinaryFloatingPoint() {
        assertEquals("-42", Json.writePretty(-42L));
        assertEquals("438", Json.writePretty(438));
        assertThrows(IllegalArgumentException.class, () -> Json.writePretty(1.5));
        assertThrows(IllegalArgumentException.class, () -> Json.writeFitted(1.5f));
        assertEquals("1.5E+3", Json.writeFitted(Json.parse("1.5e3")));
        assertEquals(new BigDecimal("1.5e3"), Json.parse(Json.writeFitted(new BigDecimal("1.5e3"))));
    }

    @Test
    void objectKeysMustBeStrings() {
        assertThrows(IllegalArgumentException.class, () -> Json.writeFitted(Map.of(1L, "one")));
        assertThrows(IllegalArgumentException.class, () -> Json.writePretty(Map.of(1L, "one")));
    }

    @Test
    void writtenTextParsesBackToTheSameValue() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("k", List.of(Map.of("x", 1L), "y", List.of(List.of())));
        value.put("long string", "z".repeat(150));
        assertEquals(value, Json.parse(Json.writeFitted(value)));
        assertEquals(value, Json.parse(Json.writePretty(value)));
    }
}
