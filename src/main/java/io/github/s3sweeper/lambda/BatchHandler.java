package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.Catalog;
import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.config.S3Settings;
import io.github.s3sweeper.config.Setting;
import io.github.s3sweeper.config.Settings;
import io.github.s3sweeper.config.SettingsParser;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.engine.BatchSweep;
import io.github.s3sweeper.engine.Budget;
import io.github.s3sweeper.report.Json;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepSummary;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The child of a Distributed Map (template-distributed.yaml): deletes the expired objects of one batch of a listing
 * the state machine made, with the same settings, rules and delete machinery as {@link SweepHandler}, and returns
 * the batch's counts. The cutoff is counted from the execution's start ({@code BatchInput.runStartedAt}), so every
 * batch of one run has the same. Settings that need the whole listing are refused: KEEP_LATEST above 0, the
 * calendar rules and KEEP_WITHIN, MAX_DELETES, NONCURRENT_DAYS, ABORT_INCOMPLETE_UPLOADS_AFTER, and RULES.
 *
 * <p>A batch in which S3 refused entries returns nothing: it throws {@link BatchFailedException}, whose message is the
 * batch's counts as JSON, so the Map counts the child as failed (ToleratedFailurePercentage), ResultWriter keeps the
 * counts in the FAILED file's Cause, and {@link ReportHandler} still adds them up.
 */
