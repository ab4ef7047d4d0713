package io.alauda.dra.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strictness CDI spec files and NVML recordings are read with: Jackson as {@link Json} configures it must refuse
 * everything RFC 8259 does not allow, and say where. The wording is Jackson's, so only the facts are checked.
 */
class JsonParseTest {

    private static JsonParseException assertRejected(String json, String fragment) {
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse(json));
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
        return e;
    }

    private static JsonParseException assertRejected(String json) {
        return assertRejected(json, "");
    }

    @Test
    void readsObjectsArraysAndScalars() {
        Object tree = Json.parse(" {\"a\": [1, -2, \"x\", true, false, null], \"b\": {}} ");

        assertEquals(Map.of("a", Arrays.asList(1L, -2L, "x", true, false, null), "b", Map.of()), tree);
    }

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
    void keepsKeyOrder() {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) Json.parse("{\"z\": 1, \"a\": 2, \"m\": 3}");

        assertEquals(List.of("z", "a", "m"), List.copyOf(tree.keySet()));
    }

    @Test
    void decodesEscapes() {
        assertEquals("a\"b\\c/d\ne\u00e9\ud83d\ude00", Json.parse("\"a\\\"b\\\\c\\/d\\ne\\u00e9\\ud83d\\ude00\""));
    }

    @Test
    void numbersThatAreNotWholeStayDecimalAndWholeOnesMustFit64Bits() {
        assertEquals(new BigDecimal("1.5"), Json.parse("1.5"));
        assertEquals(new BigDecimal("1e3"), Json.parse("1e3"));
        assertRejected("99999999999999999999", "out of range of long");
    }

    @Test
    void readsWhatEitherWriterWrites() {
        String tricky = "q\"b\\n\n\t\u0001\u2028é";
        assertEquals(tricky, Json.parse(Json.writePretty(tricky)));
        assertEquals(tricky, Json.parse(Json.writeCompact(tricky)));
    }

    @Test
    void rejectsDuplicateKeys() {
        assertRejected("{\"a\": 1, \"a\": 2}", "Duplicate field 'a'");
    }

    @Test
    void rejectsTrailingCommas() {
        assertRejected("[1, 2,]");
        assertRejected("{\"a\": 1,}");
    }

    @Test
    void rejectsComments() {
        assertRejected("{} // done");
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        assertRejected("\"a\nb\"");
    }

    @Test
    void rejectsInvalidEscapes() {
        assertRejected("\"\\x\"");
        assertRejected("\"\\u12g4\"");
    }

    @Test
    void rejectsLeadingZerosAndBareSigns() {
        assertRejected("012");
        assertRejected("-");
        assertRejected("1.");
    }

    @Test
    void rejectsMalformedNumbers() {
        assertRejected("1.2.3");
    }

    @Test
    void rejectsUnterminatedInput() {
        assertRejected("{\"a\": [1");
        assertRejected("[1, 2");
        assertRejected("\"abc");
        assertRejected("\"open");
        assertRejected("");
    }

    @Test
    void rejectsSingleQuotesAndBareWords() {
        assertRejected("{'a': 1}");
        assertRejected("True");
        assertRejected("{} x");
    }

    @Test
    void rejectsWhitespaceThatJsonDoesNotAllow() {
        assertRejected("\u000b1");
    }

    @Test
    void rejectsDeepNestingInsteadOfOverflowingTheStack() {
        assertRejected("[".repeat(10_000), "nesting depth (65) exceeds the maximum allowed (64");
    }

    @Test
    void errorsNameLineAndColumn() {
        assertRejected("{\n  \"a\": 1,\n  \"a\": 2\n}", "line 3, column ");
        JsonParseException e = assertRejected("{\n  \"a\": tru\n}");
        assertTrue(e.getMessage().startsWith("line 2, column "), e.getMessage());
        assertEquals(2, e.line());
        assertTrue(e.column() >= 8 && e.column() <= 11, "column " + e.column() + " points into 'tru'");
        assertTrue(e.problem().contains("tru"), e.problem());
    }

    @Test
    void messagesCarryNoSourceNoise() {
        JsonParseException e = assertRejected("[1, 2");
        assertTrue(!e.getMessage().contains("REDACTED"), e.getMessage());
    }
}
