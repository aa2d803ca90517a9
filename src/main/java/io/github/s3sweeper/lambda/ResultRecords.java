package io.github.s3sweeper.lambda;

import java.io.IOException;
import java.io.Reader;
import java.util.function.Consumer;

/**
 * The records of one ResultWriter file, one at a time, read from a stream: never the whole file in memory, whatever
 * its size (Step Functions writes files of up to 5 GB). A record is one top-level JSON value: a line of a JSON Lines
 * file ({@code OutputType: JSONL}, what the template writes), or an element of a JSON array file ({@code OutputType:
 * JSON}, ResultWriter's default), found by tracking strings and brackets, so a record may span lines and a line may
 * hold several. At most {@link #maxChars} characters of one record are held; a longer record fails the read with a
 * message rather than exhausting the heap.
 */
final class ResultRecords {

    /** Far above one batch's record: a failed child's NONE record carries its Input, about 1,000 items. */
    static final int MAX_RECORD_CHARS = 16 * 1024 * 1024;

    private final Reader in;
    private final int maxChars;
    private final char[] chunk = new char[8192];
    private int position;
    private int limit;
    private StringBuilder record = new StringBuilder(1024);
    /** The most characters one record held at once: what the bounded-memory test checks. */
    private int largest;

    ResultRecords(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** Hands every record of {@code in} to {@code each}, as text; returns how many. */
    long forEach(Consumer<String> each) throws IOException {
        long count = 0;
        int c = skipWhitespace();
        if (c < 0) {
            return 0;
        }
        boolean array = c == '[';
        if (array) {
            c = skipWhitespace();
            if (c == ']') {
                return expectEnd();
            }
        }
        while (c >= 0) {
            readValue(c);
            each.accept(record.toString());
            count++;
            forget();
            c = skipWhitespace();
            if (array) {
                if (c == ']') {
                    return count + expectEnd();
                }
                if (c != ',') {
                    throw new IOException("expected , or ] after record " + count + (c < 0 ? ", found the end"
                            : ", found " + (char) c));
                }
                c = skipWhitespace();
            }
        }
        return count;
    }

    /** The most characters one record held at once. */
    int largest() {
        return largest;
    }

    private long expectEnd() throws IOException {
        if (skipWhitespace() >= 0) {
            throw new IOException("text after the JSON array's ]");
        }
        return 0;
    }

    /** One JSON value starting with {@code first}: an object, array or string to its close, else to a delimiter. */
    private void readValue(int first) throws IOException {
        int depth = 0;
        boolean string = false;
        boolean escaped = false;
        int c = first;
        while (true) {
            if (c < 0) {
                if (depth > 0 || string) {
                    throw new IOException("a record is cut off at the end of the file");
                }
                return;
            }
            if (!string && depth == 0 && record.length() > 0 && first != '"'
                    && (c == ',' || c == ']' || c == '}' || Character.isWhitespace(c))) {
                position--; // a scalar's delimiter: left for the caller
                return;
            }
            append((char) c);
            if (string) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    string = false;
                    if (depth == 0) {
                        return;
                    }
                }
            } else if (c == '"') {
                string = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return;
                }
            }
            c = read();
        }
    }

    private void append(char c) throws IOException {
        if (record.length() >= maxChars) {
            throw new IOException("a record is longer than " + maxChars + " characters");
        }
        record.append(c);
        largest = Math.max(largest, record.length());
    }

    /** Drops the record just handed over; a buffer grown by an unusually long one is not kept. */
    private void forget() {
        if (record.capacity() > 64 * 1024) {
            record = new StringBuilder(1024);
        } else {
            record.setLength(0);
        }
    }

    private int skipWhitespace() throws IOException {
        int c = read();
        while (c >= 0 && Character.isWhitespace(c)) {
            c = read();
        }
        return c;
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(chunk, 0, chunk.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return chunk[position++];
    }
}
