package io.github.s3sweeper.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AgeWordsTest {

    @ParameterizedTest(name = "days={0}, {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "-,     PT1M,       1 minute",
            "-,     PT1H30M,    90 minutes",
            "-,     PT1H,       1 hour",
            "-,     PT25H,      25 hours",
            "-,     PT36H,      36 hours",
            "-,     PT876000H,  36500 days",
            "1,     PT24H,      1 day",
            "30,    PT720H,     30 days",
            "36500, PT876000H,  36500 days",
    })
    void saysAnAgeInTheLargestUnitThatHoldsItWhole(Integer days, String iso, String words) {
        assertThat(AgeWords.of(days, iso)).isEqualTo(words);
    }

    @Test
    void anAgeGivenAs7dReadsAsDaysThoughTheSummaryHoldsItInHours() {
        String olderThan = Duration.ofDays(7).toString(); // what OLDER_THAN=7d leaves in the summary

        assertThat(olderThan).isEqualTo("PT168H");
        assertThat(AgeWords.of(null, olderThan)).isEqualTo("7 days");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "PT36H30S,    1 day 12 hours 30 seconds",
            "PT1M1S,      1 minute 1 second",
            "PT1M0.5S,    1 minute 0.5 seconds",
            "PT2H3M4.25S, 2 hours 3 minutes 4.25 seconds",
    })
    void saysAnAgeNoUnitHoldsWholeInParts(String iso, String words) {
        assertThat(AgeWords.of(null, iso)).isEqualTo(words);
    }
}
