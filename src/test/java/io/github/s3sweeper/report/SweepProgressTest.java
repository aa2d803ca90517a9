package io.github.s3sweeper.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SweepProgressTest {

    @Test
    void lineGroupsThousandsAndEndsWithTheRateAndTheElapsedTime() {
        SweepProgress progress = new SweepProgress(1_234_000, 800_112, 799_000, 0, Duration.ofSeconds(30));

        assertThat(progress.toLine())
                .isEqualTo("scanned 1,234,000  chosen 800,112  deleted 799,000  failed 0  41,133/s  0:30");
    }

    @ParameterizedTest(name = "{0} s -> {1}")
    @CsvSource({"0, 0:00", "59, 0:59", "61, 1:01", "3599, 59:59", "3600, 1:00:00", "90061, 25:01:01"})
    void elapsedTimeReadsAsAStopwatch(long seconds, String shown) {
        assertThat(SweepProgress.clock(Duration.ofSeconds(seconds).plusMillis(999))).isEqualTo(shown);
    }

    @Test
    void rateIsZeroBeforeAnyTimeHasPassed() {
        assertThat(new SweepProgress(10, 0, 0, 0, Duration.ZERO).objectsPerSecond()).isZero();
    }

    @Test
    void logFieldsUseTheSummarysNamesAndGiveTheRateAndElapsedMilliseconds() {
        SweepProgress progress = new SweepProgress(3000, 1200, 1000, 2, Duration.ofMillis(1500));

        assertThat(progress.toMap()).containsExactly(
                Map.entry("scanned", 3000L), Map.entry("expired", 1200L),
                Map.entry("deleted", 1000L), Map.entry("failed", 2L),
                Map.entry("objectsPerSecond", 2000L), Map.entry("elapsedMs", 1500L));
    }
}
