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
        assertThat(RunRequest.parse(Map.of("trigger", "nightly"))).isEqualTo(new RunRequest("nightly", Overrides.NONE));
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
                        + " not a string; allowed: a short label");
    }

    @Test
    void namesAFieldAsSafelyAsAValue() {
        assertThatThrownBy(() -> RunRequest.parse(Map.of("pre\nfix\u001b[2J", "logs/")))
                .hasMessageStartingWith("Invalid settings, nothing was listed or deleted: input field"
                        + " \"pre\\nfix\\u001b[2J\": unknown; allowed fields: dryRun,");
    }
}
