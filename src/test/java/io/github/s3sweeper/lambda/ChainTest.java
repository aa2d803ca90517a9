package io.github.s3sweeper.lambda;

import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.config.RunRequest;
import io.github.s3sweeper.report.SweepSummary;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChainTest {

    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final OptionalLong NO_CAP = OptionalLong.empty();

    private static SweepSummary.Builder stopped(String resumeAfter) {
        return base().complete(false).resumeAfter(resumeAfter)
                .stoppedBy(SweepSummary.TIME_BUDGET).scanned(10).expired(4).deleted(4).listRequests(2);
    }

    private static SweepSummary.Builder base() {
        return SweepSummary.builder().bucket("b").prefix("p/").olderThan("P30D").cutoff("2026-10-27T03:00:00Z")
                .versioning("Disabled");
    }

    private static Chain first() {
        return Chain.of(RunRequest.parse(Map.of("trigger", "nightly"), NOW), "req-1", NOW);
    }

    @Test
    void aRunStoppedByItsBudgetThatMovedOnGoesOn() {
        assertThat(first().next(stopped("p/k5").build(), "p/k1", 20, NO_CAP)).isNull();
        assertThat(first().next(stopped("p/k5").build(), null, 20, NO_CAP)).isNull();
    }

    @Test
    void aCompleteRunEndsTheChain() {
        assertThat(first().next(base().complete(true).build(), null, 20, NO_CAP))
                .isEqualTo(Chain.End.COMPLETE);
    }

    @Test
    void aFailedListingEndsTheChain() {
        assertThat(first().next(stopped("p/k5").stoppedBy(SweepSummary.LISTING_FAILED).build(), null, 20, NO_CAP))
                .isEqualTo(Chain.End.LISTING_FAILED);
    }

    @Test
    void aRunThatDidNotMoveTheResumePointOnEndsTheChain() {
        assertThat(first().next(stopped("p/k5").build(), "p/k5", 20, NO_CAP)).isEqualTo(Chain.End.NO_PROGRESS);
        assertThat(first().next(stopped("p/k4").build(), "p/k5", 20, NO_CAP)).isEqualTo(Chain.End.NO_PROGRESS);
        assertThat(first().next(stopped(null).build(), "p/k5", 20, NO_CAP)).isEqualTo(Chain.End.NO_PROGRESS);
    }

    @Test
    void theResumePointIsComparedInS3sKeyOrderNotJavas() {
        // U+FFFD sorts after U+10000 in Java's UTF-16 order, before it in S3's UTF-8 order.
        assertThat(first().next(stopped("p/\uD800\uDC00").build(), "p/\uFFFD", 20, NO_CAP)).isNull();
    }

    @Test
    void theLastAllowedLinkEndsTheChain() {
        Chain twentieth = Chain.of(RunRequest.parse(Map.of("chain", state(20)), NOW), "req-20", NOW);

        assertThat(twentieth.next(stopped("p/k5").build(), "p/k1", 20, NO_CAP)).isEqualTo(Chain.End.MAX_LINKS);
        assertThat(first().next(stopped("p/k5").build(), "p/k1", 1, NO_CAP)).isEqualTo(Chain.End.NOT_CHAINED);
    }

    @Test
    void aRunThatUsedTheCapOrLeftSomeByItEndsTheChain() {
        assertThat(first().next(stopped("p/k5").build(), null, 20, OptionalLong.of(4))).isEqualTo(Chain.End.CAPPED);
        assertThat(first().next(stopped("p/k5").expired(6).leftByCap(2).build(), null, 20, OptionalLong.of(4)))
                .isEqualTo(Chain.End.CAPPED);
        assertThat(first().next(stopped("p/k5").build(), null, 20, OptionalLong.of(5))).isNull();
    }

    @Test
    void theNextInputIsThisInputWithTheResumePointWhatIsLeftOfTheCapAndTheChainsState() {
        RunRequest request = RunRequest.parse(Map.of("trigger", "nightly", "dryRun", true, "startAfter", "p/a"), NOW);
        Chain chain = Chain.of(request, "req-1", NOW);

        Map<String, Object> next = chain.nextInput(request, stopped("p/k5").build(), OptionalLong.of(10));

        assertThat(next).containsEntry("trigger", "nightly").containsEntry("dryRun", true)
                .containsEntry("startAfter", "p/k5").containsEntry("maxDeletes", 6L);
        assertThat(next.get("chain")).isEqualTo(Map.of("id", "req-1", "link", 2, "startedAt", NOW.toString(),
                "totals", totals(10, 4, 4, 2)));
        RunRequest again = RunRequest.parse(roundTrip(next), NOW.plusSeconds(900));
        assertThat(again.chain().link()).isEqualTo(2);
        assertThat(Chain.of(again, "req-2", NOW.plusSeconds(900)).startedAt()).isEqualTo(NOW);
    }

    /** A run of RULES stopped in rule {@code in}, after {@code key} (null: before its first key). */
    private static SweepSummary rulesStopped(String in, String key, String... before) {
        List<SweepSummary> rules = new java.util.ArrayList<>();
        for (String name : before) {
            rules.add(base().scanned(5).build().withRule(name));
        }
        rules.add(stopped(key).build().withRule(in));
        return stopped(key).build().withRules(rules);
    }

    @Test
    void aRunOfRulesThatStoppedInALaterRuleThanItStartedWithMovedOnEvenBeforeThatRulesFirstKey() {
        assertThat(first().next(rulesStopped("logs", null, "db"), null, null, "logs", 20, NO_CAP)).isNull();
        assertThat(first().next(rulesStopped("logs", "p/logs/k", "db"), null, null, "logs", 20, NO_CAP)).isNull();
        // Stopped in the rule it started with: it must have moved past the key it started after.
        assertThat(first().next(rulesStopped("db", null), null, null, "db", 20, NO_CAP))
                .isEqualTo(Chain.End.NO_PROGRESS);
        assertThat(first().next(rulesStopped("db", "p/db/k1"), "p/db/k1", "db", "db", 20, NO_CAP))
                .isEqualTo(Chain.End.NO_PROGRESS);
        assertThat(first().next(rulesStopped("db", "p/db/k2"), "p/db/k1", "db", "db", 20, NO_CAP)).isNull();
    }

    @Test
    void theNextInputOfARunOfRulesCarriesTheRuleToGoOnWithAndStartsItFromItsStartWhenNothingWasListed() {
        RunRequest request = RunRequest.parse(Map.of("trigger", "nightly", "startAfter", "p/db/k"), NOW);
        Chain chain = Chain.of(request, "req-1", NOW);

        Map<String, Object> fromStart = chain.nextInput(request, rulesStopped("logs", null, "db"), NO_CAP, "logs");
        Map<String, Object> afterKey = chain.nextInput(request, rulesStopped("logs", "p/logs/k", "db"), NO_CAP,
                "logs");

        assertThat(fromStart).doesNotContainKey("startAfter");
        assertThat(afterKey).containsEntry("startAfter", "p/logs/k");
        RunRequest again = RunRequest.parse(roundTrip(fromStart), NOW);
        assertThat(again.chain().rule()).isEqualTo("logs");
        assertThat(Chain.of(again, "req-2", NOW).rule()).isEqualTo("logs");
        assertThat(RunRequest.parse(roundTrip(chain.nextInput(request, stopped("p/k").build(), NO_CAP)), NOW)
                .chain().rule()).as("no rules: no rule").isNull();
    }

    @Test
    void aChainsRuleThatIsNotARulesNameIsRefused() {
        for (Object bad : List.of("", "a b", 7, "x".repeat(65))) {
            Map<String, Object> state = state(2);
            state.put("rule", bad);

            assertThatThrownBy(() -> RunRequest.parse(Map.of("chain", state), NOW))
                    .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("input field \"chain\".rule=")
                    .hasMessageContaining("not a rule's name");
        }
    }

    @Test
    void theRunsFrontierTravelsToTheNextRunWhichDoesNotListItAgain() {
        RunRequest request = RunRequest.parse(Map.of(), NOW);
        SweepSummary stopped = stopped("p/a/k5").resumeFrontier(List.of(
                io.github.s3sweeper.report.FrontierEntry.done("p/b/"),
                new io.github.s3sweeper.report.FrontierEntry("p/c/", "p/c/k9"))).build();

        Map<String, Object> next = Chain.of(request, "req-1", NOW).nextInput(request, stopped, NO_CAP);

        RunRequest again = RunRequest.parse(roundTrip(next), NOW);
        assertThat(again.chain().frontier()).containsExactly(io.github.s3sweeper.report.FrontierEntry.done("p/b/"),
                new io.github.s3sweeper.report.FrontierEntry("p/c/", "p/c/k9"));
    }

    @Test
    void aFrontierNotAsARunWritesItIsRefused() {
        for (Object bad : List.of("p/b/", List.of(Map.of("prefix", "p/b")), List.of(Map.of("prefix", "p/b/",
                "after", "p/c/k")), List.of(Map.of("prefix", "p/b/", "extra", 1)),
                java.util.Collections.nCopies(1001, Map.of("prefix", "p/b/")))) {
            Map<String, Object> state = state(2);
            state.put("frontier", bad);

            assertThatThrownBy(() -> RunRequest.parse(Map.of("chain", state), NOW)).as(String.valueOf(bad).length()
                    > 80 ? "1001 entries" : String.valueOf(bad)).isInstanceOf(InvalidSettingsException.class)
                    .hasMessageContaining("input field \"chain\".frontier");
        }
    }

    @Test
    void totalsAddUpAcrossRuns() {
        Map<String, Object> state = state(3);
        state.put("totals", new HashMap<>(Map.of("scanned", 100L, "deleted", 40L, "durationMs", 5L)));
        Chain third = Chain.of(RunRequest.parse(Map.of("chain", state), NOW), "req-3", NOW);

        Map<String, Long> totals = third.totals(stopped("p/k5").durationMs(7).build());

        assertThat(totals).containsEntry("scanned", 110L).containsEntry("deleted", 44L)
                .containsEntry("durationMs", 12L).containsEntry("listRequests", 2L).containsEntry("failed", 0L);
        SweepSummary whole = third.summary(stopped("p/k5").build(), NOW.plusSeconds(60), null);
        assertThat(whole.scanned()).isEqualTo(110);
        assertThat(whole.durationMs()).as("from the chain's start").isEqualTo(60_000);
        assertThat(whole.uploadsCutoff()).isNull();
    }

    @Test
    void theUploadsTheFirstRunAbortedReachTheChainsSummaryWithItsCutoff() {
        Map<String, Object> state = state(2);
        state.put("totals", new HashMap<>(Map.of("uploadsScanned", 4L, "uploadsExpired", 3L, "uploadsAborted", 2L,
                "uploadsFailed", 1L)));
        Chain second = Chain.of(RunRequest.parse(Map.of("chain", state), NOW), "req-2", NOW);

        // The later run leaves uploads alone: its own summary counts none and has no cutoff.
        SweepSummary whole = second.summary(stopped("p/k5").build(), NOW.plusSeconds(60), "2026-11-19T03:00:00Z");

        assertThat(whole.uploadsScanned()).isEqualTo(4);
        assertThat(whole.uploadsExpired()).isEqualTo(3);
        assertThat(whole.uploadsAborted()).isEqualTo(2);
        assertThat(whole.uploadsFailed()).isEqualTo(1);
        assertThat(whole.uploadsCutoff()).isEqualTo("2026-11-19T03:00:00Z");
    }

    @Test
    void aChainThatStartsInTheFutureIsRefusedSinceItWouldMoveTheCutoffForward() {
        Map<String, Object> state = state(2);
        state.put("startedAt", NOW.plusSeconds(3600).toString());

        assertThatThrownBy(() -> RunRequest.parse(Map.of("chain", state), NOW))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("input field \"chain\".startedAt=\"2026-11-26T04:00:00Z\": in the future");
    }

    @Test
    void aChainStateNotAsARunWritesItIsRefusedNamingEachPart() {
        Map<String, Object> state = new HashMap<>();
        state.put("id", "");
        state.put("link", 1);
        state.put("startedAt", "yesterday");
        state.put("totals", Map.of("deleted", -1, "secrets", 1));
        state.put("extra", true);

        assertThatThrownBy(() -> RunRequest.parse(Map.of("chain", state), NOW))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .hasSize(6).allSatisfy(p -> assertThat(p).startsWith("input field \"chain\"")
                                .contains("; allowed: the object a previous run of the chain gives")));
        assertThatThrownBy(() -> RunRequest.parse(Map.of("chain", List.of()), NOW))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("not an object");
    }

    private static Map<String, Object> state(int link) {
        Map<String, Object> state = new HashMap<>();
        state.put("id", "req-1");
        state.put("link", link);
        state.put("startedAt", NOW.toString());
        state.put("totals", Map.of());
        return state;
    }

    private static Map<String, Long> totals(long scanned, long expired, long deleted, long lists) {
        Map<String, Long> totals = new java.util.LinkedHashMap<>();
        for (String name : io.github.s3sweeper.config.ChainState.TOTALS) {
            totals.put(name, 0L);
        }
        totals.put("scanned", scanned);
        totals.put("expired", expired);
        totals.put("deleted", deleted);
        totals.put("listRequests", lists);
        return totals;
    }

    /** As the next run receives it: written as JSON, read by the Lambda runtime. */
    private static Map<String, Object> roundTrip(Map<String, Object> input) {
        return io.github.s3sweeper.testing.RuntimeSerialization.readEvent(io.github.s3sweeper.report.Json.write(input));
    }
}
