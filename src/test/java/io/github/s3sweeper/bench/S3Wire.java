package io.github.s3sweeper.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link ModelS3} reads from a request: the query, the path's key, a DeleteObjects body, aws-chunked bodies. */
final class S3Wire {

    private S3Wire() {
    }

    /** Query parameters, decoded as form data; a parameter without a value (a sub-resource) maps to "". */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            out.put(new String(percentDecode(name, true), StandardCharsets.UTF_8),
                    new String(percentDecode(value, true), StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * Percent-decoding to bytes. In a query {@code +} is a space (form encoding); in a path it is a plus sign, and
     * every SDK sends a key's {@code +} as {@code %2B} anyway.
     */
    static byte[] percentDecode(String text, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                out.write(Integer.parseInt(text, i + 1, i + 3, 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
    }

    /** A DeleteObjects request: its keys (UTF-8, entities resolved) and whether it asked for quiet mode. */
    record DeleteRequest(List<byte[]> keys, boolean quiet) {
    }

    /**
     * Reads {@code <Delete><Quiet>..</Quiet><Object><Key>..</Key>..</Object>..</Delete>} by scanning for its tags:
     * every client writes this document the same flat way, and a scan costs a fraction of an XML parser's time on
     * a 1,000-key body. Returns null when a key's tags do not close.
     */
    static DeleteRequest deleteRequest(byte[] body) {
        List<byte[]> keys = new ArrayList<>();
        boolean quiet = false;
        int quietAt = indexOf(body, "<Quiet>".getBytes(StandardCharsets.US_ASCII), 0);
        if (quietAt >= 0) {
            int from = quietAt + "<Quiet>".length();
            int to = indexOf(body, "</Quiet>".getBytes(StandardCharsets.US_ASCII), from);
            quiet = to > from && new String(body, from, to - from, StandardCharsets.US_ASCII).trim()
                    .equalsIgnoreCase("true");
        }
        byte[] open = "<Key>".getBytes(StandardCharsets.US_ASCII);
        byte[] close = "</Key>".getBytes(StandardCharsets.US_ASCII);
        for (int at = indexOf(body, open, 0); at >= 0; at = indexOf(body, open, at)) {
            int from = at + open.length;
            int to = indexOf(body, close, from);
            if (to < 0) {
                return null;
            }
            keys.add(unescape(body, from, to));
            at = to + close.length;
        }
        return new DeleteRequest(keys, quiet);
    }

    /** XML character data to bytes: the five named entities and numeric references, the rest as it is. */
    static byte[] unescape(byte[] body, int from, int to) {
        int amp = -1;
        for (int i = from; i < to; i++) {
            if (body[i] == '&') {
                amp = i;
                break;
            }
        }
        if (amp < 0) {
            return java.util.Arrays.copyOfRange(body, from, to);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b != '&') {
                out.write(b);
                continue;
            }
            int semi = i + 1;
            while (semi < to && body[semi] != ';') {
                semi++;
            }
            String entity = new String(body, i + 1, semi - i - 1, StandardCharsets.US_ASCII);
            String text = switch (entity) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> {
                    if (entity.startsWith("#x") || entity.startsWith("#X")) {
                        yield Character.toString(Integer.parseInt(entity.substring(2), 16));
                    } else if (entity.startsWith("#")) {
                        yield Character.toString(Integer.parseInt(entity.substring(1)));
                    }
                    throw new IllegalArgumentException("unknown entity &" + entity + ";");
                }
            };
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            i = semi;
        }
        return out.toByteArray();
    }

    static int indexOf(byte[] data, byte[] needle, int from) {
        int last = data.length - needle.length;
        outer:
        for (int i = Math.max(0, from); i <= last; i++) {
            if (data[i] != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The payload of an aws-chunked body ({@code hex-size[;chunk-signature=..]\r\n data \r\n ... 0\r\n trailers}),
     * which SDKs send when they stream a body with its signature or checksum at the end. Signatures and trailing
     * checksums are not checked: the model trusts its clients.
     */
    static byte[] awsChunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int at = 0;
        while (at < body.length) {
            int lineEnd = indexOf(body, new byte[] {'\r', '\n'}, at);
            if (lineEnd < 0) {
                break;
            }
            String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int semi = header.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? header : header.substring(0, semi)).trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
