package io.alauda.dra.nvml;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object parsed = Json.parse(" {\"s\": \"a\\\"b\\\\c\\n\\u00e9\", \"i\": -42, \"d\": 1.5e3, \"t\": true, \"f\": false,"
                + " \"n\": null, \"l\": [1, [], {}]} ");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "a\"b\\c\né");
        expected.put("i", -42L);
        expected.put("d", new BigDecimal("1.5e3"));
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        expected.put("l", List.of(1L, List.of(), Map.of()));
        assertEquals(expected, parsed);
    }

    @Test
    void writesScalarsOfShortObjectsInlineAndNestsTheRest() {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("name", "gpu-0");
        device.put("attributes", Map.of("type", Map.of("string", "gpu")));
        device.put("tags", Arrays.asList("a", null, 3L, true));

        assertEquals("""
                {
                  "name": "gpu-0",
                  "attributes": {
                    "type": {"string": "gpu"}
                  },
                  "tags": ["a", null, 3, true]
                }""", Json.write(device));
    }

    @Test
    void escapesWhatJsonRequires() {
        assertEquals("\"tab\\there \\\"q\\\" \\u0001\"", Json.write("tab\there \"q\" \u0001"));
    }

    @Test
    void writtenTextParsesBackToTheSameValue() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("k", List.of(Map.of("x", 1L), "y", List.of(List.of())));
        value.put("long string", "z".repeat(150));
        assertEquals(value, Json.parse(Json.write(value)));
    }

    @Test
    void errorsSayWhereTheProblemIs() {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("{\n  \"a\": tru\n}"));
        assertTrue(e.getMessage().startsWith("line 2, column 8:"), e.getMessage());
        assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"));
        assertThrows(Json.ParseException.class, () -> Json.parse("[1, 2"));
        assertThrows(Json.ParseException.class, () -> Json.parse("{} x"));
        assertThrows(Json.ParseException.class, () -> Json.parse("\"open"));
        assertThrows(Json.ParseException.class, () -> Json.parse("1.2.3"));
        assertThrows(Json.ParseException.class, () -> Json.parse(""));
    }

    @Test
    void deepNestingIsRefusedInsteadOfOverflowingTheStack() {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("[".repeat(10_000)));
        assertTrue(e.getMessage().contains("nesting deeper than"), e.getMessage());
    }
}
