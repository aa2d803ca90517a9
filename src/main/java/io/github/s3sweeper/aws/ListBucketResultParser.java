package io.github.s3sweeper.aws;

import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.DateUtils;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the fields a sweep uses from a ListObjectsV2 answer (a {@code ListBucketResult} document) in one pass over
 * its bytes. The SDK builds an XML event for every tag, then a tree of the whole document, then a builder per field:
 * that was most of a sweep's CPU.
 *
 * <p>It gives what the SDK's unmarshalling gives, or nothing: it reads only documents in the plain form every S3
 * server sends (UTF-8, elements without namespace prefixes, no attribute but {@code xmlns}, no comment, CDATA,
 * processing instruction or DTD, no carriage return in a field, no text between elements, every field once and not
 * empty), checks that form as strictly as an XML parser would (names, nesting and end tags, entity and character
 * references, UTF-8, the characters XML allows), and declines everything else, which the SDK then reads as before.
 * Within that form the SDK's rules apply: elements matched by name, unknown ones skipped, keys and common prefixes
 * URL-decoded by the SDK's own function when the answer says {@code EncodingType} url, sizes and IsTruncated read by
 * the JDK functions the SDK uses, timestamps by the SDK's function unless in the form S3 sends
 * ({@code 2024-05-01T10:00:00.000Z}), which is computed directly.
 */
public final class ListBucketResultParser {

    /** The document is one to leave to the SDK. */
    private static final class Decline extends Exception {
        Decline() {
            super(null, null, false, false);
        }
    }

    private static final Decline DECLINE = new Decline();
    private static final int MAX_DEPTH = 16;
    private static final Pattern XML_DECLARATION = Pattern.compile(
            "[ \\t\\n\\r]+version[ \\t\\n\\r]*=[ \\t\\n\\r]*(\"1\\.0\"|'1\\.0')"
                    + "([ \\t\\n\\r]+encoding[ \\t\\n\\r]*=[ \\t\\n\\r]*(\"(?i:utf-8)\"|'(?i:utf-8)'))?"
                    + "([ \\t\\n\\r]+standalone[ \\t\\n\\r]*=[ \\t\\n\\r]*(\"(yes|no)\"|'(yes|no)'))?[ \\t\\n\\r]*");
    private static final byte[] LIST_BUCKET_RESULT = ascii("ListBucketResult");
    private static final byte[] CONTENTS = ascii("Contents");
    private static final byte[] COMMON_PREFIXES = ascii("CommonPrefixes");
    private static final byte[] IS_TRUNCATED = ascii("IsTruncated");
    private static final byte[] NEXT_CONTINUATION_TOKEN = ascii("NextContinuationToken");
    private static final byte[] ENCODING_TYPE = ascii("EncodingType");
    private static final byte[] KEY_COUNT = ascii("KeyCount");
    private static final byte[] MAX_KEYS = ascii("MaxKeys");
    private static final byte[] RESTORE_STATUS = ascii("RestoreStatus");
    private static final byte[] KEY = ascii("Key");
    private static final byte[] LAST_MODIFIED = ascii("LastModified");
    private static final byte[] SIZE = ascii("Size");
    private static final byte[] PREFIX = ascii("Prefix");
    private static final byte[] XMLNS = ascii("xmlns");

    /** ASCII letters and '_'; then also digits, '-' and '.'. */
    private static final boolean[] NAME_START = new boolean[128];
    private static final boolean[] NAME_CHAR = new boolean[128];

