package io.github.s3sweeper.cli;

import io.github.s3sweeper.report.JsonReader;
import io.github.s3sweeper.testing.RuntimeSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The jar's event reader against the Lambda runtime's own serializer (on the test class path only): the same map, of
 * the same Java types in the same order, for every document both take; a refusal wherever the runtime refuses; and
 * where the runtime is lenient and this reader is not, a message that says so.
 */
class EventFileTest {

    /** What the runtime's reader makes of {@code content}, or the exception it throws. */
    private static Object runtime(byte[] content) {
        try {
            return RuntimeSerialization.readEvent(new ByteArrayInputStream(content));
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static Object ours(byte[] content) {
        try {
            return EventFile.parse("e.json", content);
        } catch (EventFile.UnreadableException e) {
            return e;
        }
    }

    /** The value with the class of every part and the order of every object's fields, so equal means the same. */
    static String typed(Object value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.getClass().getSimpleName());
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            map.forEach((k, v) -> out.append(typed(k)).append('=').append(typed(v)).append(','));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            out.append('[');
            list.forEach(v -> out.append(typed(v)).append(','));
            return out.append(']').toString();
        }
        return out.append('(').append(value).append(')').toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- random documents ----------------------------------------------------------------------------------------

    /** Writes random JSON: nesting, unicode and escapes, every number form, duplicate and empty field names. */
    static final class Writer {
        private static final String[] NAMES = {"a", "b", "prefix", "dryRun", "", "é", "k\"q", "\u2028", "😀", "x y"};
        private final Random random;
        private final StringBuilder out = new StringBuilder();

        Writer(long seed) {
            random = new Random(seed);
        }

        String document() {
            space();
            object(0);
            space();
            return out.toString();
        }

        private void space() {
            int n = random.nextInt(4) == 0 ? random.nextInt(3) : 0;
            for (int i = 0; i < n; i++) {
                out.append(" \t\n\r".charAt(random.nextInt(4)));
            }
        }

        private void object(int depth) {
            out.append('{');
            int fields = random.nextInt(depth == 0 ? 8 : 5);
            for (int i = 0; i < fields; i++) {
                if (i > 0) {
                    out.append(',');
                }
                space();
                string(random.nextInt(3) == 0 ? randomText() : NAMES[random.nextInt(NAMES.length)]);
                space();
                out.append(':');
                space();
                value(depth + 1);
                space();
            }
            out.append('}');
        }

        private void value(int depth) {
            int kind = random.nextInt(depth > 5 ? 6 : 8);
            switch (kind) {
                case 0 -> out.append("null");
                case 1 -> out.append(random.nextBoolean());
                case 2 -> whole();
                case 3 -> decimal();
                case 4, 5 -> string(randomText());
                case 6 -> object(depth);
                default -> {
                    out.append('[');
                    int n = random.nextInt(5);
                    for (int i = 0; i < n; i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        space();
                        value(depth + 1);
                        space();
                    }
                    out.append(']');
                }
            }
        }

        private void whole() {
            String[] edges = {"0", "-0", "2147483647", "2147483648", "-2147483648", "-2147483649",
                    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                    "999999999999999999", "1000000000000000000", "1000000000"};
            if (random.nextInt(3) == 0) {
                out.append(edges[random.nextInt(edges.length)]);
                return;
            }
            if (random.nextBoolean()) {
                out.append('-');
            }
            out.append(1 + random.nextInt(9));
            int more = random.nextInt(4) == 0 ? random.nextInt(60) : random.nextInt(12);
            for (int i = 0; i < more; i++) {
                out.append(random.nextInt(10));
            }
        }

        private void decimal() {
            String[] edges = {"-0.0", "0.0", "1e400", "-1e400", "1e-400", "4.9e-324", "1.7976931348623157e308",
                    "0.1", "1E2", "1e+2", "1.5E-2", "0e0", "-0e-0", "123456789012345678901234567890.5"};
            if (random.nextInt(3) == 0) {
                out.append(edges[random.nextInt(edges.length)]);
                return;
            }
            if (random.nextBoolean()) {
                out.append('-');
            }
            out.append(random.nextInt(4) == 0 ? "0" : String.valueOf(1 + random.nextInt(99999)));
            boolean fraction = random.nextBoolean();
            if (fraction) {
                out.append('.');
                int n = 1 + random.nextInt(random.nextInt(5) == 0 ? 40 : 6);
                for (int i = 0; i < n; i++) {
                    out.append(random.nextInt(10));
                }
            }
            if (!fraction || random.nextBoolean()) {
                out.append(random.nextBoolean() ? 'e' : 'E');
                out.append(new String[] {"", "+", "-"}[random.nextInt(3)]);
                out.append(random.nextInt(random.nextInt(4) == 0 ? 400 : 20));
            }
        }

        private String randomText() {
            StringBuilder text = new StringBuilder();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(10);
                if (pick < 4) {
                    text.append((char) ('a' + random.nextInt(26)));
                } else if (pick < 6) {
                    text.append("\"\\/\b\f\n\r\t\u0000\u001f".charAt(random.nextInt(10)));
                } else if (pick < 8) {
                    text.append((char) (0xA0 + random.nextInt(0xD000)));
                } else {
                    text.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
                }
            }
            return text.toString();
        }

        /** A JSON string of {@code text}, each character written plainly or as any escape JSON allows for it. */
        private void string(String text) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean mustEscape = c == '"' || c == '\\' || c < 0x20;
                if (!mustEscape && random.nextInt(6) != 0) {
                    out.append(c);
                } else if (random.nextBoolean() || "\"\\/\b\f\n\r\t".indexOf(c) < 0) {
                    String hex = String.format("%04x", (int) c);
                    out.append("\\u").append(random.nextBoolean() ? hex : hex.toUpperCase());
                } else {
                    out.append('\\').append("\"\\/bfnrt".charAt("\"\\/\b\f\n\r\t".indexOf(c)));
                }
            }
            if (random.nextInt(40) == 0) {
                // A lone surrogate, which only an escape can write.
                out.append("\\ud").append(random.nextBoolean() ? "800" : "c0f");
            }
            out.append('"');
        }
    }

    @Test
    void randomDocumentsReadAsTheRuntimeReadsThemTypeForTypeAndInOrder() {
        int duplicates = 0;
        for (long seed = 0; seed < 3000; seed++) {
            String json = new Writer(seed).document();
            byte[] content = utf8(seed % 10 == 0 ? "\uFEFF" + json : json);

            Object expected = runtime(content);
            assertThat(expected).as("seed %d: %s", seed, json).isInstanceOf(Map.class);
            Object actual = ours(content);

            assertThat(typed(actual)).as("seed %d: %s", seed, json).isEqualTo(typed(expected));
            assertThat(actual).isEqualTo(expected);
            if (json.matches("(?s).*\"(a|b)\".*\"\\1\".*")) {
                duplicates++;
            }
        }
        assertThat(duplicates).as("documents that may repeat a field name").isGreaterThan(100);
    }

    /** One character changed, dropped or added, at random, in a random document. */
    private static String mutate(String json, Random random) {
        String[] inserts = {"{", "}", "[", "]", ":", ",", "\"", "'", "\\", "0", "1", "-", ".", "e", "+", "a", "n",
                "t", "NaN", "Infinity", "/", "/*x*/", "#", "\n", "\t", "\u0000", "\u0001", "é", " ", "00", "x"};
        int at = random.nextInt(json.length() + 1);
        int what = random.nextInt(3);
        if (what == 0 && at < json.length()) {
            return json.substring(0, at) + json.substring(at + 1);
        }
        String insert = inserts[random.nextInt(inserts.length)];
        int end = what == 1 && at < json.length() ? at + 1 : at;
        return json.substring(0, at) + insert + json.substring(end);
    }

    @Test
    void aMutatedDocumentIsReadAsTheRuntimeReadsItOrRefusedWithTheDifferenceSaid() {
        Random random = new Random(20261201);
        int refusedByBoth = 0;
        int lenientOnly = 0;
        for (long seed = 0; seed < 3000; seed++) {
            String json = mutate(new Writer(seed).document(), random);
            byte[] content = utf8(json);

            Object expected = runtime(content);
            Object actual = ours(content);

            if (actual instanceof EventFile.UnreadableException refused) {
                if (expected instanceof Map) {
                    // Taken by the runtime, refused here: only ever where the message says the runtime would take it.
                    assertThat(refused.getMessage()).as(json).containsPattern("runtime's (own )?reader would");
                    lenientOnly++;
                } else {
                    refusedByBoth++;
                }
            } else {
                assertThat(expected).as(json).isInstanceOf(Map.class);
                assertThat(typed(actual)).as(json).isEqualTo(typed(expected));
            }
        }
        assertThat(refusedByBoth).isGreaterThan(1000);
        assertThat(lenientOnly).isGreaterThan(50);
    }

    // ---- where the runtime is lenient --------------------------------------------------------------------------

    /** A document the runtime's reader takes and this one refuses; {@code problem} is in the message. */
    record Lenient(String name, byte[] content, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Lenient> lenient() {
        return Stream.of(
                new Lenient("single quotes", utf8("{'trigger':'x'}"), "line 1, column 2: a field name in single"
                        + " quotes; JSON field names are in double quotes" + JsonReader.LENIENT),
                new Lenient("a single-quoted value", utf8("{\"trigger\": 'x'}"), "line 1, column 13: a string in"
                        + " single quotes; JSON strings are in double quotes" + JsonReader.LENIENT),
                new Lenient("unquoted field name", utf8("{trigger:\"x\"}"), "line 1, column 2: a field name without"
                        + " quotes; JSON field names are in double quotes" + JsonReader.LENIENT),
                new Lenient("leading zero", utf8("{\"keepLatest\": 007}"), "line 1, column 16: a number with a"
                        + " leading zero" + JsonReader.LENIENT),
                new Lenient("negative leading zero", utf8("{\"keepLatest\": -00}"), "line 1, column 17: a number"
                        + " with a leading zero"),
                new Lenient("NaN", utf8("{\"keepLatest\": NaN}"), "NaN and Infinity are not JSON numbers"),
                new Lenient("Infinity", utf8("{\"keepLatest\": Infinity}"), "NaN and Infinity are not JSON numbers"),
                new Lenient("-Infinity", utf8("{\"keepLatest\": -Infinity}"), "line 1, column 16: NaN and Infinity"),
                new Lenient("+Infinity", utf8("{\"keepLatest\": +Infinity}"), "NaN and Infinity are not JSON numbers"),
                new Lenient("any character escaped", utf8("{\"trigger\": \"a\\qb\"}"), "line 1, column 15: \\q is"
                        + " not a JSON escape; a backslash is followed by one of \" \\ / b f n r t u"),
                new Lenient("raw line break in a string", utf8("{\"trigger\": \"a\nb\"}"), "line 1, column 15:"
                        + " control character U+000A inside a string; write it escaped, as \\n" + JsonReader.LENIENT),
                new Lenient("raw NUL in a string", utf8("{\"trigger\": \"a\u0000b\"}"), "control character U+0000"
                        + " inside a string; write it escaped, as \\u0000"),
                new Lenient("a second object", utf8("{\"trigger\":\"x\"}{\"dryRun\":false}"), "line 1, column 16:"
                        + " unexpected '{' after the JSON object; the file must hold one object (the Lambda runtime's"
                        + " reader would ignore the rest)"),
                new Lenient("words after the object", utf8("{\"trigger\":\"x\"}\n trailing words"), "line 2,"
                        + " column 2: unexpected 't' after the JSON object"),
                new Lenient("a comment after the object", utf8("{}// nightly"), "unexpected '/' after the JSON"
                        + " object"),
                new Lenient("an unmatched bracket after the object", utf8("{}]"), "unexpected ']' after"),
                new Lenient("null", utf8("null"), "line 1, column 1: expected a JSON object, found null (the Lambda"
                        + " runtime's reader would take it as no input; a file must hold an object, {} for none)"),
                new Lenient("an empty array", utf8(" []"), "line 1, column 2: expected a JSON object, found an empty"
                        + " array (the Lambda runtime's reader would take it as no input"),
                new Lenient("an empty string", utf8("\"\""), "found an empty string (the Lambda runtime's reader"
                        + " would take it as no input"),
                new Lenient("an array of null", utf8("[null]"), "found an array (the Lambda runtime's reader would"
                        + " take it as no input"),
                new Lenient("an object in an array", utf8("[{\"trigger\":\"x\"}]"), "found an array (the Lambda"
                        + " runtime's reader would take the object inside; this reader takes the object alone)"),
                new Lenient("UTF-16LE", "{\"trigger\":\"x\"}".getBytes(StandardCharsets.UTF_16LE), "the file is"
                        + " UTF-16LE; save it as UTF-8, the encoding of JSON (the Lambda runtime's reader would detect"
                        + " UTF-16LE, this reader does not)"),
                new Lenient("UTF-16 with a byte order mark", "{}".getBytes(StandardCharsets.UTF_16), "the file is"
                        + " UTF-16BE"),
                new Lenient("UTF-16BE", "{}".getBytes(StandardCharsets.UTF_16BE), "the file is UTF-16BE"),
                new Lenient("UTF-32BE", "{}".getBytes(Charset.forName("UTF-32BE")), "the file is UTF-32BE"),
                new Lenient("UTF-32LE", "{}".getBytes(Charset.forName("UTF-32LE")), "the file is UTF-32LE"),
                new Lenient("an overlong UTF-8 form", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0,
                        (byte) 0xAF, '"', '}'}, "line 1, column 7: not UTF-8 (0xC0 at byte 7 of the file); event"
                        + " files are read as strict UTF-8 (the Lambda runtime's reader would take some invalid"
                        + " sequences, this reader takes none)"),
                new Lenient("an encoded surrogate", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED,
                        (byte) 0xA0, (byte) 0x80, '"', '}'}, "not UTF-8 (0xED 0xA0 0x80 at byte 7 of the file)"),
                new Lenient("a code point above U+10FFFF", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xF4,
                        (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', '}'}, "not UTF-8 (0xF4 at byte 7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lenient")
    void whatOnlyTheRuntimesLenientReaderTakesIsRefusedWithAMessageThatSaysSo(Lenient file) {
        assertThat(runtime(file.content()) instanceof Exception).as("the runtime refuses it").isFalse();

        assertThatThrownBy(() -> EventFile.parse("e.json", file.content()))
                .isInstanceOf(EventFile.UnreadableException.class)
                .hasMessageStartingWith("Cannot read the event file e.json: ")
                .hasMessageContaining(file.problem())
                .hasMessageContaining("runtime's");
    }

    // ---- what both refuse ----------------------------------------------------------------------------------------

    record Refused(String name, byte[] content, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refused> refusedByBoth() {
        return Stream.of(
                new Refused("empty", new byte[0], "line 1, column 1: the file is empty; expected a JSON object such"
                        + " as {}"),
                new Refused("white space only", utf8(" \n\t"), "line 2, column 2: the file holds only white space;"
                        + " expected a JSON object such as {}"),
                new Refused("a number", utf8("42"), "line 1, column 1: expected a JSON object, found a number"),
                new Refused("true", utf8("true"), "line 1, column 1: expected a JSON object, found true"),
                new Refused("a string", utf8("\"x\""), "line 1, column 1: expected a JSON object, found a string"),
                new Refused("an array", utf8("[1,2]"), "line 1, column 1: expected a JSON object, found an array"),
                new Refused("a bare word", utf8("hello"), "line 1, column 1: expected a JSON object, found 'h'"),
                new Refused("a comment", utf8("{\"trigger\":\"x\" /* nightly */}"), "line 1, column 16: expected"
                        + " ',' or '}' after the field's value, found '/': comments are not JSON"),
                new Refused("a comment before a field", utf8("{// nightly\n\"trigger\":\"x\"}"), "line 1, column 2:"
                        + " found '/': comments are not JSON"),
                new Refused("a comma before }", utf8("{\"trigger\":\"x\",}"), "line 1, column 16: expected a field"
                        + " name, found '}': a comma before '}' is not JSON"),
                new Refused("a comma before ]", utf8("{\"include\":[\"a\",]}"), "line 1, column 17: expected a"
                        + " value, found ']': a comma before ']' is not JSON"),
                new Refused("truncated", utf8("{\"prefix\":"), "line 1, column 11: expected a value, found the end"
                        + " of the file"),
                new Refused("unclosed object", utf8("{\n  \"prefix\": \"a/\""), "line 2, column 17: the file ends"
                        + " inside the object that starts at line 1, column 1; a '}' is missing"),
                new Refused("unclosed array", utf8("{\"include\": [\"a\""), "line 1, column 17: the file ends inside"
                        + " the array that starts at line 1, column 13; a ']' is missing"),
                new Refused("unclosed string", utf8("{\"prefix\": \"a/}"), "line 1, column 12: the file ends inside"
                        + " this string; a '\"' is missing"),
                new Refused("missing colon", utf8("{\"prefix\" \"a/\"}"), "line 1, column 11: expected ':' after the"
                        + " field name, found '\"'"),
                new Refused("missing comma", utf8("{\"include\": [\"a\" \"b\"]}"), "line 1, column 18: expected ','"
                        + " or ']' after the array's value, found '\"'"),
                new Refused("True", utf8("{\"dryRun\": True}"), "line 1, column 12: expected a value (an object,"
                        + " array, string, number, true, false or null), found 'T'"),
                new Refused("tru", utf8("{\"dryRun\": tru}"), "line 1, column 15: expected true, found '}'"),
                new Refused("plus sign", utf8("{\"keepLatest\": +1}"), "line 1, column 16: expected a value"),
                new Refused("bare decimal point", utf8("{\"keepLatest\": 1.}"), "line 1, column 18: expected a digit"
                        + " after the decimal point, found '}'"),
                new Refused("bare exponent", utf8("{\"keepLatest\": 1e+}"), "line 1, column 19: expected a digit in"
                        + " the exponent, found '}'"),
                new Refused("bare minus", utf8("{\"keepLatest\": -}"), "line 1, column 17: expected a digit after"
                        + " '-', found '}'"),
                new Refused("hexadecimal", utf8("{\"keepLatest\": 0x10}"), "line 1, column 17: expected ',' or '}'"
                        + " after the field's value, found 'x'"),
                new Refused("short \\u escape", utf8("{\"trigger\": \"\\u12\"}"), "line 1, column 18: expected four"
                        + " hexadecimal digits after \\u, found '\"'"),
                new Refused("a nested array as the event", utf8("[[{}]]"), "expected a JSON object, found an array"),
                new Refused("1001 levels", utf8("{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}"), "line 1,"
                        + " column 1005: objects and arrays nested more than 1000 deep, the most the Lambda runtime's"
                        + " reader takes"),
                new Refused("a number of 1001 digits", utf8("{\"keepLatest\":" + "9".repeat(1001) + "}"), "line 1,"
                        + " column 15: a number of 1001 digits, more than the 1000 the Lambda runtime's reader takes"),
                new Refused("a decimal of 1001 digits", utf8("{\"a\":-1." + "5".repeat(990) + "e-" + "1".repeat(10)
                        + "}"), "a number of 1001 digits"),
                new Refused("a field name of 50001 characters", utf8("{\"" + "n".repeat(50_001) + "\":1}"), "line 1,"
                        + " column 2: a field name of 50001 characters, more than the 50000 the Lambda runtime's"
                        + " reader takes"),
                new Refused("not UTF-8", new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                        "line 1, column 7: not UTF-8 (0xC3 at byte 7 of the file); event files are read as strict"
                                + " UTF-8"),
                new Refused("a control character between values", utf8("{\u0001}"), "line 1, column 2: expected a"
                        + " field name in double quotes, found U+0001"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByBoth")
    void whatTheRuntimeRefusesIsRefusedWithTheLineColumnAndWhatWasExpected(Refused file) {
        assertThat(runtime(file.content())).as("the runtime refuses it").isInstanceOf(RuntimeException.class);

        assertThatThrownBy(() -> EventFile.parse("events/e.json", file.content()))
                .isInstanceOf(EventFile.UnreadableException.class)
                .hasMessageStartingWith("Cannot read the event file events/e.json: ")
                .hasMessageContaining(file.message());
    }

    @Test
    void theMessageNamesTheExactFileLineAndColumn() {
        String json = "{\r\n  \"trigger\": \"😀 nightly\",\r\n  \"prefix\": \"a/\" \"b/\"\n}";

        assertThatThrownBy(() -> EventFile.parse("events/nightly.json", utf8(json)))
                .hasMessage("Cannot read the event file events/nightly.json: line 3, column 18: expected ',' or '}'"
                        + " after the field's value, found '\"'");
    }

    @Test
    void aMessageShowsAtMostOneCharacterOfTheInput() {
        String huge = "x".repeat(1_000_000);
        for (String json : List.of("\"" + huge + "\"", "{\"a\":\"" + huge + "\" " + huge + "}",
                "{\"" + huge + "\":1}", "[\"" + huge + "\"]", "{\"a\":" + "1".repeat(100_000) + "}")) {
            Throwable refused = catchThrowable(() -> EventFile.parse("e.json", utf8(json)));

            assertThat(refused).isInstanceOf(EventFile.UnreadableException.class);
            assertThat(refused.getMessage()).hasSizeLessThan(250).doesNotContain("xx");
        }
    }

    // ---- at the runtime's limits, and what both take -------------------------------------------------------------

    @Test
    void documentsAtTheRuntimesLimitsAreReadAsItReadsThem() {
        List<String> documents = new ArrayList<>(List.of(
                "{\"a\":" + "[".repeat(999) + "]".repeat(999) + "}",
                "{\"a\":" + "9".repeat(1000) + ",\"b\":-" + "9".repeat(1000) + "}",
                "{\"a\":1." + "9".repeat(999) + ",\"b\":-" + "9".repeat(500) + "." + "9".repeat(500) + "}",
                "{\"a\":1e" + "0".repeat(998) + "1,\"b\":" + "9".repeat(999) + "e1}",
                "{\"" + "n".repeat(50_000) + "\":1}",
                "{\"" + "\\u0041".repeat(50_000) + "\":1}",
                "\uFEFF{\"trigger\":\"x\"}",
                "{}", " {\n}\n", "{\"a\":[],\"b\":{},\"c\":\"\",\"\":null}",
                "{\"a\":1,\"a\":2,\"b\":3,\"a\":null}", "{\"a\":{\"x\":1},\"a\":{\"y\":2}}"));
        for (String json : documents) {
            Object expected = runtime(utf8(json));
            assertThat(expected).as(json.length() > 100 ? json.substring(0, 100) : json).isInstanceOf(Map.class);

            assertThat(typed(EventFile.parse("e.json", utf8(json)))).isEqualTo(typed(expected));
        }
    }

    // ---- the file ----------------------------------------------------------------------------------------------

    @Test
    void aFileIsReadWhole(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("nightly.json"), "{\"trigger\": \"nightly\", \"keepLatest\": 3}");

        assertThat(EventFile.read(file)).containsExactly(Map.entry("trigger", "nightly"), Map.entry("keepLatest", 3));
    }

    @Test
    void aMissingFileADirectoryAndAFileOverLambdasPayloadLimitAreRefusedByName(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.json");
        Path large = Files.writeString(dir.resolve("large.json"), "{\"a\":\"" + "x".repeat(EventFile.MAX_BYTES)
                + "\"}");

        assertThatThrownBy(() -> EventFile.read(missing))
                .hasMessage("Cannot read the event file " + missing + ": no such file");
        assertThatThrownBy(() -> EventFile.read(dir))
                .hasMessage("Cannot read the event file " + dir + ": it is a directory");
        assertThatThrownBy(() -> EventFile.read(large))
                .hasMessage("Cannot read the event file " + large + ": " + (EventFile.MAX_BYTES + 8) + " bytes, more"
                        + " than the 6291456 (6 MB) Lambda takes as an invocation's payload");
    }
}
