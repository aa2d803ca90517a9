package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.Rule;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.FrontierEntry;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepProgress;
import io.github.s3sweeper.report.SweepSummary;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A run of {@code RULES}: each rule's prefix swept in turn by a {@link Sweeper} of its own settings, against one time
 * budget and one {@code MAX_DELETES}. A rule the time budget stopped stops the run: the rules after it are reported as
 * not run. The cap is the invocation's: the rules after it is reached delete nothing (their entries are left by the
 * cap, counted). A rule that fails (a listing error, keys not deleted) does not stop the others, which are
 * independent; the run then fails with every rule's exact summary.
 *
 * <p>The total has the shape of one run's summary: the counts summed, complete only when every rule is, the errors
 * of all (the first {@value SweepSummary#MAX_ERRORS}), its {@code rules} each rule's summary, and where the run stopped
 * (the rule the time budget stopped, its {@code resumeAfter} and {@code resumeFrontier}): {@link #resumeRule}.
 */
public final class RuleSweeper {

    /** Hears when each rule starts and ends, so an adapter can log it. */
    public interface Listener {
        /** @return what hears about the rule's entries */
        SweepListener starting(Rule rule, SweepSettings settings);

        /** @param summary the rule's summary ({@link SweepSummary#rule()} its name), whether it ran or not */
        void ended(Rule rule, SweepSummary summary, boolean failed);
    }

    private final S3Client s3;
    private final Clock clock;
    private final List<Rule> rules;
    private final SweepSettings top;
    private final Listener listener;
    private final Budget budget;
    private final Consumer<Duration> pause;
    private final List<SweepSummary> finished = new ArrayList<>();
    private volatile Sweeper current;
    private volatile SweepProgress before = SweepProgress.NOT_STARTED;
    private String resumeRule;

    /**
     * @param rules the rules, in order, with the invocation's overrides applied
     * @param top   the top-level settings of the invocation: its bucket, its prefix and age (the total's) and its cap
     */
    public RuleSweeper(S3Client s3, Clock clock, List<Rule> rules, SweepSettings top, Listener listener,
                       Budget budget) {
        this(s3, clock, rules, top, listener, budget, Retrying::sleep);
    }

    public RuleSweeper(S3Client s3, Clock clock, List<Rule> rules, SweepSettings top, Listener listener,
                       Budget budget, Consumer<Duration> pause) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rules = List.copyOf(rules);
        this.top = Objects.requireNonNull(top, "top");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.pause = Objects.requireNonNull(pause, "pause");
        if (this.rules.isEmpty()) {
            throw new IllegalArgumentException("no rules");
        }
    }

    /** Every rule from the first. */
    public SweepSummary run() {
        return run(null, null, List.of());
    }

    /**
     * Sweeps the rules from {@code startRule} on (the rules before it are not run nor reported: an earlier run of a
     * chain swept them), the first after {@code startAfter} with {@code frontier}, the others whole.
     *
     * @param startRule the name of the rule to start with, null for the first
     * @param startAfter where in {@code startRule}'s prefix to resume, or null for its start
     * @throws SweepFailedException when a rule failed; its summary is the total, every rule's summary in it
     */
    public SweepSummary run(String startRule, String startAfter, List<FrontierEntry> frontier) {
        long startNanos = System.nanoTime();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        OptionalLong cap = top.maxDeletes();
        String versioning = null;
        long chosen = 0;
        boolean started = startRule == null;
        boolean stopped = false;
        SweepFailedException firstFailure = null;
        List<String> failures = new ArrayList<>();
        for (Rule rule : rules) {
            boolean first = !started;
            if (!started && !rule.name().equals(startRule)) {
                continue;
            }
            started = true;
            SweepSettings.Builder settings = rule.sweep().toBuilder();
            if (first) {
                settings.startAfter(startAfter).resumeFrontier(frontier);
            }
            if (cap.isPresent()) {
                settings.maxDeletes(OptionalLong.of(Math.max(0, cap.getAsLong() - chosen)));
            }
            SweepSettings sweep = settings.build();
            SweepSummary summary;
            boolean failed = false;
            if (stopped || budget.exhausted()) {
                stopped = true;
                summary = notRun(rule, sweep, now);
            } else {
                Sweeper sweeper = new Sweeper(s3, clock, sweep, listener.starting(rule, sweep), budget, pause)
                        .versioningKnown(versioning);
                current = sweeper;
                try {
                    summary = sweeper.run().withRule(rule.name());
                } catch (SweepFailedException e) {
                    summary = e.summary().withRule(rule.name());
                    failed = true;
                    failures.add("rule " + rule.name() + ": " + e.getMessage());
                    firstFailure = firstFailure == null ? e : firstFailure;
                } finally {
                    current = null;
                }
                // The rules share a bucket: its versioning is asked once, by the first rule that runs.
                versioning = summary.versioning();
                chosen += summary.expired() - summary.leftByCap();
                if (!summary.complete() && SweepSummary.TIME_BUDGET.equals(summary.stoppedBy())) {
                    stopped = true;
                    resumeRule = rule.name();
                }
            }
            if (stopped && resumeRule == null) {
                resumeRule = rule.name(); // out of time before this rule began: the next run starts it
            }
            finished.add(summary);
            before = sum(before, summary);
            listener.ended(rule, summary, failed);
        }
        if (!started) {
            throw new IllegalArgumentException("no rule named " + startRule);
        }
        SweepSummary total = total(finished, failures, now, (System.nanoTime() - startNanos) / 1_000_000);
        if (firstFailure != null) {
            throw new SweepFailedException(total.failure(), total, firstFailure.getCause());
        }
        return total;
    }

    /**
     * The rule the next run starts with, after the total's {@code resumeAfter} (null: from its start): the one the
     * time budget stopped, or the first it left unstarted; null when no rule was stopped by the time budget.
     */
    public String resumeRule() {
        return resumeRule;
    }

    /** The counts so far: the rules that ended, and the one running. */
    public SweepProgress progress() {
        Sweeper running = current;
        SweepProgress done = before;
        return running == null ? done : add(done, running.progress());
    }

    private static SweepProgress add(SweepProgress a, SweepProgress b) {
        return new SweepProgress(a.scanned() + b.scanned(), a.expired() + b.expired(), a.deleted() + b.deleted(),
                a.failed() + b.failed(), a.elapsed().plus(b.elapsed()));
    }

    private static SweepProgress sum(SweepProgress progress, SweepSummary summary) {
        return add(progress, new SweepProgress(summary.scanned(), summary.expired(), summary.deleted(),
                summary.failed(), Duration.ofMillis(summary.durationMs())));
    }

    /** A rule the time budget left no time for: nothing listed, to start from where it would have. */
    private static SweepSummary notRun(Rule rule, SweepSettings sweep, Instant now) {
        return SweepSummary.builder().bucket(sweep.bucket()).prefix(sweep.prefix())
                .retentionDays(sweep.age().days()).olderThan(sweep.age().iso())
                .cutoff(now.minus(sweep.age().duration()).toString()).dryRun(sweep.dryRun())
                .noncurrentDays(sweep.noncurrentDays().isPresent() ? sweep.noncurrentDays().getAsInt() : null)
                .complete(false).stoppedBy(SweepSummary.TIME_BUDGET).resumeAfter(sweep.startAfter())
                .resumeFrontier(sweep.resumeFrontier())
                .build().withRule(rule.name());
    }

    private SweepSummary total(List<SweepSummary> all, List<String> failures, Instant now, long durationMs) {
        SweepSummary.Builder total = SweepSummary.builder().bucket(top.bucket()).prefix(top.prefix())
                .retentionDays(top.age().days()).olderThan(top.age().iso())
                .cutoff(now.minus(top.age().duration()).toString())
                .dryRun(all.stream().allMatch(SweepSummary::dryRun))
                .versioning(all.stream().map(SweepSummary::versioning).filter(v -> !"Unknown".equals(v)).findFirst()
                        .orElse("Unknown"))
                .noncurrentDays(all.get(0).noncurrentDays()).noncurrentCutoff(all.get(0).noncurrentCutoff())
                .scanned(all.stream().mapToLong(SweepSummary::scanned).sum())
                .matched(all.stream().mapToLong(SweepSummary::matched).sum())
                .expired(all.stream().mapToLong(SweepSummary::expired).sum())
                .keptLatest(all.stream().mapToLong(SweepSummary::keptLatest).sum())
                .keptByRule(keptByRule(all))
                .groups(all.stream().mapToLong(SweepSummary::groups).sum())
                // The rules run one after another, each freeing what its keep rules held: the peak is one rule's.
                .heldPeak(all.stream().mapToLong(SweepSummary::heldPeak).max().orElse(0))
                .deleted(all.stream().mapToLong(SweepSummary::deleted).sum())
                .failed(all.stream().mapToLong(SweepSummary::failed).sum())
                .locked(all.stream().mapToLong(SweepSummary::locked).sum())
                .leftByCap(all.stream().mapToLong(SweepSummary::leftByCap).sum())
                .bytesDeleted(all.stream().mapToLong(SweepSummary::bytesDeleted).sum())
                .versionsScanned(all.stream().mapToLong(SweepSummary::versionsScanned).sum())
                .noncurrentDeleted(all.stream().mapToLong(SweepSummary::noncurrentDeleted).sum())
                .deleteMarkersDeleted(all.stream().mapToLong(SweepSummary::deleteMarkersDeleted).sum())
                .uploadsCutoff(all.stream().map(SweepSummary::uploadsCutoff).filter(java.util.Objects::nonNull)
                        .findFirst().orElse(null))
                .uploadsScanned(all.stream().mapToLong(SweepSummary::uploadsScanned).sum())
                .uploadsExpired(all.stream().mapToLong(SweepSummary::uploadsExpired).sum())
                .uploadsAborted(all.stream().mapToLong(SweepSummary::uploadsAborted).sum())
                .uploadsFailed(all.stream().mapToLong(SweepSummary::uploadsFailed).sum())
                .errors(first(all.stream().flatMap(s -> s.errors().stream()).toList()))
                .lockedKeys(first(all.stream().flatMap(s -> s.lockedKeys().stream()).toList()))
                .listRequests(all.stream().mapToLong(SweepSummary::listRequests).sum())
                .deleteRequests(all.stream().mapToLong(SweepSummary::deleteRequests).sum())
                .complete(all.stream().allMatch(SweepSummary::complete))
                .failure(failures.isEmpty() ? null : String.join("; ", failures))
                .durationMs(durationMs);
        SweepSummary stoppedByTime = all.stream()
                .filter(s -> !s.complete() && SweepSummary.TIME_BUDGET.equals(s.stoppedBy())).findFirst().orElse(null);
        SweepSummary incomplete = stoppedByTime != null ? stoppedByTime
                : all.stream().filter(s -> !s.complete()).findFirst().orElse(null);
        if (incomplete != null) {
            total.stoppedBy(incomplete.stoppedBy()).resumeAfter(incomplete.resumeAfter())
                    .resumeFrontier(incomplete.resumeFrontier());
        }
        return total.build().withRules(all);
    }

    private static java.util.Map<String, Long> keptByRule(List<SweepSummary> all) {
        java.util.Map<String, Long> kept = new java.util.TreeMap<>();
        all.forEach(s -> s.keptByRule().forEach((rule, n) -> kept.merge(rule, n, Long::sum)));
        return kept;
    }

    private static List<KeyError> first(List<KeyError> errors) {
        return errors.size() <= SweepSummary.MAX_ERRORS ? errors : errors.subList(0, SweepSummary.MAX_ERRORS);
    }
}
