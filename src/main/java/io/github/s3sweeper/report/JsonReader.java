package io.github.s3sweeper.report;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Standard JSON (RFC 8259) read into the Java values the Lambda Java runtime hands a {@code Map<String, Object>}
 * handler: {@link LinkedHashMap}, {@link ArrayList}, String, Boolean, null, and for numbers what its Jackson makes of
 * them: Integer, Long or BigInteger for a whole number (the smallest that holds it; {@code -0} is 0), Double for one
 * with a fraction or an exponent (overflowing to Infinity, never BigDecimal). A duplicate field keeps its first place
 * and takes its last value. Where that Jackson has limits (1,000 levels of nesting, 1,000 digits in a number, 50,000
 * characters in a field name) this reader refuses the same documents. {@code EventFileTest} checks all of it against
 * the runtime's serializer. What this reader refuses although the runtime's reader takes it is listed in
 * {@link EventFile}.
 */
public final class JsonReader {

    static final int MAX_DEPTH = 1000;
    static final int MAX_NUMBER_DIGITS = 1000;
    static final int MAX_NAME_LENGTH = 50_000;

    /** Said wherever the runtime's reader would take what this one refuses, so nobody takes it for a bug there. */
    public static final String LENIENT = " (not standard JSON: the Lambda runtime's own reader would take it, this reader"
            + " does not)";

    /** A document this reader refuses; {@code offset} is the index in the text where the problem is. */
    public static final class SyntaxException extends Exception {
        private final int offset;

