package io.github.s3sweeper.lambda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultRecordsTest {

    private static List<String> records(String text) throws IOException {
        List<String> out = new ArrayList<>();
        new ResultRecords(new StringReader(text), 1 << 20).forEach(out::add);
        return out;
    }

    @Test
    void jsonLinesAreOneRecordPerLine() throws IOException {
        assertThat(records("{\"a\":1}\n{\"b\":\"x\\\"}\\n{\"}\n\n{\"c\":[1,{\"d\":2}]}\n"))
                .containsExactly("{\"a\":1}", "{\"b\":\"x\\\"}\\n{\"}", "{\"c\":[1,{\"d\":2}]}");
        assertThat(records("{\"a\":1}")).containsExactly("{\"a\":1}");
        assertThat(records("")).isEmpty();
        assertThat(records(" \n ")).isEmpty();
    }

    @Test
    void aJsonArrayIsOneRecordPerElementWhateverTheLines() throws IOException {
        assertThat(records("[\n  {\"a\": [1, 2],\n   \"b\": \"]\"},\n  {\"c\": {}}\n]\n"))
                .containsExactly("{\"a\": [1, 2],\n   \"b\": \"]\"}", "{\"c\": {}}");
        assertThat(records("[]")).isEmpty();
        assertThat(records("[1, \"two\", null]")).containsExactly("1", "\"two\"", "null");
    }

    @Test
    void aCutOrMalformedFileFailsWithWhere() {
        assertThatThrownBy(() -> records("{\"a\":1}\n{\"b\":")).hasMessageContaining("cut off");
        assertThatThrownBy(() -> records("[{\"a\":1} {\"b\":2}]")).hasMessageContaining("after record 1");
        assertThatThrownBy(() -> records("[{\"a\":1}")).hasMessageContaining("after record 1, found the end");
        assertThatThrownBy(() -> new ResultRecords(new StringReader("{\"a\":\"" + "x".repeat(100) + "\"}"), 50)
                .forEach(r -> { })).hasMessageContaining("longer than 50 characters");
    }

    @Test
    void twoHundredThousandLinesAreReadHoldingOneLineAtATime() throws IOException {
        // About 80 MB of lines generated as they are read: nothing here holds the file, and the reader holds at most
        // one line (the longest), whatever the file's size.
        String line = "{\"bucket\":\"b\",\"prefix\":\"backups/\",\"runStartedAt\":\"2026-11-26T03:00:00.123Z\","
                + "\"scanned\":1000,\"matched\":1000,\"expired\":500,\"deleted\":500,\"failed\":0,\"locked\":0,"
                + "\"bytesDeleted\":50000,\"deleteRequests\":1,\"durationMs\":123,\"errors\":[],\"failure\":null,"
                + "\"padding\":\"" + "p".repeat(150) + "\"}\n";
        int lines = 200_000;
        Reader generated = new Reader() {
            long sent;
            final long total = (long) line.length() * lines;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (sent == total) {
                    return -1;
                }
                int n = (int) Math.min(length, total - sent);
                for (int i = 0; i < n; i++) {
                    buffer[offset + i] = line.charAt((int) ((sent + i) % line.length()));
                }
                sent += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
        ResultRecords reader = new ResultRecords(generated, ResultRecords.MAX_RECORD_CHARS);
        long[] chars = {0};

        long count = reader.forEach(record -> chars[0] += record.length());

        assertThat(count).isEqualTo(lines);
        assertThat(chars[0]).isEqualTo((long) (line.length() - 1) * lines).isGreaterThan(70_000_000L);
        assertThat(reader.largest()).as("the most characters held at once").isEqualTo(line.length() - 1);
    }
}
