package io.github.s3sweeper.lambda;

import io.github.s3sweeper.config.ChainState;
import io.github.s3sweeper.config.RunRequest;
import io.github.s3sweeper.engine.Keys;
import io.github.s3sweeper.report.SweepSummary;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What one run of a chain decides about the next: whether to go on, why not, and what the next run is given. A tick's
 * first run is link 1; a run its time budget stopped with work left invokes the function again with the same input,
 * {@code startAfter} set to its {@code resumeAfter}, and the chain's state, so one tick sweeps the whole prefix.
 *
 * <p>Bounded on every side: at most {@code MAX_CHAIN_LINKS} runs; a run must move the resume point on or the chain
 * stops; a listing failure or {@code MAX_DELETES} (which counts for the chain as a whole: each run is given what is
 * left of it) stops it too. A run with
 * per-key failures goes on, and the chain's last run fails with the chain's totals, so the rest of the prefix is
 * still swept and the failures still reach Lambda's Errors metric.
 *
 * @param link      this run's place, 1 for a tick's first
 * @param id        the chain's id: its first run's request id
 * @param startedAt the chain's start: every run's cutoff is reckoned from it
 * @param before    the totals of the runs before this one
 * @param rule      with RULES: the rule this run starts with, as the run before said; null for the first rule
 *
 * <p>With RULES, a run the time budget stopped hands on the rule it stopped in (or the first it left unstarted) with
 * its resume point: the next run starts there, and the rules after it follow; the rules before it, swept whole by
 * earlier runs, are neither swept nor counted again.
 */
record Chain(int link, String id, Instant startedAt, Map<String, Long> before, String rule) {

    /** Why a chain ended, as its summary line's {@code stoppedBy} says it. */
    enum End {
        /** The prefix was swept to its end. */
        COMPLETE("complete"),
        /** MAX_DELETES was reached: the rest waits for the next tick, as after one capped run. */
        CAPPED("maxDeletes"),
        /** The listing failed: a next run would most likely fail the same way. */
        LISTING_FAILED(SweepSummary.LISTING_FAILED),
        /** MAX_CHAIN_LINKS runs have run. */
        MAX_LINKS("maxChainLinks"),
        /** The run did not move the resume point on: a next one would not either. */
        NO_PROGRESS("noProgress"),
        /** Not in Lambda, or MAX_CHAIN_LINKS is 1: nothing to continue with. */
        NOT_CHAINED("notChained");

        final String word;

        End(String word) {
            this.word = word;
        }
    }

    /** The chain a run begins: its own state, or a new chain whose first run this is. */
    static Chain of(RunRequest request, String requestId, Instant now) {
        ChainState state = request.chain();
        if (state == null) {
            return new Chain(1, requestId, now, Map.of(), null);
        }
        // A start after now was refused with the input; one a little after (another machine's clock) counts as now.
        Instant start = state.startedAt().isAfter(now) ? now : state.startedAt();
        return new Chain(state.link(), state.id(), start, state.totals(), state.rule());
    }

    /**
     * Whether the run that gave {@code summary} hands on to a next one, or why the chain ends with it.
     *
     * @param startedAfter the key this run listed after, null from the start of the prefix
     * @return null to go on, else why the chain ends here
     */
    End next(SweepSummary summary, String startedAfter, int maxLinks, OptionalLong maxDeletes) {
        return next(summary, startedAfter, null, null, maxLinks, maxDeletes);
    }

    /**
     * As {@link #next(SweepSummary, String, int, OptionalLong)} for a run of RULES, which moves on also when it stopped
     * in a later rule than it started with.
     *
     * @param startedRule the rule the run started with (null: the first, or no rules)
     * @param resumeRule  the rule the next run would start with (null: no rules)
     */
    End next(SweepSummary summary, String startedAfter, String startedRule, String resumeRule, int maxLinks,
             OptionalLong maxDeletes) {
        if (summary.complete()) {
            return End.COMPLETE;
        }
        if (!SweepSummary.TIME_BUDGET.equals(summary.stoppedBy())) {
            return End.LISTING_FAILED;
        }
        if (summary.leftByCap() > 0 || summary.capped() || (maxDeletes.isPresent()
                && chosen(summary) >= maxDeletes.getAsLong())) {
            return End.CAPPED;
        }
        if (maxLinks <= 1) {
            return End.NOT_CHAINED;
        }
        if (link >= maxLinks) {
            return End.MAX_LINKS;
        }
        String resume = summary.resumeAfter();
        if (resumeRule != null && !resumeRule.equals(startedRule == null ? firstRule(summary) : startedRule)) {
            return null; // a later rule than this run started with: the rules before it are done
        }
        if (resume == null || (startedAfter != null && Keys.compare(resume, startedAfter) <= 0)) {
            return End.NO_PROGRESS;
        }
        return null;
    }