        SyntaxException(int offset, String message) {
            super(message, null, false, false);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    private final String text;
    private int pos;
    private int depth;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * The one JSON value {@code text} holds (an object, an array, a string, ...), with nothing but white space around
     * it: for documents that are not invocation inputs, such as the result files a Distributed Map writes.
     */
    public static Object readValue(String text) throws SyntaxException {
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        Object value = reader.value();
        reader.skipWhitespace();
        if (!reader.atEnd()) {
            throw reader.error("unexpected " + reader.found() + " after the JSON value");
        }
        return value;
    }

    /** The one JSON object {@code text} holds, with nothing but white space around it. */
    public static Map<String, Object> readObject(String text) throws SyntaxException {
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        if (reader.atEnd()) {
            throw reader.error(text.isEmpty() ? "the file is empty; expected a JSON object such as {}"
                    : "the file holds only white space; expected a JSON object such as {}");
        }
        int start = reader.pos;
        if ("{[\"-0123456789tfn".indexOf(reader.peek()) < 0) {
            throw reader.error("expected a JSON object, found " + reader.found());
        }
        Object value = reader.value();
        if (!(value instanceof Map<?, ?>)) {
            throw new SyntaxException(start, "expected a JSON object, found " + kind(value) + runtimeReading(value));
        }
        reader.skipWhitespace();
        if (!reader.atEnd()) {
            throw reader.error("unexpected " + reader.found() + " after the JSON object; the file must hold one object"
                    + " (the Lambda runtime's reader would ignore the rest)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        return object;
    }

    private static String kind(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "an empty array" : "an array";
        }
        if (value instanceof String s) {
            return s.isEmpty() ? "an empty string" : "a string";
        }
        return value instanceof Boolean ? String.valueOf(value) : "a number";
    }

    /** The top-level values that are not objects and that the runtime's reader still takes, and as what. */
    private static String runtimeReading(Object value) {
        boolean none = value == null || "".equals(value) || value instanceof List<?> list
                && (list.isEmpty() || list.size() == 1 && list.get(0) == null);
        if (none) {
            return " (the Lambda runtime's reader would take it as no input; a file must hold an object, {} for none)";
        }
        if (value instanceof List<?> list && list.size() == 1 && list.get(0) instanceof Map) {
            return " (the Lambda runtime's reader would take the object inside; this reader takes the object alone)";
        }
        return "";
    }

    private Object value() throws SyntaxException {
        if (atEnd()) {
            throw error("expected a value, found the end of the file");
        }
        char c = peek();
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string(false);
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            case '\'':
                throw error("a string in single quotes; JSON strings are in double quotes" + LENIENT);
            case 'N':
            case 'I':
            case '+':
                if (text.startsWith("NaN", pos) || text.startsWith("Infinity", pos)
                        || text.startsWith("+Infinity", pos)) {
                    throw error("NaN and Infinity are not JSON numbers" + LENIENT);
                }
                break;
            case '/':
            case '#':
                throw error("found " + found() + ": comments are not JSON");
            default:
                if (c == '-' || c >= '0' && c <= '9') {
                    return number();
                }
        }
        throw error("expected a value (an object, array, string, number, true, false or null), found " + found());
    }

    private Map<String, Object> object() throws SyntaxException {
        int start = pos;
        enter();
        pos++;
        Map<String, Object> object = new LinkedHashMap<>();
        skipWhitespace();
        if (!atEnd() && peek() == '}') {
            pos++;
            depth--;
            return object;
        }
        while (true) {
            skipWhitespace();
            String name = fieldName(start);
            skipWhitespace();
            if (atEnd() || peek() != ':') {
                throw atEnd() ? unclosed("object", start) : error("expected ':' after the field name, found "
                        + found());
            }
            pos++;
            skipWhitespace();
            object.put(name, value());
            skipWhitespace();
            if (atEnd()) {
                throw unclosed("object", start);
            }
            char c = text.charAt(pos++);
            if (c == '}') {
                depth--;
                return object;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' after the field's value, found " + found() + commentNote());
            }
        }
    }

    private String fieldName(int objectStart) throws SyntaxException {
        if (atEnd()) {
            throw unclosed("object", objectStart);
        }
        char c = peek();
        if (c == '"') {
            return string(true);
        }
        if (c == '}') {
            throw error("expected a field name, found '}': a comma before '}' is not JSON");
        }
        if (c == '\'') {
            throw error("a field name in single quotes; JSON field names are in double quotes" + LENIENT);
        }
        if (Character.isJavaIdentifierStart(c)) {
            throw error("a field name without quotes; JSON field names are in double quotes" + LENIENT);
        }
        if (c == '/' || c == '#') {
            throw error("found " + found() + ": comments are not JSON");
        }
        throw error("expected a field name in double quotes, found " + found());
    }

    private List<Object> array() throws SyntaxException {
        int start = pos;
        enter();
        pos++;
        List<Object> array = new ArrayList<>();
        skipWhitespace();
        if (!atEnd() && peek() == ']') {
            pos++;
            depth--;
            return array;
        }
        while (true) {
            skipWhitespace();
            if (atEnd()) {
                throw unclosed("array", start);
            }
            if (peek() == ']') {
                throw error("expected a value, found ']': a comma before ']' is not JSON");
            }
            array.add(value());
            skipWhitespace();
            if (atEnd()) {
                throw unclosed("array", start);
            }
            char c = text.charAt(pos++);
            if (c == ']') {
                depth--;
                return array;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' after the array's value, found " + found() + commentNote());
            }
        }
    }

    private void enter() throws SyntaxException {
        if (++depth > MAX_DEPTH) {
            throw error("objects and arrays nested more than " + MAX_DEPTH + " deep, the most the Lambda runtime's"
                    + " reader takes");
        }
    }

    private String string(boolean name) throws SyntaxException {
        int start = pos++;
        StringBuilder escaped = null;
        int plainFrom = pos;
        while (true) {
            if (atEnd()) {
                throw new SyntaxException(start, "the file ends inside this " + (name ? "field name" : "string")
                        + "; a '\"' is missing");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String value = escaped == null ? text.substring(plainFrom, pos)
                        : escaped.append(text, plainFrom, pos).toString();
                pos++;
                if (name && value.length() > MAX_NAME_LENGTH) {
                    throw new SyntaxException(start, "a field name of " + value.length() + " characters, more than"
                            + " the " + MAX_NAME_LENGTH + " the Lambda runtime's reader takes");
                }
                return value;
            }
            if (c < 0x20) {
                throw error("control character " + found() + " inside a string; write it escaped, as "
                        + escapeFor(c) + LENIENT);
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (escaped == null) {
                escaped = new StringBuilder(pos - plainFrom + 16);
            }
            escaped.append(text, plainFrom, pos);
            escaped.append(escape());
            plainFrom = pos;
        }
    }

    /** The character an escape sequence stands for; {@code pos} is at its backslash and moves past it. */
    private char escape() throws SyntaxException {
        int backslash = pos++;
        if (atEnd()) {
            throw error("the file ends inside an escape sequence");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '"':
            case '\\':
            case '/':
                return c;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = atEnd() ? -1 : Character.digit(text.charAt(pos), 16);
                    if (digit < 0) {
                        throw error("expected four hexadecimal digits after \\u, found " + found());
                    }
                    code = code * 16 + digit;
                    pos++;
                }
                // A lone surrogate (\ud800) is kept as it is, as the runtime's reader keeps it.
                return (char) code;
            default:
                pos--;
                throw new SyntaxException(backslash, "\\" + printable(c) + " is not a JSON escape; a backslash is"
                        + " followed by one of \" \\ / b f n r t u" + LENIENT);
        }
    }

    private static String escapeFor(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> String.format("\\u%04x", (int) c);
        };
    }

