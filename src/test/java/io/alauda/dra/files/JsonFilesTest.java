package io.alauda.dra.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both layouts (pretty for CDI specs, fitted for NVML recordings and discover's output) and the strict reading. */
class JsonFilesTest {

    private static String rejected(String text) {
        return JsonFiles.problem(assertThrows(JsonProcessingException.class, () -> JsonFiles.parse(text)));
    }

    private static void assertRejected(String text, String start) {
        String problem = rejected(text);
        assertTrue(problem.startsWith(start), "'" + problem + "' does not start with '" + start + "'");
    }

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
                + "}", JsonFiles.pretty(tree));
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
                }""", JsonFiles.fitted(device));
        assertEquals("{\"value\": {\"major\": 8}}", JsonFiles.fitted(Map.of("value", Map.of("major", 8L))));
        Map<String, Object> empties = new LinkedHashMap<>();
        empties.put("a", Map.of());
        empties.put("b", List.of());
        assertEquals("{\"a\": {}, \"b\": []}", JsonFiles.fitted(empties));
        assertEquals("null", JsonFiles.fitted(null));
    }

    @Test
    void fittedCountsTheColumnWhereAListItemStarts() {
        // Indented by 2, a 118-character array ends exactly at column 120; one more character and it nests.
        List<Object> fits = List.of(List.of("x".repeat(114)), "y");
        List<Object> overflows = List.of(List.of("x".repeat(115)), "y");

        assertEquals("[\n  [\"" + "x".repeat(114) + "\"],\n  \"y\"\n]", JsonFiles.fitted(fits));
        assertEquals("[\n  [\n    \"" + "x".repeat(115) + "\"\n  ],\n  \"y\"\n]", JsonFiles.fitted(overflows));
    }

    @Test
    void escapesAsTheFilesAlwaysHadThem() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001f\\r\\b\\f\\u001f\"", JsonFiles.pretty("a\"b\\c\nd\te\u0001f\r\b\f\u001f"));
        assertEquals("\"\\u2028\\u2029 é😀\"", JsonFiles.fitted("\u2028\u2029 é\ud83d\ude00"));
        assertEquals("\"/dev/nvidia0\"", JsonFiles.inline("/dev/nvidia0"));
    }

    @Test
    void readsWholeNumbersAsLongOthersAsExactDecimalsAndKeepsKeyOrder() throws Exception {
        Map<?, ?> value = (Map<?, ?>) JsonFiles.parse("{\"z\": 1, \"a\": 85520809984, \"d\": 1.5e3, \"s\": \"\\u00e9\"}");

        assertEquals(List.of("z", "a", "d", "s"), List.copyOf(value.keySet()));
        assertInstanceOf(Long.class, value.get("z"));
        assertEquals(85520809984L, value.get("a"));
        assertEquals(new BigDecimal("1.5e3"), value.get("d"));
        assertEquals("é", value.get("s"));
        assertEquals("{\"z\": 1, \"a\": 85520809984, \"d\": 1.5E+3, \"s\": \"é\"}", JsonFiles.fitted(value));
    }

    @Test
    void rejectsWhatRfc8259RejectsNamingLineAndColumn() {
        assertEquals("line 2, column 5: Duplicate field 'a'", rejected("{\"a\": 1,\n \"a\": 2}"));
        assertRejected("{\"a\": 1} x", "line 1, column 10: Unrecognized token 'x'");
        assertRejected("[1] [2]", "line 1, column 5: Trailing token");
        assertRejected("{\"a\": 1,}", "line 1, column 9: Unexpected character ('}'");
        assertRejected("// c\n{}", "line 1, column 1: Unexpected character ('/'");
        assertRejected("{'a': 1}", "line 1, column 2: Unexpected character (''' (code 39)): was expecting double-quote");
        assertRejected("[01]", "line 1, column 3: Invalid numeric value: Leading zeroes");
        assertRejected("[\"a\tb\"]", "line 1, column 4: Illegal unquoted character");
        assertRejected("{\"a\": ", "line 1, column 7: Unexpected end-of-input");
    }
}