    /** The rule a run of RULES started with: the first it reports. */
    private static String firstRule(SweepSummary summary) {
        return summary.rules() == null || summary.rules().isEmpty() ? null : summary.rules().get(0).rule();
    }

    /** What the cap counts: entries sent for deletion (or, on a dry run, that would have been). */
    private static long chosen(SweepSummary summary) {
        return summary.expired() - summary.leftByCap();
    }

    /** The totals of the chain so far: the runs before and this one. */
    Map<String, Long> totals(SweepSummary summary) {
        Map<String, Object> counts = summary.toMap();
        Map<String, Long> totals = new LinkedHashMap<>();
        for (String name : ChainState.TOTALS) {
            totals.put(name, before.getOrDefault(name, 0L) + ((Number) counts.get(name)).longValue());
        }
        return totals;
    }

    /**
     * The next run's input: this run's own fields as given, with {@code startAfter} the resume point, a cap lowered
     * by what the chain has chosen so far, and the chain's state.
     */
    Map<String, Object> nextInput(RunRequest request, SweepSummary summary, OptionalLong maxDeletes) {
        return nextInput(request, summary, maxDeletes, null);
    }

    /** @param resumeRule with RULES: the rule the next run starts with, after {@code resumeAfter} when there is one */
    Map<String, Object> nextInput(RunRequest request, SweepSummary summary, OptionalLong maxDeletes,
                                  String resumeRule) {
        Map<String, Object> input = new LinkedHashMap<>(request.given());
        input.remove(ChainState.FIELD);
        if (resumeRule != null && summary.resumeAfter() == null) {
            input.remove("startAfter"); // the rule from its start
        } else {
            input.put("startAfter", summary.resumeAfter());
        }
        if (summary.dryRun()) {
            // A chain that began as a dry run stays one, whatever DRY_RUN says by the time its next run starts.
            input.put("dryRun", true);
        }
        if (maxDeletes.isPresent()) {
            // This run's cap is what the chain had left of it; next() ends the chain when this run used it all.
            input.put("maxDeletes", maxDeletes.getAsLong() - chosen(summary));
        }
        Map<String, Object> chain = new LinkedHashMap<>();
        chain.put("id", id);
        chain.put("link", link + 1);
        chain.put("startedAt", startedAt.toString());
        chain.put("totals", totals(summary));
        if (!summary.resumeFrontier().isEmpty()) {
            // What the run decided beyond its resume point, as its summary writes it: the next one does not list it.
            chain.put("frontier", summary.toMap().get("resumeFrontier"));
        }
        if (resumeRule != null) {
            chain.put("rule", resumeRule);
        }
        input.put(ChainState.FIELD, chain);
        return input;
    }

    /**
     * The chain's summary, as one run's: this run's settings and stop, the chain's counts; {@code durationMs} is from
     * the chain's start to now (the runs' own durations add up to the totals' {@code durationMs}).
     *
     * @param uploadsCutoff the cutoff the chain's first run aborted incomplete uploads before, null when it did not:
     *                      the later runs leave uploads alone, so their own summaries have none
     */
    SweepSummary summary(SweepSummary last, Instant now, String uploadsCutoff) {
        Map<String, Long> t = totals(last);
        return SweepSummary.builder()
                .bucket(last.bucket()).prefix(last.prefix()).retentionDays(last.retentionDays())
                .olderThan(last.olderThan()).cutoff(last.cutoff()).dryRun(last.dryRun()).versioning(last.versioning())
                .scanned(t.get("scanned")).matched(t.get("matched")).expired(t.get("expired"))
                .keptLatest(t.get("keptLatest")).deleted(t.get("deleted")).failed(t.get("failed"))
                .locked(t.get("locked")).leftByCap(t.get("leftByCap")).bytesDeleted(t.get("bytesDeleted"))
                .noncurrentDays(last.noncurrentDays()).noncurrentCutoff(last.noncurrentCutoff())
                .versionsScanned(t.get("versionsScanned")).noncurrentDeleted(t.get("noncurrentDeleted"))
                .deleteMarkersDeleted(t.get("deleteMarkersDeleted"))
                .uploadsCutoff(uploadsCutoff != null ? uploadsCutoff : last.uploadsCutoff())
                .uploadsScanned(t.get("uploadsScanned")).uploadsExpired(t.get("uploadsExpired"))
                .uploadsAborted(t.get("uploadsAborted")).uploadsFailed(t.get("uploadsFailed"))
                .errors(last.errors()).lockedKeys(last.lockedKeys())
                .listRequests(t.get("listRequests")).deleteRequests(t.get("deleteRequests"))
                .complete(last.complete()).resumeAfter(last.resumeAfter()).stoppedBy(last.stoppedBy())
                .failure(last.failure())
                .durationMs(Math.max(0, now.toEpochMilli() - startedAt.toEpochMilli()))
                .build();
    }
}