    private Object number() throws SyntaxException {
        int start = pos;
        if (peek() == '-') {
            pos++;
            if (text.startsWith("Infinity", pos)) {
                pos--;
                throw error("NaN and Infinity are not JSON numbers" + LENIENT);
            }
        }
        int digits = digits();
        if (digits == 0) {
            throw error("expected a digit after '-', found " + found());
        }
        if (digits > 1 && text.charAt(pos - digits) == '0') {
            throw new SyntaxException(pos - digits, "a number with a leading zero" + LENIENT);
        }
        boolean whole = true;
        if (!atEnd() && peek() == '.') {
            pos++;
            whole = false;
            int fraction = digits();
            if (fraction == 0) {
                throw error("expected a digit after the decimal point, found " + found());
            }
            digits += fraction;
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            pos++;
            whole = false;
            if (!atEnd() && (peek() == '+' || peek() == '-')) {
                pos++;
            }
            int exponent = digits();
            if (exponent == 0) {
                throw error("expected a digit in the exponent, found " + found());
            }
            digits += exponent;
        }
        if (digits > MAX_NUMBER_DIGITS) {
            throw new SyntaxException(start, "a number of " + digits + " digits, more than the " + MAX_NUMBER_DIGITS
                    + " the Lambda runtime's reader takes");
        }
        String number = text.substring(start, pos);
        if (!whole) {
            return Double.parseDouble(number);
        }
        // Jackson's choice for a whole number: the smallest of int, long and BigInteger that holds it.
        if (digits <= 18) {
            long value = Long.parseLong(number);
            return value == (int) value ? (Object) (int) value : (Object) value;
        }
        BigInteger value = new BigInteger(number);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private int digits() {
        int from = pos;
        while (!atEnd() && peek() >= '0' && peek() <= '9') {
            pos++;
        }
        return pos - from;
    }

    private Object literal(String word, Object value) throws SyntaxException {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= text.length() || text.charAt(pos + i) != word.charAt(i)) {
                pos += i;
                throw error("expected " + word + ", found " + found());
            }
        }
        pos += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (!atEnd()) {
            char c = peek();
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    /** What is at {@code pos}, for a message: one character, never a piece of the input of unknown length. */
    private String found() {
        if (atEnd()) {
            return "the end of the file";
        }
        int codePoint = text.codePointAt(pos);
        return visible(codePoint) ? "'" + Character.toString(codePoint) + "'" : printable(codePoint);
    }

    /** One character as a message can show it: invisible and control characters by their code. */
    private static String printable(int codePoint) {
        return visible(codePoint) ? Character.toString(codePoint) : String.format("U+%04X", codePoint);
    }

    private static boolean visible(int codePoint) {
        return !Character.isISOControl(codePoint) && Character.isDefined(codePoint)
                && Character.getType(codePoint) != Character.FORMAT && !Character.isWhitespace(codePoint)
                && !Character.isSurrogate((char) codePoint);
    }

    /** "line L, column C" of {@code offset}: lines end at \n, \r\n or \r; columns count characters from 1. */
    public static String position(String text, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                line++;
                column = 1;
            } else if (c != '\r' && !Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return "line " + line + ", column " + column;
    }

    private String commentNote() {
        return !atEnd() && (peek() == '/' || peek() == '#') ? ": comments are not JSON" : "";
    }

    private SyntaxException unclosed(String what, int start) {
        return new SyntaxException(pos, "the file ends inside the " + what + " that starts at "
                + position(text, start) + "; a '" + (what.equals("object") ? '}' : ']') + "' is missing");
    }

    private SyntaxException error(String message) {
        return new SyntaxException(pos, message);
    }
}