    static {
        for (int c = 0; c < 128; c++) {
            NAME_START[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            NAME_CHAR[c] = NAME_START[c] || (c >= '0' && c <= '9') || c == '-' || c == '.';
        }
    }

    private final byte[] b;
    private int p;
    /** Where the name of the element last opened starts, and its length: for matching its end tag. */
    private int nameStart;
    private int nameLength;

    private ListBucketResultParser(byte[] document) {
        this.b = document;
    }

    /** @return the page, or null when the SDK should read this answer itself */
    public static ListingPage parse(byte[] document) {
        try {
            return new ListBucketResultParser(document).read();
        } catch (Decline | RuntimeException e) {
            return null; // RuntimeException: an index past the end (a document cut short), a number that does not parse
        }
    }

    private ListingPage read() throws Decline {
        prolog();
        if (!openTag() || !nameIs(LIST_BUCKET_RESULT)) {
            throw DECLINE; // an empty root element, an error document, anything else: not ours to read
        }
        int rootStart = nameStart;
        int rootLength = nameLength;
        List<String> keys = new ArrayList<>(1000);
        List<Instant> lastModified = new ArrayList<>(1000);
        List<Long> sizes = new ArrayList<>(1000);
        List<String> prefixes = new ArrayList<>();
        String truncated = null;
        String continuation = null;
        String encoding = null;
        String keyCountText = null;
        String maxKeysText = null;
        while (child()) {
            boolean empty = !openTag();
            if (nameIs(CONTENTS)) {
                readContents(empty, keys, lastModified, sizes);
            } else if (nameIs(COMMON_PREFIXES)) {
                prefixes.add(readCommonPrefix(empty));
            } else if (nameIs(IS_TRUNCATED)) {
                truncated = once(truncated, empty);
            } else if (nameIs(NEXT_CONTINUATION_TOKEN)) {
                continuation = once(continuation, empty);
            } else if (nameIs(ENCODING_TYPE)) {
                encoding = once(encoding, empty);
            } else if (nameIs(KEY_COUNT) || nameIs(MAX_KEYS)) {
                // Unused, but the SDK reads them as numbers and fails on one that is not: so must this.
                boolean keyCount = nameIs(KEY_COUNT);
                String count = once(keyCount ? keyCountText : maxKeysText, empty);
                Integer.parseInt(count);
                if (keyCount) {
                    keyCountText = count;
                } else {
                    maxKeysText = count;
                }
            } else {
                skip(empty, 0);
            }
        }
        endTag(rootStart, rootLength);
        // The SDK reads nothing after the root element's end, and neither does this.
        boolean decode = "url".equals(encoding); // as the SDK's DecodeUrlEncodedResponseInterceptor decides
        List<S3Object> contents = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            contents.add(S3Object.builder()
                    .key(decode ? urlDecode(key) : key)
                    .lastModified(lastModified.get(i))
                    .size(sizes.get(i))
                    .build());
        }
        if (decode) {
            prefixes.replaceAll(ListBucketResultParser::urlDecode);
        }
        return new ListingPage(contents, prefixes, truncated == null ? null : Boolean.parseBoolean(truncated),
                continuation);
    }

    /**
     * The SDK's decoding ({@link SdkHttpUtils#urlDecode}, that is {@link java.net.URLDecoder}): it changes only '%'
     * escapes and '+', so a key without either is its own decoding, and is not copied character by character.
     */
    private static String urlDecode(String text) {
        if (text == null || (text.indexOf('%') < 0 && text.indexOf('+') < 0)) {
            return text;
        }
        return SdkHttpUtils.urlDecode(text);
    }

    private void readContents(boolean empty, List<String> keys, List<Instant> lastModified, List<Long> sizes)
            throws Decline {
        String key = null;
        Instant modified = null;
        Long size = null;
        boolean seenModified = false;
        boolean seenSize = false;
        if (!empty) {
            int start = nameStart;
            int length = nameLength;
            while (child()) {
                boolean leafEmpty = !openTag();
                if (nameIs(KEY)) {
                    key = once(key, leafEmpty);
                } else if (nameIs(LAST_MODIFIED)) {
                    seenModified = seen(seenModified, leafEmpty);
                    modified = instant();
                } else if (nameIs(SIZE)) {
                    seenSize = seen(seenSize, leafEmpty);
                    size = size();
                } else if (nameIs(RESTORE_STATUS)) {
                    throw DECLINE; // only sent when asked for; the SDK reads a date and a flag in it
                } else {
                    skip(leafEmpty, 0);
                }
            }
            endTag(start, length);
        }
        keys.add(key);
        lastModified.add(modified);
        sizes.add(size);
    }

    private String readCommonPrefix(boolean empty) throws Decline {
        String prefix = null;
        if (!empty) {
            int start = nameStart;
            int length = nameLength;
            while (child()) {
                boolean leafEmpty = !openTag();
                if (nameIs(PREFIX)) {
                    prefix = once(prefix, leafEmpty);
                } else {
                    skip(leafEmpty, 0);
                }
            }
            endTag(start, length);
        }
        return prefix;
    }

    /**
     * A field's text, the first time it is seen. The SDK takes the first of two same-named fields and has answers of
     * its own for an empty one; neither is worth guessing at.
     */
    private String once(String earlier, boolean empty) throws Decline {
        if (earlier != null || empty) {
            throw DECLINE;
        }
        return text();
    }

