package io.github.s3sweeper.lambda;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {

    private static final DateTimeFormatter LINE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void writesWhatInstantToStringAndTheLineFormatterWrite() {
        Random random = new Random(7);
        long min = Instant.parse("0900-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long second = i % 10 == 0 ? random.nextInt(2_000_000_000) : min + (long) (random.nextDouble() * (max - min));
            int nanos = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            assertThat(Timestamps.iso(instant)).isEqualTo(instant.toString());
            assertThat(Timestamps.lineTime(instant)).isEqualTo(LINE_TIME.format(instant));
        }
    }

    @Test
    void theCachedSecondNeverLeaksIntoAnother() {
        Instant a = Instant.parse("2026-12-01T10:00:00.999Z");
        Instant b = Instant.parse("2026-12-01T10:00:01.000Z");
        assertThat(Timestamps.lineTime(a)).isEqualTo("2026-12-01T10:00:00.999Z");
        assertThat(Timestamps.lineTime(b)).isEqualTo("2026-12-01T10:00:01.000Z");
        assertThat(Timestamps.lineTime(a)).isEqualTo("2026-12-01T10:00:00.999Z");
    }
}
