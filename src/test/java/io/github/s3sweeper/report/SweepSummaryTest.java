package io.github.s3sweeper.report;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.github.s3sweeper.cli.RuntimeSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SweepSummaryTest {

    static final SweepSummary SAMPLE = new SweepSummary("my-backups", "logs/", 30, "2026-01-01T00:00:00Z", false,
            2500, 1200, 1198, 2, 123_456_789_012L,
            List.of(new KeyError("logs/\"quoted\"\n", "AccessDenied", "Access Denied"),
                    new KeyError("logs/é ☃", "InternalError", "try again")),
            3, 2, 1234);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        return (Map<String, Object>) JacksonFactory.getInstance().getSerializer(Map.class).fromJson(json);
    }

    @Test
    void logLineAndRuntimeResponseCarryTheSameFields() {
        Map<String, Object> logged = parse(SAMPLE.toJson());
        Map<String, Object> returned = parse(RuntimeSerialization.writeResponse(SAMPLE));

        assertThat(logged).isEqualTo(returned);
        assertThat(logged.keySet()).containsExactly("bucket", "prefix", "retentionDays", "cutoff", "dryRun",
                "scanned", "expired", "deleted", "failed", "bytesDeleted", "errors", "listRequests",
                "deleteRequests", "durationMs");
    }

    @Test
    void jsonKeepsAwkwardKeysIntact() {
        Map<String, Object> logged = parse(SAMPLE.toJson());

        assertThat((List<Map<String, Object>>) logged.get("errors"))
                .extracting(e -> e.get("key"))
                .containsExactly("logs/\"quoted\"\n", "logs/é ☃");
        assertThat(((Number) logged.get("bytesDeleted")).longValue()).isEqualTo(123_456_789_012L);
    }

    @Test
    void accountStatesWhatIsLeftToDelete() {
        assertThat(SAMPLE.toAccount())
                .contains("Bucket:                my-backups")
                .contains("Objects scanned:       2500")
                .contains("Objects to delete:     1200")
                .contains("Deleted:               1198 (123456789012 bytes)")
                .contains("Failed:                2")
                .contains("Left to delete:        2");
    }

    @Test
    void errorListIsCopiedNotShared() {
        List<KeyError> errors = new java.util.ArrayList<>();
        SweepSummary summary = new SweepSummary("b", "p", 1, "c", true, 0, 0, 0, 0, 0, errors, 0, 0, 0);
        errors.add(new KeyError("k", "c", "m"));

        assertThat(summary.errors()).isEmpty();
    }
}
