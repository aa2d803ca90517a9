package io.github.s3sweeper.report;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.github.s3sweeper.testing.RuntimeSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SweepSummaryTest {

    static final SweepSummary SAMPLE = new SweepSummary("my-backups", "logs/", 30, "PT720H", "2026-01-01T00:00:00Z",
            false, "Enabled", 2500, 2400, 1200, 3, 1198, 2, 0, false, 0, 123_456_789_012L, 7, "2026-01-19T00:00:00Z",
            3100, 10, 1,
            List.of(new KeyError("logs/\"quoted\"\n", "AccessDenied", "Access Denied"),
                    new KeyError("logs/é ☃", "v1", "InternalError", "try again")),
            List.of(), 3, 2, true, null, null, null, 1234);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        return (Map<String, Object>) JacksonFactory.getInstance().getSerializer(Map.class).fromJson(json);
    }

    @Test
    void logLineAndRuntimeResponseCarryTheSameFields() {
        Map<String, Object> logged = parse(SAMPLE.toJson());
        Map<String, Object> returned = parse(RuntimeSerialization.writeResponse(SAMPLE));

        assertThat(logged).isEqualTo(returned);
        assertThat(logged.keySet()).containsExactly("bucket", "prefix", "retentionDays", "olderThan", "cutoff",
                "dryRun", "versioning", "scanned", "matched", "expired", "keptLatest", "deleted", "failed", "locked",
                "capped", "leftByCap", "bytesDeleted", "noncurrentDays", "noncurrentCutoff", "versionsScanned",
                "noncurrentDeleted", "deleteMarkersDeleted", "errors", "lockedKeys", "listRequests", "deleteRequests",
                "complete", "durationMs");
    }

    private static String awkward(Random random) {
        if (random.nextInt(4) == 0) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        int n = random.nextInt(10);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(5)) {
                case 0 -> text.append((char) ('a' + random.nextInt(26)));
                case 1 -> text.append("\"\\/\b\f\n\r\t\u0000\u001b\u007f\u2028".charAt(random.nextInt(12)));
                case 2 -> text.append((char) (0xA0 + random.nextInt(0xD000)));
                case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
                default -> text.append("logs/");
            }
        }
        return text.toString();
    }

    private static long count(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000);
            case 2 -> Long.MAX_VALUE - random.nextInt(3);
            default -> random.nextLong() & Long.MAX_VALUE;
        };
    }

    private static List<KeyError> errors(Random random) {
        List<KeyError> errors = new java.util.ArrayList<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String key = awkward(random);
            errors.add(new KeyError(key == null ? "k" : key, awkward(random), awkward(random), awkward(random)));
        }
        return errors;
    }

    static SweepSummary randomSummary(Random random) {
        Integer days = random.nextBoolean() ? null : random.nextInt(36501);
        return new SweepSummary(awkward(random), awkward(random), days, awkward(random), awkward(random),
                random.nextBoolean(), awkward(random), count(random), count(random), count(random), count(random),
                count(random), count(random), count(random), random.nextBoolean(), count(random), count(random),
                random.nextBoolean() ? null : Integer.MAX_VALUE - random.nextInt(2), awkward(random), count(random),
                count(random), count(random), errors(random), errors(random), count(random), count(random),
                random.nextBoolean(), awkward(random), awkward(random), awkward(random), count(random));
    }

    @Test
    void theJarsJsonIsTheRuntimesResponseFieldForFieldInOrderForAnySummary() {
        // The jar prints toJson(); Lambda returns what its serializer writes for the same record. Read back by one
        // reader, they must be the same fields, in the same order, with the same values, nulls left out alike.
        Random random = new Random(11);
        for (int i = 0; i < 1000; i++) {
            SweepSummary summary = randomSummary(random);

            Map<String, Object> printed = parse(summary.toJson());
            Map<String, Object> returned = parse(RuntimeSerialization.writeResponse(summary));

            assertThat(printed.toString()).as("summary %d", i).isEqualTo(returned.toString());
            assertThat(printed).isEqualTo(returned);
        }
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
                .contains("To delete:             1200")
                .contains("Deleted:               1198 (123456789012 bytes)")
                .contains("Failed:                2")
                .contains("Left to delete:        2");
    }

    private static SweepSummary stopped(String stoppedBy, String resumeAfter, String failure) {
        return new SweepSummary("b", "logs/", 30, "PT720H", "c", false, "Disabled", 10, 10, 4, 0, 4, 0, 0, false, 0,
                40, null, null, 0, 0, 0, List.of(), List.of(), 2, 1, false, resumeAfter, stoppedBy, failure, 9);
    }

    @Test
    void accountSaysARunStoppedByTheTimeBudgetAndWhereToResume() {
        assertThat(stopped(SweepSummary.TIME_BUDGET, "logs/k", null).toAccount())
                .startsWith("s3-sweeper run\n")
                .endsWith("Stopped early to stay within the time limit; resume after: logs/k");
    }

    @Test
    void accountOfAFailedListingPutsTheCauseFirstAndNeverBlamesTheTimeLimit() {
        String account = stopped(SweepSummary.LISTING_FAILED, "logs/k", "Boom. Listing s3://b/logs/ stopped there").toAccount();

        assertThat(account).startsWith("FAILED: Boom. Listing s3://b/logs/ stopped there\ns3-sweeper run\n")
                .endsWith("The listing failed after logs/k: keys after it were not examined")
                .doesNotContain("time limit");
        assertThat(stopped(SweepSummary.LISTING_FAILED, null, "x").toAccount())
                .endsWith("The listing failed before its first key: nothing was examined")
                .doesNotContain("null");
    }

    @Test
    void errorListIsCopiedNotShared() {
        List<KeyError> errors = new java.util.ArrayList<>();
        SweepSummary summary = new SweepSummary("b", "p", 1, "P1D", "c", true, "Disabled", 0, 0, 0, 0, 0, 0, 0, false,
                0, 0, null, null, 0, 0, 0, errors, List.of(), 0, 0, true, null, null, null, 0);
        errors.add(new KeyError("k", "c", "m"));

        assertThat(summary.errors()).isEmpty();
    }
}
