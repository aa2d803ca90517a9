package io.github.s3sweeper.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer for {@link ModelS3}'s answers. Keys stay UTF-8 bytes from the key table to the socket:
 * a listing page is written without decoding or re-encoding a thousand strings, which keeps the model's own CPU
 * per request far below what the tools it serves spend.
 */
final class Bytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] buffer;
    private int length;

    Bytes(int capacity) {
        buffer = new byte[Math.max(16, capacity)];
    }

    int length() {
        return length;
    }

    /** The bytes written; no copy when the buffer was sized exactly, as a listing page's is. */
    byte[] toArray() {
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    private void room(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    /** Text that is ASCII by construction (tag names, numbers, dates). */
    Bytes ascii(String text) {
        int n = text.length();
        room(n);
        for (int i = 0; i < n; i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    Bytes utf8(String text) {
        return raw(text.getBytes(StandardCharsets.UTF_8));
    }

    Bytes raw(byte[] bytes) {
        return raw(bytes, 0, bytes.length);
    }

    Bytes raw(byte[] bytes, int from, int to) {
        int n = to - from;
        room(n);
        System.arraycopy(bytes, from, buffer, length, n);
        length += n;
        return this;
    }

    Bytes number(long value) {
        return ascii(Long.toString(value));
    }

    /** XML character data; control characters as numeric references, the way S3 writes a carriage return. */
    Bytes xml(byte[] bytes, int from, int to) {
        room(6 * (to - from)); // the longest escape, "&quot;", is six bytes
        byte[] out = buffer;
        int at = length;
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b >= 0x3F || b < 0) { // every byte from '?' up, UTF-8 continuation bytes included, stands as it is
                out[at++] = b;
                continue;
            }
            byte[] escape = switch (b) {
                case '&' -> AMP;
                case '<' -> LT;
                case '>' -> GT;
                case '"' -> QUOT;
                case '\'' -> APOS;
                default -> b < 0x20 ? ("&#" + b + ";").getBytes(StandardCharsets.US_ASCII) : null;
            };
            if (escape == null) {
                out[at++] = b;
            } else {
                System.arraycopy(escape, 0, out, at, escape.length);
                at += escape.length;
            }
        }
        length = at;
        return this;
    }

    private static final byte[] AMP = "&amp;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LT = "&lt;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GT = "&gt;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUOT = "&quot;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] APOS = "&apos;".getBytes(StandardCharsets.US_ASCII);
    /** Bytes that {@code encoding-type=url} leaves as they are: letters, digits and {@code - _ . / *}. */
    private static final boolean[] URL_SAFE = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            URL_SAFE[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '/' || c == '*';
        }
    }

    /**
     * {@code encoding-type=url} as S3 applies it: form encoding (a space becomes {@code +}), except that {@code /}
     * and {@code *} stay as they are; every byte outside letters, digits and {@code - _ . / *} is percent-encoded,
     * {@code ~} included.
     */
    /** True when {@code bytes[from, to)} needs no escaping, in XML or in {@code encoding-type=url}. */
    static boolean plain(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!URL_SAFE[bytes[i] & 0xFF]) {
                return false;
            }
        }
        return true;
    }

    /** How many bytes {@link #url} writes for {@code bytes[from, to)}. */
    static int urlLength(byte[] bytes, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xFF;
            n += URL_SAFE[b] || b == ' ' ? 1 : 3;
        }
        return n;
    }

    /** How many bytes {@link #xml} writes for {@code bytes[from, to)}. */
    static int xmlLength(byte[] bytes, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            n += switch (b) {
                case '&' -> AMP.length;
                case '<' -> LT.length;
                case '>' -> GT.length;
                case '"' -> QUOT.length;
                case '\'' -> APOS.length;
                default -> b >= 0 && b < 0x20 ? ("&#" + b + ";").length() : 1;
            };
        }
        return n;
    }

    Bytes url(byte[] bytes, int from, int to) {
        room(3 * (to - from));
        byte[] out = buffer;
        int at = length;
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xFF;
            if (URL_SAFE[b]) {
                out[at++] = (byte) b;
            } else if (b == ' ') {
                out[at++] = '+';
            } else {
                out[at++] = '%';
                out[at++] = HEX[b >> 4];
                out[at++] = HEX[b & 0xF];
            }
        }
        length = at;
        return this;
    }

    /** An element whose text is a key-like value: URL-encoded when the request asked for it, else XML-escaped. */
    Bytes element(String tag, byte[] value, boolean urlEncoded) {
        ascii("<").ascii(tag).ascii(">");
        if (urlEncoded) {
            url(value, 0, value.length);
        } else {
            xml(value, 0, value.length);
        }
        return ascii("</").ascii(tag).ascii(">");
    }

    Bytes element(String tag, String asciiValue) {
        return ascii("<").ascii(tag).ascii(">").ascii(asciiValue).ascii("</").ascii(tag).ascii(">");
    }
}
