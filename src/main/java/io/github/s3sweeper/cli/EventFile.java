package io.github.s3sweeper.cli;

import io.github.s3sweeper.report.JsonReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code --event FILE} of the jar, read into the map the handler would get from the Lambda Java runtime for the
 * same bytes (the values and their Java types are in {@link JsonReader}), without the runtime's 9 MB serializer in
 * the deployment jar. Only the jar loads this class; the Lambda path never does.
 *
 * <p>The file must be one JSON object in strict UTF-8, as RFC 8259 defines it; a UTF-8 byte order mark is skipped,
 * as the runtime's reader skips it. The runtime's reader (Jackson, configured by {@code JacksonFactory}) is lenient
 * in ways an event file is not allowed to be, for the reasons given:
 * <ul>
 *   <li>single quotes, field names without quotes, leading zeros ({@code 007}), {@code NaN} and {@code Infinity},
 *       backslashes before any character ({@code \q}), control characters unescaped inside strings: refused, each
 *       with a message that says the runtime would take it. None is JSON, and Lambda's Invoke API refuses a payload
 *       it cannot parse as JSON ("Could not parse request body into json"), so the deployed function is not handed
 *       such an event; a file that runs locally should be one that can be sent.
 *   <li>anything after the object (the runtime ignores it, so {@code {...}{"dryRun":true}} would drop the second
 *       object without a word): refused.
 *   <li>a top level that is not an object: refused, as by the runtime, and also where the runtime takes one as no
 *       input ({@code null}, {@code []}, {@code ""}, {@code [null]}) or unwraps it ({@code [{...}]}); the message
 *       says how the runtime would take it. Lambda hands the handler null only for an invocation without a
 *       payload, which a file cannot be.
 *   <li>UTF-16 and UTF-32 (the runtime detects them): refused with a message to save the file as UTF-8, the only
 *       encoding JSON exchanged between systems may use. Byte sequences that are not UTF-8, overlong forms and
 *       encoded surrogates included (the runtime decodes some of them): refused, with the offending bytes.
 *   <li>more than {@value #MAX_BYTES} bytes: refused; Lambda takes at most 6 MB as an invocation's payload.
 * </ul>
 * Comments, commas before a closing bracket and an empty file are refused by both. A duplicate field is taken as the
 * runtime takes it: the last value, in the first one's place. Every message names the file and the line and column
 * of the problem and shows at most one character of the input.
 */
public final class EventFile {

    /** Lambda's limit for a synchronous invocation's payload (6 MB). */
    static final int MAX_BYTES = 6 * 1024 * 1024;

    /** A file that is not an event this reader takes; the message is the whole sentence to show. */
    public static final class UnreadableException extends RuntimeException {
        private final String problem;

        UnreadableException(String name, String problem) {
            super("Cannot read the event file " + name + ": " + problem, null, false, false);
            this.problem = problem;
        }

        /** The message without the file's name: "line 3, column 18: expected ...", or "no such file". */
        public String problem() {
            return problem;
        }
    }

    private EventFile() {
    }

    /** The event {@code file} holds. */
    public static Map<String, Object> read(Path file) {
        byte[] content;
        try {
            if (Files.isDirectory(file)) {
                throw unreadable(file.toString(), "it is a directory");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw unreadable(file.toString(), tooLarge(size));
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw unreadable(file.toString(), "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(file.toString(), "permission denied");
        } catch (IOException e) {
            throw unreadable(file.toString(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return parse(file.toString(), content);
    }

    /** The event {@code content} holds; {@code name} is the file's name for the messages. */
    static Map<String, Object> parse(String name, byte[] content) {
        if (content.length > MAX_BYTES) {
            throw unreadable(name, tooLarge(content.length));
        }
        String encoding = wideEncoding(content);
        if (encoding != null) {
            throw unreadable(name, "the file is " + encoding + "; save it as UTF-8, the encoding of JSON (the Lambda"
                    + " runtime's reader would detect " + encoding + ", this reader does not)");
        }
        int bom = content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF ? 3 : 0;
        String text = decode(name, content, bom);
        try {
            return JsonReader.readObject(text);
        } catch (JsonReader.SyntaxException e) {
            throw unreadable(name, JsonReader.position(text, e.offset()) + ": " + e.getMessage());
        }
    }

    /** UTF-16 or UTF-32, by their byte order marks or, as RFC 4627 told, by the zero bytes of the first character. */
    private static String wideEncoding(byte[] b) {
        int n = b.length;
        if (n >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xFF) == 0xFE && (b[3] & 0xFF) == 0xFF
                || n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0) {
            return "UTF-32BE";
        }
        if (n >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE && b[2] == 0 && b[3] == 0
                || n >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
            return "UTF-32LE";
        }
        if (n >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF || n >= 2 && b[0] == 0 && b[1] != 0) {
            return "UTF-16BE";
        }
        if (n >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE || n >= 2 && b[0] != 0 && b[1] == 0) {
            return "UTF-16LE";
        }
        return null;
    }

    private static String decode(String name, byte[] content, int from) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content, from, content.length - from);
        CharBuffer out = CharBuffer.allocate(content.length - from);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            StringBuilder bytes = new StringBuilder();
            for (int i = 0; i < result.length() && at + i < content.length; i++) {
                bytes.append(i == 0 ? "" : " ").append(String.format("0x%02X", content[at + i] & 0xFF));
            }
            String before = out.flip().toString();
            throw unreadable(name, JsonReader.position(before, before.length()) + ": not UTF-8 (" + bytes + " at byte "
                    + (at + 1) + " of the file); event files are read as strict UTF-8 (the Lambda runtime's reader"
                    + " would take some invalid sequences, this reader takes none)");
        }
        return out.flip().toString();
    }

    private static String tooLarge(long size) {
        return size + " bytes, more than the " + MAX_BYTES + " (6 MB) Lambda takes as an invocation's payload";
    }

    private static UnreadableException unreadable(String name, String problem) {
        return new UnreadableException(name, problem);
    }
}
