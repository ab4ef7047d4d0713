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
    void writesWhatFitsOn120ColumnsOnOneLineAndNestsTheRest() {
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
                }""", Json.write(device));
        assertEquals("{\"value\": {\"major\": 8}}", Json.write(Map.of("value", Map.of("major", 8L))));
        Map<String, Object> empties = new LinkedHashMap<>();
        empties.put("a", Map.of());
        empties.put("b", List.of());
        assertEquals("{\"a\": {}, \"b\": []}", Json.write(empties));
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
