package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.config.S3Settings;
import io.github.s3sweeper.config.Settings;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.JsonReader;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepSummary;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The last step of the Distributed Map mode: reads what the Map's ResultWriter wrote (manifest.json, then each
 * SUCCEEDED_n.json, FAILED_n.json and PENDING_n.json in turn, streamed one record at a time: JSON Lines as the
 * template's {@code WriterConfig} asks, a JSON array too), adds the batches' counts into one run summary under the names of {@link SweepSummary}, logs it as the function mode logs a run
 * (one {@code summary} line, one metrics record), and fails when any batch failed or never ran.
 *
 * <p>Input: {@code {"runStartedAt": "...", "ResultWriterDetails": {"Bucket": "...", "Key": ".../manifest.json"}}},
 * the second as the Map's output carries it.
 */
public final class ReportHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final ClientCache SHARED_CLIENTS = new ClientCache(S3ClientFactory::create);

    private final Map<String, String> env;
    private boolean coldStart = true;
    private final Clock clock;
    private final Function<S3Settings, S3Client> clients;
    private final Consumer<String> out;

    public ReportHandler() {
        this(System.getenv(), Clock.systemUTC(), SHARED_CLIENTS::get, line -> System.out.println(line));
    }

    public ReportHandler(Map<String, String> env, Clock clock, Function<S3Settings, S3Client> clients,
                         Consumer<String> out) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        JsonLog log = new JsonLog(out, JsonLog.threshold(env), SweepHandler.contextFields(env, context, coldStart));
        coldStart = false;
        Settings settings;
        Input input;
        try {
            settings = BatchHandler.parseSettings(env);
            input = Input.parse(event);
        } catch (InvalidSettingsException e) {
            log.log(LogLevel.ERROR, "invalidReport", e.getMessage(), Map.of("problems", e.problems()));
            throw e;
        }
        SweepSettings sweep = settings.sweep();
        String sweepName = settings.metrics().sweep(sweep.bucket(), sweep.prefix());
        log = log.with("sweep", sweepName);

        S3Client s3 = clients.apply(settings.s3());
        Totals totals = new Totals();
        Map<String, Object> manifest = readJsonObject(s3, input.bucket(), input.key());
        String resultsBucket = manifest.get("DestinationBucket") instanceof String b ? b : input.bucket();
        Map<?, ?> files = manifest.get("ResultFiles") instanceof Map<?, ?> m ? m : Map.of();
        for (String kind : List.of("SUCCEEDED", "FAILED", "PENDING")) {
            if (!(files.get(kind) instanceof List<?> list)) {
                continue;
            }
            for (Object file : list) {
                if (file instanceof Map<?, ?> f && f.get("Key") instanceof String key) {
                    // One record in memory at a time, read as the file streams in: a file may be gigabytes.
                    readRecords(s3, resultsBucket, key, record -> totals.add(kind, record));
                }
            }
        }

        Instant start = input.runStartedAt().truncatedTo(ChronoUnit.MILLIS);
        Instant now = clock.instant();
        SweepSummary summary = totals.summary(sweep, start.minus(sweep.age().duration()),
                Math.max(0, now.toEpochMilli() - start.toEpochMilli()));
        Map<String, Object> report = new LinkedHashMap<>(summary.toMap());
        report.put("batchesSucceeded", totals.succeeded);
        report.put("batchesFailed", totals.failedBatches);
        report.put("batchesPending", totals.pending);
        report.put("mapRunArn", manifest.get("MapRunArn"));

        LogLevel level = summary.failure() != null ? LogLevel.ERROR : LogLevel.INFO;
        log.log(level, "summary", summary.toAccount() + String.format("%nBatches:               %d succeeded,"
                + " %d failed, %d never ran", totals.succeeded, totals.failedBatches, totals.pending), report);
        if (env.containsKey(SweepHandler.FUNCTION_NAME)) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("level", log.alwaysLevel());
            properties.put("function_request_id", context.getAwsRequestId());
            log.always(RunMetrics.record(summary, settings.metrics().namespace(), sweepName, now, properties));
        }
        if (summary.failure() != null) {
            throw new RunFailedException(summary.failure());
        }
        return report;
    }

    private static Map<String, Object> readJsonObject(S3Client s3, String bucket, String key) {
        Object value = readJson(s3, bucket, key);
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + " is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        return object;
    }

    private static Object readJson(S3Client s3, String bucket, String key) {
        String text = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
        try {
            return JsonReader.readValue(text);
        } catch (JsonReader.SyntaxException e) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + " is not JSON: "
                    + JsonReader.position(text, e.offset()) + ": " + e.getMessage());
        }
    }

    /**
     * Each record of one result file, parsed, in turn: JSON Lines as the template's {@code WriterConfig} writes
     * them, or a JSON array (ResultWriter's default), streamed either way (see {@link ResultRecords}).
     */
    private static void readRecords(S3Client s3, String bucket, String key, Consumer<Map<?, ?>> each) {
        long[] n = {0};
        try (InputStream body = s3.getObject(b -> b.bucket(bucket).key(key));
             Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8)) {
            new ResultRecords(reader, ResultRecords.MAX_RECORD_CHARS).forEach(text -> {
                n[0]++;
                Object value;
                try {
                    value = JsonReader.readValue(text);
                } catch (JsonReader.SyntaxException e) {
                    throw new IllegalStateException("s3://" + bucket + "/" + key + ": record " + n[0]
                            + " is not JSON: " + JsonReader.position(text, e.offset()) + ": " + e.getMessage());
                }
                each.accept(value instanceof Map<?, ?> m ? m : Map.of());
            });
        } catch (IOException e) {
            throw new UncheckedIOException("s3://" + bucket + "/" + key + " could not be read past record " + n[0]
                    + ": " + e.getMessage(), e);
        }
    }

    /** The Map's result, and the run's start. */
    record Input(Instant runStartedAt, String bucket, String key) {
        static Input parse(Map<String, Object> event) {
            List<String> problems = new ArrayList<>();
            Instant started = null;
            Object at = event == null ? null : event.get("runStartedAt");
            if (at instanceof String text) {
                try {
                    started = Instant.parse(text);
                } catch (DateTimeParseException e) {
                    problems.add("runStartedAt=\"" + text + "\" is not an ISO-8601 instant");
                }
            } else {
                problems.add("runStartedAt is missing: the report step's Parameters must pass"
                        + " \"runStartedAt.$\": \"$$.Execution.StartTime\"");
            }
            Object details = event == null ? null : event.get("ResultWriterDetails");
            String bucket = null;
            String key = null;
            if (details instanceof Map<?, ?> d && d.get("Bucket") instanceof String b && d.get("Key") instanceof String k) {
                bucket = b;
                key = k;
            } else {
                problems.add("ResultWriterDetails (Bucket and Key of the Map's manifest.json) is missing: pass the"
                        + " Map's output, \"ResultWriterDetails.$\": \"$.map.ResultWriterDetails\"");
            }
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
            return new Input(started, bucket, key);
        }
    }

    /**
     * The batches' counts added up, and what the child executions that did not succeed say of themselves. Public
     * for the Distributed Map benchmark (bench/DistributedBench), which adds its batches up with the same code.
     */
    public static final class Totals {
        long succeeded;
        long failedBatches;
        long pending;
        /** Failed children whose counts could not be read (a timeout, a refused batch): their items are unknown. */
        long failedWithoutCounts;
        long scanned;
        long matched;
        long expired;
        long deleted;
        long failed;
        long locked;
        long bytesDeleted;
        long deleteRequests;
        final List<KeyError> errors = new ArrayList<>();
        final List<String> batchErrors = new ArrayList<>();

        public long succeeded() {
            return succeeded;
        }

        public long failedBatches() {
            return failedBatches;
        }

        public long pending() {
            return pending;
        }

        /**
         * One record of a result file of {@code kind} (SUCCEEDED, FAILED or PENDING). A succeeded child's record is,
         * with {@code Transformation: COMPACT}, its output itself (the batch's counts), and with NONE the execution's
         * metadata with the output as a JSON string in {@code Output}; a failed child's is the NONE record either way
         * (its {@code Error} and {@code Cause}).
         */
        public void add(String kind, Map<?, ?> record) {
            switch (kind) {
                case "SUCCEEDED" -> {
                    succeeded++;
                    Map<?, ?> counts = isExecutionRecord(record) ? object(record.get("Output")) : record;
                    if (counts != null) {
                        addCounts(counts);
                    }
                }
                case "FAILED" -> {
                    failedBatches++;
                    Map<?, ?> counts = failedCounts(record.get("Cause"));
                    if (counts != null) {
                        addCounts(counts);
                    } else {
                        failedWithoutCounts++;
                        if (batchErrors.size() < 3) {
                            batchErrors.add(record.get("Error") + ": " + firstLine(String.valueOf(record.get("Cause"))));
                        }
                    }
                }
                default -> pending++;
            }
        }

        /** ResultWriter's NONE record: the child execution's metadata, never a key of the batch's counts. */
        private static boolean isExecutionRecord(Map<?, ?> record) {
            return record.containsKey("ExecutionArn") || record.containsKey("Status") && !record.containsKey("scanned");
        }

        /** Lambda's error document {"errorMessage": ..., "errorType": ...}, whose message is the batch's counts. */
        private static Map<?, ?> failedCounts(Object cause) {
            Map<?, ?> error = object(cause);
            Map<?, ?> counts = error == null ? null : object(error.get("errorMessage"));
            return counts != null && counts.containsKey("scanned") ? counts : null;
        }

        private void addCounts(Map<?, ?> counts) {
            scanned += number(counts.get("scanned"));
            matched += number(counts.get("matched"));
            expired += number(counts.get("expired"));
            deleted += number(counts.get("deleted"));
            failed += number(counts.get("failed"));
            locked += number(counts.get("locked"));
            bytesDeleted += number(counts.get("bytesDeleted"));
            deleteRequests += number(counts.get("deleteRequests"));
            if (counts.get("errors") instanceof List<?> list) {
                for (Object e : list) {
                    if (errors.size() < SweepSummary.MAX_ERRORS && e instanceof Map<?, ?> error) {
                        errors.add(new KeyError(String.valueOf(error.get("key")), null,
                                String.valueOf(error.get("code")), String.valueOf(error.get("message"))));
                    }
                }
            }
        }

        public SweepSummary summary(SweepSettings sweep, Instant cutoff, long durationMs) {
            String failure = null;
            if (failedBatches > 0 || pending > 0) {
                failure = String.format("%d of %d batches failed and %d never ran; %d entries could not be deleted"
                        + " (the errors name the first)", failedBatches, succeeded + failedBatches + pending, pending,
                        failed);
                if (failedWithoutCounts > 0) {
                    failure += String.format("; %d failed batches left no counts, so their objects are not in these"
                            + " totals (first: %s)", failedWithoutCounts, String.join(" | ", batchErrors));
                }
            }
            return SweepSummary.builder()
                    .bucket(sweep.bucket())
                    .prefix(sweep.prefix())
                    .retentionDays(sweep.age().days())
                    .olderThan(sweep.age().iso())
                    .cutoff(cutoff.toString())
                    .dryRun(sweep.dryRun())
                    .scanned(scanned)
                    .matched(matched)
                    .expired(expired)
                    .deleted(deleted)
                    .failed(failed)
                    .locked(locked)
                    .bytesDeleted(bytesDeleted)
                    .deleteRequests(deleteRequests)
                    .errors(errors)
                    .complete(pending == 0 && failedWithoutCounts == 0)
                    .failure(failure)
                    .durationMs(durationMs)
                    .build();
        }

        private static Map<?, ?> object(Object json) {
            if (json instanceof Map<?, ?> map) {
                return map;
            }
            if (json instanceof String text) {
                try {
                    return JsonReader.readValue(text) instanceof Map<?, ?> map ? map : null;
                } catch (JsonReader.SyntaxException e) {
                    return null;
                }
            }
            return null;
        }

        private static long number(Object value) {
            return value instanceof Number n ? n.longValue() : 0;
        }

        private static String firstLine(String text) {
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return line.length() > 300 ? line.substring(0, 300) + "…" : line;
        }
    }

    /** The run did not do all it should: its summary line says what, and the execution fails with this. */
    public static final class RunFailedException extends RuntimeException {
        public RunFailedException(String message) {
            super(message, null, false, false);
        }
    }
}
