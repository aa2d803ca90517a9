package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.rules.DeleteCap;
import io.github.s3sweeper.rules.RetentionRule;
import io.github.s3sweeper.rules.StoredObject;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One batch of objects someone else listed (a Distributed Map's ItemReader), decided by the same rules as a sweep
 * and deleted through the same {@link Deleter} and {@link BatchSender}: DeleteObjects of at most 1,000 keys, per-key
 * errors read, transient ones sent again within the budget. Only the rules that need nothing beyond the batch apply
 * here: the prefix, the filters and the age. Keep-newest-N, the delete cap and versions need the whole listing, so
 * settings that ask for them are refused (the caller names them to the operator first).
 */
public final class BatchSweep {

    private final S3Client s3;
    private final SweepSettings settings;
    private final SweepListener listener;
    private final Budget budget;
    private final Consumer<Duration> pause;

    public BatchSweep(S3Client s3, SweepSettings settings, SweepListener listener, Budget budget,
                      Consumer<Duration> pause) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.pause = Objects.requireNonNull(pause, "pause");
        if (!settings.keepPolicy().isEmpty() || settings.maxDeletes().isPresent() || settings.sweepsVersions()) {
            throw new IllegalArgumentException("a batch cannot apply KEEP_LATEST, the KEEP_HOURLY..KEEP_WITHIN rules,"
                    + " MAX_DELETES or NONCURRENT_DAYS: they need the whole listing");
        }
    }

    public BatchSweep(S3Client s3, SweepSettings settings, SweepListener listener, Budget budget) {
        this(s3, settings, listener, budget, Retrying::sleep);
    }

    /**
     * Decides every object of the batch against {@code cutoff} and deletes what the rules chose.
     *
     * @return the batch's summary, per-key failures included (this does not throw for them: the caller decides)
     */
    public SweepSummary run(List<StoredObject> batch, Instant cutoff) {
        long startNanos = System.nanoTime();
        RetentionRule rule = new RetentionRule(settings.selection(), cutoff, 0);
        Tally tally = new Tally(rule);
        Retrying retrying = new Retrying(budget, pause);
        BatchSender sender = new BatchSender(s3, settings.bucket(), false, retrying, pause, tally.outcomes::request);
        Deleter deleter = new Deleter(sender, new DeleteCap(OptionalLong.empty(), settings.dryRun()),
                tally.decisions, tally.outcomes, listener, settings.deleteConcurrency());
        RetentionRule.Decisions decisions = Sweeper.currentDecisions(tally.decisions, deleter.stream(), listener);
        boolean sent = false;
        try {
            synchronized (rule) {
                tally.decisions.scanned(batch.size());
                for (StoredObject object : batch) {
                    rule.offer(object, decisions);
                }
                rule.finish(decisions);
            }
            deleter.finish();
            sent = true;
        } finally {
            if (!sent) {
                deleter.abort();
            }
        }
        long failed = tally.outcomes.failed();
        if (failed > 0) {
            tally.failure = Failures.ofDeletes(settings, failed, tally.decisions.expiredSoFar(),
                    tally.outcomes.failureCodes());
        }
        return tally.summary(settings, cutoff, null, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
