package io.alauda.dra.cdi;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReaderTest {

    private static void assertRejected(String json, String fragment) {
        CdiException e = assertThrows(CdiException.class, () -> JsonReader.parse(json));
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void readsObjectsArraysAndScalars() throws Exception {
        Object tree = JsonReader.parse(" {\"a\": [1, -2, \"x\", true, false, null], \"b\": {}} ");

        assertEquals(Map.of("a", Arrays.asList(1L, -2L, "x", true, false, null), "b", Map.of()), tree);
    }

    @Test
    void keepsKeyOrder() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) JsonReader.parse("{\"z\": 1, \"a\": 2, \"m\": 3}");

        assertEquals(List.of("z", "a", "m"), List.copyOf(tree.keySet()));
    }

    @Test
    void decodesEscapes() throws Exception {
        assertEquals("a\"b\\c/d\ne\u00e9\ud83d\ude00", JsonReader.parse("\"a\\\"b\\\\c\\/d\\ne\\u00e9\\ud83d\\ude00\""));
    }

    @Test
    void numbersThatAreNotWholeOrTooBigStayDecimal() throws Exception {
        assertEquals(new BigDecimal("1.5"), JsonReader.parse("1.5"));
        assertEquals(new BigDecimal("1e3"), JsonReader.parse("1e3"));
        assertEquals(new BigDecimal("99999999999999999999"), JsonReader.parse("99999999999999999999"));
    }

    @Test
    void readsWhatTheWriterWrites() throws Exception {
        String tricky = "q\"b\\n\n\t\u0001\u2028é";
        assertEquals(tricky, JsonReader.parse(JsonWriter.write(tricky)));
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
    void rejectsUnterminatedInput() {
        assertRejected("{\"a\": [1", "unexpected end of input");
        assertRejected("\"abc", "unterminated string");
        assertRejected("", "unexpected end of input");
    }

    @Test
    void rejectsSingleQuotesAndBareWords() {
        assertRejected("{'a': 1}", "expected a quoted object key");
        assertRejected("True", "unexpected character 'T'");
    }

    @Test
    void rejectsDeepNestingInsteadOfOverflowingTheStack() {
        assertRejected("[".repeat(10_000), "nesting deeper than 64");
    }

    @Test
    void errorsNameLineAndColumn() {
        assertRejected("{\n  \"a\": 1,\n  \"a\": 2\n}", "line 3, column 3");
    }
}
