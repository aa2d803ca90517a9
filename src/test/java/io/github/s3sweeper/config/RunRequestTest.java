package io.github.s3sweeper.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunRequestTest {

    @Test
    void emptyInputIsAManualRun() {
        assertThat(RunRequest.parse(Map.of())).isEqualTo(new RunRequest("manual", Overrides.NONE));
        assertThat(RunRequest.parse(null)).isEqualTo(new RunRequest("manual", Overrides.NONE));
    }

    @Test
    void schedulerInputNamesItsTrigger() {
        assertThat(RunRequest.parse(Map.of("trigger", "nightly"))).isEqualTo(new RunRequest("nightly", Overrides.NONE,
                null, Map.of("trigger", "nightly")));
    }

    @Test
    void classicScheduledEventIsNamedByItsRule() {
        Map<String, Object> event = Map.of(
                "source", "aws.events",
                "detail-type", "Scheduled Event",
                "resources", List.of("arn:aws:events:us-east-1:123456789012:rule/nightly"),
                "detail", Map.of());

        assertThat(RunRequest.parse(event).trigger()).isEqualTo("arn:aws:events:us-east-1:123456789012:rule/nightly");
    }

    @Test
    void refusesUnknownFieldsNamingEachOne() {
        assertThatThrownBy(() -> RunRequest.parse(Map.of("prefx", "logs/", "retention", 3)))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("input field \"prefx\": unknown; allowed fields: dryRun, exclude, include, keepLatest,"
                        + " maxDeletes, maxSize, minSize, olderThan, prefix, retentionDays, startAfter, trigger")
                .hasMessageContaining("input field \"retention\": unknown");
    }

    @Test
    void refusesNonStringTrigger() {
        assertThatThrownBy(() -> RunRequest.parse(Map.of("trigger", 5)))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("Invalid settings, nothing was listed or deleted: input field \"trigger\"=5: a JSON number,"
                        + " not a string; allowed: a short label of at most 256 characters, such as the schedule's name");
    }

    @Test
    void refusesATriggerTooLongToBeALabel() {
        assertThat(RunRequest.parse(Map.of("trigger", "t".repeat(256))).trigger()).hasSize(256);
        assertThatThrownBy(() -> RunRequest.parse(Map.of("trigger", "t".repeat(1_000_000))))
                .hasMessage("Invalid settings, nothing was listed or deleted: input field \"trigger\"=\"" + "t".repeat(100)
                        + "\"... (1000000 characters): longer than 256 characters; allowed: a short label of at most 256"
                        + " characters, such as the schedule's name");
    }

    @Test
    void refusesAStartAfterLongerThanAKey() {
        assertThatThrownBy(() -> RunRequest.parse(Map.of("startAfter", "logs/" + "é".repeat(510))))
                .hasMessage("Invalid settings, nothing was listed or deleted: input field \"startAfter\"=\"logs/"
                        + "é".repeat(95) + "\"... (515 characters): longer than 1024 bytes; allowed: a key of at most 1024"
                        + " bytes to resume after, as a previous run's resumeAfter gives");
    }

    @Test
    void namesAFieldAsSafelyAsAValue() {
        assertThatThrownBy(() -> RunRequest.parse(Map.of("pre\nfix\u001b[2J", "logs/")))
                .hasMessageStartingWith("Invalid settings, nothing was listed or deleted: input field"
                        + " \"pre\\nfix\\u001b[2J\": unknown; allowed fields: dryRun,");
    }

    @Test
    void namesTenUnknownFieldsAndCountsTheRest() {
        Map<String, Object> event = new java.util.HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            event.put(String.format("f%06d", i), i);
        }

        InvalidSettingsException e = org.assertj.core.api.Assertions.catchThrowableOfType(InvalidSettingsException.class,
                () -> RunRequest.parse(event));

        assertThat(e.problems()).hasSize(11);
        assertThat(e.problems().get(0)).startsWith("input field \"f000000\": unknown; allowed fields:");
        assertThat(e.problems().get(10)).isEqualTo("99990 more unknown input fields; allowed fields: dryRun, exclude,"
                + " include, keepLatest, maxDeletes, maxSize, minSize, olderThan, prefix, retentionDays, startAfter,"
                + " trigger");
    }
}
