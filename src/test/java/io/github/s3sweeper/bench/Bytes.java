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

    byte[] toArray() {
        return Arrays.copyOf(buffer, length);
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
        room(to - from);
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            switch (b) {
                case '&' -> ascii("&amp;");
                case '<' -> ascii("&lt;");
                case '>' -> ascii("&gt;");
                case '"' -> ascii("&quot;");
                case '\'' -> ascii("&apos;");
                default -> {
                    if (b >= 0 && b < 0x20) {
                        ascii("&#").number(b).ascii(";");
                    } else {
                        room(1);
                        buffer[length++] = b;
                    }
                }
            }
        }
        return this;
    }

    /**
     * {@code encoding-type=url} as S3 applies it: form encoding (a space becomes {@code +}), except that {@code /}
     * and {@code *} stay as they are; every byte outside letters, digits and {@code - _ . / *} is percent-encoded,
     * {@code ~} included.
     */
    Bytes url(byte[] bytes, int from, int to) {
        room(to - from);
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                    || b == '-' || b == '_' || b == '.' || b == '/' || b == '*') {
                room(1);
                buffer[length++] = (byte) b;
            } else if (b == ' ') {
                room(1);
                buffer[length++] = '+';
            } else {
                room(3);
                buffer[length++] = '%';
                buffer[length++] = HEX[b >> 4];
                buffer[length++] = HEX[b & 0xF];
            }
        }
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