    private static boolean seen(boolean earlier, boolean empty) throws Decline {
        if (earlier || empty) {
            throw DECLINE;
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------- the form

    /** An optional byte order mark and XML declaration, then white space up to the root element. */
    private void prolog() throws Decline {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            p = 3;
        }
        if (startsWith("<?xml") && p + 5 < b.length && isSpace(b[p + 5])) {
            int end = indexOf("?>", p + 5);
            if (end < 0 || !XML_DECLARATION.matcher(new String(b, p + 5, end - p - 5, StandardCharsets.ISO_8859_1))
                    .matches()) {
                throw DECLINE; // another encoding, another version, or not a declaration at all
            }
            p = end + 2;
        }
        skipSpace();
    }

    /**
     * After white space: true at the start of a child element ({@code p} on its {@code <}), false at an end tag.
     * Text between elements, comments, CDATA and the rest are declined.
     */
    private boolean child() throws Decline {
        skipSpace();
        if (b[p] != '<') {
            throw DECLINE;
        }
        if (b[p + 1] == '/') {
            return false;
        }
        if (!isNameStart(b[p + 1])) {
            throw DECLINE;
        }
        return true;
    }

    /**
     * A start tag at {@code p}: its name (no prefix) and attributes ({@code xmlns} only, each once).
     *
     * @return false for an empty-element tag ({@code <Name/>}), true when content follows
     */
    private boolean openTag() throws Decline {
        expect('<');
        nameStart = p;
        name();
        nameLength = p - nameStart;
        boolean xmlns = false;
        while (true) {
            int before = p;
            skipSpace();
            if (b[p] == '>') {
                p++;
                return true;
            }
            if (b[p] == '/' && b[p + 1] == '>') {
                p += 2;
                return false;
            }
            if (p == before) {
                throw DECLINE; // an attribute must follow white space
            }
            int attribute = p;
            name();
            if (xmlns || !regionIs(attribute, p - attribute, XMLNS)) {
                throw DECLINE;
            }
            xmlns = true;
            skipSpace();
            expect('=');
            skipSpace();
            byte quote = b[p];
            if (quote != '"' && quote != '\'') {
                throw DECLINE;
            }
            p++;
            while (b[p] != quote) {
                if (b[p] == '<' || b[p] == '\r') {
                    throw DECLINE;
                }
                character(null);
            }
            p++;
        }
    }

    /** The end tag of the element whose name is at [start, start + length). */
    private void endTag(int start, int length) throws Decline {
        expect('<');
        expect('/');
        if (p + length > b.length || !regionIs(p, length, b, start)) {
            throw DECLINE;
        }
        p += length;
        if (p < b.length && isNameChar(b[p])) {
            throw DECLINE; // a longer name that starts with this one
        }
        skipSpace();
        expect('>');
    }

    /** Past an element the sweep does not read, checked as strictly as one it reads. */
    private void skip(boolean empty, int depth) throws Decline {
        if (empty) {
            return;
        }
        if (depth > MAX_DEPTH) {
            throw DECLINE; // S3 nests two levels deep; a document nested deeper is not one to recurse into
        }
        int start = nameStart;
        int length = nameLength;
        int at = p;
        skipSpace();
        if (b[p] == '<' && b[p + 1] != '/' && isNameStart(b[p + 1])) {
            while (child()) {
                skip(!openTag(), depth + 1);
            }
        } else if (!(b[p] == '<' && b[p + 1] == '/')) {
            p = at;
            scanText(null);
        }
        endTag(start, length);
    }

    /** The text of a field up to its end tag; a field holding anything but text, or nothing, is declined. */
    private String text() throws Decline {
        int start = nameStart;
        int length = nameLength;
        int from = p;
        boolean plain = true;
        for (int i = p; ; i++) {
            int c = b[i];
            if (c == '<') {
                p = i;
                break;
            }
            if (c < 0x20 || c == '&' || c == ']' || c == 0x7F) {
                plain = false; // a reference, a control, "]]>", or a multi-byte character: the careful path
                break;
            }
        }
        String text;
        if (plain) {
            text = new String(b, from, p - from, StandardCharsets.ISO_8859_1);
        } else {
            p = from;
            StringBuilder out = new StringBuilder(64);
            scanText(out);
            text = out.toString();
        }
        if (text.isEmpty()) {
            throw DECLINE;
        }
        endTag(start, length);
        return text;
    }

    /** Character data up to the next {@code <}, appended to {@code out} when not null. */
    private void scanText(StringBuilder out) throws Decline {
        while (b[p] != '<') {
            if (out == null) {
                // Printable ASCII in a field nobody reads: nothing to check but where it ends.
                byte c = b[p];
                while (c >= 0x20 && c < 0x7F && c != '&' && c != ']' && c != '<') {
                    c = b[++p];
                }
                if (c == '<') {
                    break;
                }
            }
            if (b[p] == ']' && b[p + 1] == ']' && b[p + 2] == '>') {
                throw DECLINE; // not allowed in character data
            }
            if (b[p] == '\r') {
                throw DECLINE; // XML turns it into a line feed; the SDK's answer would be a different key
            }
            character(out);
        }
    }

    /** One character of text or attribute value at {@code p}: a reference, or a valid XML character in UTF-8. */
    private void character(StringBuilder out) throws Decline {
        int c = b[p] & 0xFF;
        if (c == '&') {
            reference(out);
            return;
        }
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                throw DECLINE;
            }
            p++;
            if (out != null) {
                out.append((char) c);
            }
            return;
        }
        int code;
        int extra;
        int min;
        if (c >= 0xC2 && c <= 0xDF) {
            code = c & 0x1F;
            extra = 1;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            code = c & 0x0F;
            extra = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            code = c & 0x07;
            extra = 3;
            min = 0x10000;
        } else {
            throw DECLINE; // not a UTF-8 lead byte
        }
        for (int i = 1; i <= extra; i++) {
            int next = b[p + i] & 0xFF;
            if ((next & 0xC0) != 0x80) {
                throw DECLINE;
            }
            code = (code << 6) | (next & 0x3F);
        }
        if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) || code == 0xFFFE || code == 0xFFFF) {
            throw DECLINE; // overlong, out of range, a surrogate, or a character XML does not allow
        }
        p += 1 + extra;
        if (out != null) {
            out.appendCodePoint(code);
        }
    }

    /** One of XML's five predefined entities or a character reference; anything else (no DTD here) is declined. */
    private void reference(StringBuilder out) throws Decline {
        int predefined = predefined();
        if (predefined >= 0) {
            if (out != null) {
                out.append((char) predefined);
            }
            return;
        }
        int end = p + 1;
        while (end < b.length && end - p <= 12 && b[end] != ';') {
            end++;
        }
        if (end >= b.length || b[end] != ';') {
            throw DECLINE;
        }
        String name = new String(b, p + 1, end - p - 1, StandardCharsets.ISO_8859_1);
        int code;
        switch (name) {
            case "lt" -> code = '<';
            case "gt" -> code = '>';
            case "amp" -> code = '&';
            case "quot" -> code = '"';
            case "apos" -> code = '\'';
            default -> code = characterReference(name);
        }
        p = end + 1;
        if (out != null) {
            out.appendCodePoint(code);
        }
    }

    /** A predefined entity at {@code p} (every ETag holds two): its character, {@code p} past it; else -1. */
    private int predefined() {
        int at = p + 1;
        if (at + 4 < b.length && b[at] == 'q' && b[at + 1] == 'u' && b[at + 2] == 'o' && b[at + 3] == 't'
                && b[at + 4] == ';') {
            p = at + 5;
            return '"';
        }
        if (at + 3 < b.length && b[at] == 'a' && b[at + 1] == 'm' && b[at + 2] == 'p' && b[at + 3] == ';') {
            p = at + 4;
            return '&';
        }
        if (at + 2 < b.length && (b[at] == 'l' || b[at] == 'g') && b[at + 1] == 't' && b[at + 2] == ';') {
            p = at + 3;
            return b[at] == 'l' ? '<' : '>';
        }
        return -1;
    }

    private static int characterReference(String name) throws Decline {
        int code;
        if (name.length() >= 3 && name.charAt(0) == '#' && name.charAt(1) == 'x') {
            code = number(name, 2, 16);
        } else if (name.length() >= 2 && name.charAt(0) == '#') {
            code = number(name, 1, 10);
        } else {
            throw DECLINE;
        }
        boolean allowed = code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF)
                || (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
        if (!allowed) {
            throw DECLINE;
        }
        return code;
    }

    private static int number(String text, int from, int radix) throws Decline {
        int value = 0;
        for (int i = from; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), radix);
            if (digit < 0 || text.charAt(i) > 'f' || value > 0x10FFFF) {
                throw DECLINE; // Character.digit also takes non-ASCII digits, which XML does not
            }
            value = value * radix + digit;
        }
        return value;
    }

    /** A name in the plain form: ASCII letters, digits, '_', '-' and '.'; no prefix. */
    private void name() throws Decline {
        if (!isNameStart(b[p])) {
            throw DECLINE;
        }
        p++;
        while (isNameChar(b[p])) {
            p++;
        }
        if (b[p] == ':' || b[p] < 0) {
            throw DECLINE; // a prefixed or non-ASCII name
        }
    }

    private static boolean isNameStart(byte c) {
        return c >= 0 && NAME_START[c];
    }

    private static boolean isNameChar(byte c) {
        return c >= 0 && NAME_CHAR[c];
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private void skipSpace() {
        while (p < b.length && isSpace(b[p])) {
            p++;
        }
    }

    private void expect(char c) throws Decline {
        if (b[p] != c) {
            throw DECLINE;
        }
        p++;
    }

    private boolean nameIs(byte[] name) {
        return regionIs(nameStart, nameLength, name);
    }

    private boolean regionIs(int start, int length, byte[] name) {
        return length == name.length && regionIs(start, length, name, 0);
    }

    private boolean regionIs(int start, int length, byte[] other, int otherStart) {
        for (int i = 0; i < length; i++) {
            if (b[start + i] != other[otherStart + i]) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWith(String text) {
        if (p + text.length() > b.length) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (b[p + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(String text, int from) {
        outer:
        for (int i = from; i + text.length() <= b.length; i++) {
            for (int j = 0; j < text.length(); j++) {
                if (b[i + j] != text.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------------------------------------------- values

    /** Size as the SDK reads it ({@link Long#parseLong}), without a string for the plain digits S3 sends. */
    private Long size() throws Decline {
        int from = p;
        long value = 0;
        int i = p;
        while (i - from < 18 && b[i] >= '0' && b[i] <= '9') {
            value = value * 10 + (b[i] - '0');
            i++;
        }
        if (i > from && b[i] == '<') {
            int start = nameStart;
            int length = nameLength;
            p = i;
            endTag(start, length);
            return value;
        }
        return Long.parseLong(text()); // signs, long numbers; what does not parse declines
    }

    /**
     * LastModified as the SDK reads it ({@link DateUtils#parseIso8601Date}), computed directly for the form S3 sends:
     * {@code yyyy-MM-ddTHH:mm:ss}, an optional fraction of 1 to 9 digits, {@code Z}. Anything else, every value out of
     * range included, goes to the SDK's function; what it cannot read declines.
     */
    private Instant instant() throws Decline {
        int end = p;
        while (end < b.length && end - p <= 30 && b[end] != '<') {
            end++;
        }
        Instant fast = end - p <= 30 ? plainInstant(b, p, end) : null;
        if (fast != null) {
            int start = nameStart;
            int length = nameLength;
            p = end;
            endTag(start, length);
            return fast;
        }
        return DateUtils.parseIso8601Date(text());
    }

    /** The instant in [from, to) when it is in the plain form and in range, else null. */
    static Instant plainInstant(byte[] t, int from, int to) {
        int n = to - from;
        if (n < 20 || t[from + 4] != '-' || t[from + 7] != '-' || t[from + 10] != 'T' || t[from + 13] != ':'
                || t[from + 16] != ':' || t[to - 1] != 'Z' || !(n == 20 || (n >= 22 && n <= 30 && t[from + 19] == '.'))) {
            return null;
        }
        int year = digits(t, from, from + 4);
        int month = digits(t, from + 5, from + 7);
        int day = digits(t, from + 8, from + 10);
        int hour = digits(t, from + 11, from + 13);
        int minute = digits(t, from + 14, from + 16);
        int second = digits(t, from + 17, from + 19);
        int fraction = n == 20 ? 0 : digits(t, from + 20, to - 1);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || fraction < 0) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // February 30th and the like: the SDK's function says what that is
        }
        long nanos = fraction;
        for (int digits = n == 20 ? 9 : n - 21; digits < 9; digits++) {
            nanos *= 10;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The ASCII digits in [from, to) as a number, or -1 when any is not a digit. */
    private static int digits(byte[] t, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            byte c = t[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
