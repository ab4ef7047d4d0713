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

/** The parser both CDI spec files and NVML recordings are read with (merged from cdi.JsonReaderTest and nvml.JsonTest). */
class JsonParseTest {

    private static JsonParseException assertRejected(String json, String fragment) {
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse(json));
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
        return e;
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
    void numbersThatAreNotWholeOrTooBigStayDecimal() {
        assertEquals(new BigDecimal("1.5"), Json.parse("1.5"));
        assertEquals(new BigDecimal("1e3"), Json.parse("1e3"));
        assertEquals(new BigDecimal("99999999999999999999"), Json.parse("99999999999999999999"));
    }

    @Test
    void readsWhatEitherWriterWrites() {
        String tricky = "q\"b\\n\n\t\u0001\u2028é";
        assertEquals(tricky, Json.parse(Json.writePretty(tricky)));
        assertEquals(tricky, Json.parse(Json.writeFitted(tricky)));
    }

    @Test
    void rejectsDuplicateKeys() {
        assertRejected("{\"a\": 1, \"a\": 2}", "duplicate key \"a\"");
    }

    @Test
    void rejectsTrailingCommas() {
        assertRejected("[1, 2,]", "unexpected character ']'");
        assertRejected("{\"a\": 1,}", "expected a quoted object key");
    }

    @Test
    void rejectsComments() {
        assertRejected("{} // done", "unexpected text after the JSON value");
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        assertRejected("\"a\nb\"", "raw control character");
    }

    @Test
    void rejectsInvalidEscapes() {
        assertRejected("\"\\x\"", "invalid escape '\\x'");
        assertRejected("\"\\u12g4\"", "invalid \\u escape");
    }

    @Test
    void rejectsLeadingZerosAndBareSigns() {
        assertRejected("012", "leading zeros");
        assertRejected("-", "expected a digit");
        assertRejected("1.", "expected a digit");
    }

    @Test
    void rejectsMalformedNumbers() {
        assertRejected("1.2.3", "unexpected text after the JSON value");
    }

    @Test
    void rejectsUnterminatedInput() {
        assertRejected("{\"a\": [1", "unexpected end of input");
        assertRejected("[1, 2", "unexpected end of input");
        assertRejected("\"abc", "unterminated string");
        assertRejected("\"open", "unterminated string");
        assertRejected("", "unexpected end of input");
    }

    @Test
    void rejectsSingleQuotesAndBareWords() {
        assertRejected("{'a': 1}", "expected a quoted object key");
        assertRejected("True", "unexpected character 'T'");
        assertRejected("{} x", "unexpected text after the JSON value");
    }

    @Test
    void rejectsWhitespaceThatJsonDoesNotAllow() {
        assertRejected("\u000b1", "unexpected character '\\u000b'");
    }

    @Test
    void rejectsDeepNestingInsteadOfOverflowingTheStack() {
        assertRejected("[".repeat(10_000), "nesting deeper than 64");
    }

    @Test
    void errorsNameLineAndColumn() {
        assertRejected("{\n  \"a\": 1,\n  \"a\": 2\n}", "line 3, column 3");
        JsonParseException e = assertRejected("{\n  \"a\": tru\n}", "unexpected character 't'");
        assertTrue(e.getMessage().startsWith("line 2, column 8:"), e.getMessage());
        assertEquals(2, e.line());
        assertEquals(8, e.column());
        assertEquals("unexpected character 't'", e.problem());
    }
}
