package io.github.s3sweeper.report;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.github.s3sweeper.testing.RuntimeSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class SweepSummaryTest {

    static final SweepSummary SAMPLE = SweepSummary.builder()
            .bucket("my-backups").prefix("logs/").retentionDays(30).olderThan("PT720H").cutoff("2026-01-01T00:00:00Z")
            .versioning("Enabled")
            .scanned(2500).matched(2400).expired(1200).keptLatest(3).deleted(1198).failed(2)
            .bytesDeleted(123_456_789_012L)
            .noncurrentDays(7).noncurrentCutoff("2026-01-19T00:00:00Z")
            .versionsScanned(3100).noncurrentDeleted(10).deleteMarkersDeleted(1)
            .uploadsCutoff("2026-01-24T00:00:00Z").uploadsScanned(5).uploadsExpired(3).uploadsAborted(2)
            .uploadsFailed(1)
            .errors(List.of(new KeyError("logs/\"quoted\"\n", "AccessDenied", "Access Denied"),
                    new KeyError("logs/é ☃", "v1", "InternalError", "try again")))
            .listRequests(3).deleteRequests(2).durationMs(1234)
            .build();

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
                "dryRun", "versioning", "scanned", "matched", "expired", "keptLatest", "keptByRule", "groups",
                        "heldPeak", "deleted", "failed", "locked",
                "capped", "leftByCap", "bytesDeleted", "noncurrentDays", "noncurrentCutoff", "versionsScanned",
                "noncurrentDeleted", "deleteMarkersDeleted", "uploadsCutoff", "uploadsScanned", "uploadsExpired",
                "uploadsAborted", "uploadsFailed", "errors", "lockedKeys", "listRequests", "deleteRequests",
                "complete", "durationMs", "resumeFrontier");
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

    /** For the fields every summary has. */
    private static String present(Random random) {
        String text = awkward(random);
        return text == null ? "" : text;
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

    private static List<FrontierEntry> frontier(Random random) {
        List<FrontierEntry> entries = new java.util.ArrayList<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String prefix = present(random) + i + "/";
            String tail = awkward(random);
            entries.add(new FrontierEntry(prefix, tail == null ? null : prefix + tail));
        }
        return entries;
    }

    private static Map<String, Long> keptByRule(Random random) {
        Map<String, Long> kept = new java.util.LinkedHashMap<>();
        for (String rule : List.of("KEEP_DAILY", "KEEP_LATEST", "KEEP_WITHIN")) {
            if (random.nextBoolean()) {
                kept.put(rule, count(random));
            }
        }
        return kept;
    }

    static SweepSummary randomSummary(Random random) {
        Integer days = random.nextBoolean() ? null : random.nextInt(36501);
        return new SweepSummary(null, present(random), present(random), days, present(random), present(random),
                random.nextBoolean(), awkward(random), count(random), count(random), count(random), count(random),
                keptByRule(random), count(random), count(random),
                count(random), count(random), count(random), random.nextBoolean(), count(random), count(random),
                random.nextBoolean() ? null : Integer.MAX_VALUE - random.nextInt(2), awkward(random), count(random),
                count(random), count(random), awkward(random), count(random), count(random), count(random),
                count(random), errors(random), errors(random), count(random), count(random),
                random.nextBoolean(), awkward(random), awkward(random), awkward(random), count(random),
                frontier(random), null);
    }

    @Test
    void theJarsJsonIsTheRuntimesResponseFieldForFieldInOrderForAnySummary() {
        // The jar prints toJson(); Lambda returns what its serializer writes for the same record. Read back by one
        // reader, they must be the same fields, in the same order, with the same values, nulls left out alike. Not
        // the same bytes: Jackson writes an astral character as an escaped surrogate pair, and \u001B in capitals.
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
    @SuppressWarnings("unchecked")
    void aTotalOfRulesIsWrittenByTheRuntimeAsByTheJarWithEachRulesSummaryNamedFirst() {
        Random random = new Random(13);
        for (int i = 0; i < 200; i++) {
            SweepSummary total = randomSummary(random).withRules(List.of(randomSummary(random).withRule("db"),
                    randomSummary(random).withRule("logs.v2")));

            Map<String, Object> printed = parse(total.toJson());

            assertThat(printed).as("summary %d", i).isEqualTo(parse(RuntimeSerialization.writeResponse(total)));
            assertThat(printed).doesNotContainKey("rule");
            assertThat((List<Map<String, Object>>) printed.get("rules")).extracting(rule -> rule.keySet().iterator()
                    .next()).containsOnly("rule");
        }
        assertThat(parse(randomSummary(random).toJson())).as("no rules: no rules field").doesNotContainKey("rules");
    }

    @Test
    void runtimeSerializerWritesTheSummaryExactlyAsTheJsonLine() {
        SweepSummary stoppedWithNulls = stopped(SweepSummary.LISTING_FAILED, null, "Boom");

        assertThat(RuntimeSerialization.writeResponse(SAMPLE)).isEqualTo(SAMPLE.toJson());
        assertThat(RuntimeSerialization.writeResponse(stoppedWithNulls)).isEqualTo(stoppedWithNulls.toJson());
    }

    @Test
    void builderLeavesUnsetCountsAtZeroAndUnsetOptionalFieldsOutOfTheJson() {
        SweepSummary minimal = SweepSummary.builder().bucket("b").prefix("").olderThan("PT1H").cutoff("c").build();

        assertThat(parse(minimal.toJson())).containsOnlyKeys("bucket", "prefix", "olderThan", "cutoff", "dryRun",
                        "versioning", "scanned", "matched", "expired", "keptLatest", "keptByRule", "groups",
                        "heldPeak", "deleted", "failed", "locked",
                        "capped", "leftByCap", "bytesDeleted", "versionsScanned", "noncurrentDeleted",
                        "deleteMarkersDeleted", "uploadsScanned", "uploadsExpired", "uploadsAborted",
                        "uploadsFailed", "errors", "lockedKeys", "listRequests", "deleteRequests", "complete",
                        "durationMs", "resumeFrontier")
                .containsEntry("scanned", 0).containsEntry("complete", true).containsEntry("versioning", "Unknown")
                .containsEntry("errors", List.of()).containsEntry("resumeFrontier", List.of());
    }

    @Test
    void aStoppedRunsFrontierEndsTheJsonWithEachSubPrefixAndItsKeyWhenPartWay() {
        SweepSummary summary = SweepSummary.builder().bucket("b").prefix("logs/").olderThan("PT1H").cutoff("c")
                .complete(false).resumeAfter("logs/a/k1").stoppedBy(SweepSummary.TIME_BUDGET).durationMs(9)
                .resumeFrontier(List.of(new FrontierEntry("logs/b/", "logs/b/k9"), FrontierEntry.done("logs/c/")))
                .build();

        assertThat(summary.toJson()).endsWith(
                ",\"durationMs\":9,\"resumeFrontier\":[{\"prefix\":\"logs/b/\",\"after\":\"logs/b/k9\"},"
                        + "{\"prefix\":\"logs/c/\"}]}");
        assertThat(RuntimeSerialization.writeResponse(summary)).isEqualTo(summary.toJson());
    }

    @Test
    void aCompleteRunsFrontierIsAnEmptyList() {
        SweepSummary complete = SweepSummary.builder().bucket("b").prefix("").olderThan("PT1H").cutoff("c").build();

        assertThat(complete.toJson()).endsWith(",\"resumeFrontier\":[]}");
        assertThat(RuntimeSerialization.writeResponse(complete)).isEqualTo(complete.toJson());
    }

    @Test
    void builderRefusesASummaryWithoutItsBucket() {
        assertThatNullPointerException()
                .isThrownBy(() -> SweepSummary.builder().prefix("").olderThan("PT1H").cutoff("c").build())
                .withMessage("bucket");
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
        return SweepSummary.builder().bucket("b").prefix("logs/").retentionDays(30).olderThan("PT720H").cutoff("c")
                .versioning("Disabled").scanned(10).matched(10).expired(4).deleted(4).bytesDeleted(40)
                .listRequests(2).deleteRequests(1)
                .complete(false).resumeAfter(resumeAfter).stoppedBy(stoppedBy).failure(failure).durationMs(9)
                .build();
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
    void accountSaysAThresholdNotGivenInDaysInWordsNotInIso() {
        SweepSummary minute = SweepSummary.builder().bucket("b").prefix("").olderThan("PT1M")
                .cutoff("2026-01-01T00:00:00Z").build();

        assertThat(minute.toAccount())
                .contains("Threshold:             1 minute (objects last modified before 2026-01-01T00:00:00Z")
                .doesNotContain("PT1M");
    }

    @Test
    void errorListIsCopiedNotShared() {
        List<KeyError> errors = new java.util.ArrayList<>();
        SweepSummary summary = SweepSummary.builder().bucket("b").prefix("p").retentionDays(1).olderThan("PT24H")
                .cutoff("c").errors(errors).build();
        errors.add(new KeyError("k", "c", "m"));

        assertThat(summary.errors()).isEmpty();
    }
}