public final class BatchHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final ClientCache SHARED_CLIENTS = new ClientCache(S3ClientFactory::create);
    /** Errors carried in a failed batch's message: the Cause Step Functions keeps is limited in size. */
    static final int ERRORS_IN_FAILURE = 10;

    private final Map<String, String> env;
    private final Function<S3Settings, S3Client> clients;
    private final Consumer<String> out;
    private final Consumer<Duration> pause;
    private boolean coldStart = true;

    public BatchHandler() {
        this(System.getenv(), SHARED_CLIENTS::get, line -> System.out.println(line), null);
    }

    /** @param pause how to wait between retries (tests: not at all); null waits for real */
    public BatchHandler(Map<String, String> env, Function<S3Settings, S3Client> clients, Consumer<String> out,
                        Consumer<Duration> pause) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.clients = Objects.requireNonNull(clients, "clients");
        this.out = Objects.requireNonNull(out, "out");
        this.pause = pause;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        JsonLog log = new JsonLog(out, JsonLog.threshold(env), SweepHandler.contextFields(env, context, coldStart));
        coldStart = false;

        Settings settings;
        DistributedBatch batch;
        try {
            settings = parseSettings(env);
            batch = DistributedBatch.parse(event, settings.sweep());
        } catch (InvalidSettingsException e) {
            log.log(LogLevel.ERROR, "invalidBatch", e.getMessage(), Map.of("problems", e.problems()));
            throw e;
        }
        SweepSettings sweep = settings.sweep();
        log = log.with("sweep", settings.metrics().sweep(sweep.bucket(), sweep.prefix()));
        Instant start = batch.runStartedAt().truncatedTo(ChronoUnit.MILLIS);
        Instant cutoff = start.minus(sweep.age().duration());

        Budget budget = Budget.ofRemaining(context.getRemainingTimeInMillis(), System::nanoTime);
        S3Client s3 = clients.apply(settings.s3());
        BatchSweep sweeper = pause == null ? new BatchSweep(s3, sweep, new RunLog(log, sweep.dryRun()), budget)
                : new BatchSweep(s3, sweep, new RunLog(log, sweep.dryRun()), budget, pause);
        SweepSummary summary = sweeper.run(batch.objects(), cutoff);
        Map<String, Object> counts = counts(summary, start, SweepSummary.MAX_ERRORS);

        LogLevel level = summary.failed() > 0 ? LogLevel.ERROR : LogLevel.INFO;
        log.log(level, "batch", String.format("Batch of %d under s3://%s/%s: %d expired, %d %s, %d failed%s",
                summary.scanned(), sweep.bucket(), sweep.prefix(), summary.expired(), sweep.dryRun()
                        ? summary.expired() : summary.deleted(), sweep.dryRun() ? "would be deleted (dry run)"
                        : "deleted", summary.failed(), summary.failure() == null ? "" : ": " + summary.failure()),
                counts);
        if (summary.failed() > 0) {
            throw new BatchFailedException(Json.write(counts(summary, start, ERRORS_IN_FAILURE)));
        }
        return counts;
    }

    /**
     * The environment's settings, with those this mode cannot apply refused: each names the variable, its value,
     * and why a batch cannot honour it.
     */
    static Settings parseSettings(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Settings settings = null;
        try {
            settings = SettingsParser.parse(env);
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        }
        refuse(env, Catalog.KEEP_LATEST, v -> !v.matches("0+"), "keeping the N newest objects needs the whole"
                + " listing, and each batch of a Distributed Map sees only its own items", "0 or empty in this mode"
                + " (template.yaml's function mode keeps the newest N)", problems);
        for (Setting<?> keep : List.of(Catalog.KEEP_HOURLY, Catalog.KEEP_DAILY, Catalog.KEEP_WEEKLY,
                Catalog.KEEP_MONTHLY, Catalog.KEEP_YEARLY)) {
            refuse(env, keep, v -> !v.matches("0+"), "a calendar rule keeps the newest object of each period, which"
                    + " needs the whole listing, and each batch of a Distributed Map sees only its own items", "0 or"
                    + " empty in this mode (template.yaml's function mode applies it)", problems);
        }
        refuse(env, Catalog.KEEP_WITHIN, v -> true, "the window counts back from each group's newest object, which"
                + " needs the whole listing", "empty in this mode (template.yaml's function mode applies it)", problems);
        refuse(env, Catalog.MAX_DELETES, v -> true, "a cap on one run's deletions needs one count across every"
                + " batch, and the batches run apart, at once", "empty in this mode (the function mode caps)", problems);
        refuse(env, Catalog.NONCURRENT_DAYS, v -> true, "a version's noncurrent age is counted from the next newer"
                + " version of its key, which only a ListObjectVersions listing shows; the Map's readers list current"
                + " objects only", "empty in this mode (the function mode sweeps versions)", problems);
        refuse(env, Catalog.ABORT_INCOMPLETE_UPLOADS_AFTER, v -> true, "the Map's readers list objects, not incomplete"
                + " multipart uploads, and each batch sees only its own items", "empty in this mode (the"
                + " function mode aborts incomplete uploads)", problems);
        refuse(env, Catalog.RULES, v -> !v.matches("\\[\\s*]"), "each rule is a sweep of its own prefix with its own"
                + " settings, and the Map's batches are items of one listing under one set of settings", "empty in this"
                + " mode (the function mode sweeps RULES; or deploy one Distributed Map per rule)", problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return settings;
    }

    private static void refuse(Map<String, String> env, Setting<?> setting,
                               java.util.function.Predicate<String> refused, String why, String allowed,
                               List<String> problems) {
        String variable = setting.env().orElseThrow();
        String value = env.get(variable);
        if (value != null && !value.isEmpty() && refused.test(value.strip())) {
            problems.add(variable + "=" + Json.write(value) + ": not applied in the Distributed Map mode: " + why
                    + "; allowed: " + allowed);
        }
    }

    /** The batch's counts, under the summary's names, with at most {@code maxErrors} errors. */
    static Map<String, Object> counts(SweepSummary summary, Instant runStartedAt, int maxErrors) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("bucket", summary.bucket());
        counts.put("prefix", summary.prefix());
        counts.put("runStartedAt", runStartedAt.toString());
        counts.put("cutoff", summary.cutoff());
        counts.put("dryRun", summary.dryRun());
        counts.put("scanned", summary.scanned());
        counts.put("matched", summary.matched());
        counts.put("expired", summary.expired());
        counts.put("deleted", summary.deleted());
        counts.put("failed", summary.failed());
        counts.put("locked", summary.locked());
        counts.put("bytesDeleted", summary.bytesDeleted());
        counts.put("deleteRequests", summary.deleteRequests());
        counts.put("durationMs", summary.durationMs());
        List<Map<String, Object>> errors = new ArrayList<>();
        for (KeyError error : summary.errors().subList(0, Math.min(maxErrors, summary.errors().size()))) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", error.key());
            e.put("code", error.code());
            e.put("message", error.message());
            errors.add(e);
        }
        counts.put("errors", errors);
        counts.put("failure", summary.failure());
        return counts;
    }

    /**
     * A batch in which S3 refused entries. The message is the batch's counts as one JSON object (what ResultWriter
     * keeps as the FAILED record's Cause, inside Lambda's error document); no stack trace, which says nothing here.
     */
    public static final class BatchFailedException extends RuntimeException {
        public BatchFailedException(String countsJson) {
            super(countsJson, null, false, false);
        }
    }
}
