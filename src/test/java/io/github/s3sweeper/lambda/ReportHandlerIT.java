package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.report.Json;
import io.github.s3sweeper.report.JsonReader;
import io.github.s3sweeper.testing.FailingKeysS3Client;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.LogLines;
import io.github.s3sweeper.testing.TestContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The report step over result files shaped as ResultWriter writes them with the template's {@code WriterConfig}
 * (Transformation COMPACT, OutputType JSONL): manifest.json naming SUCCEEDED_n.json, FAILED_n.json and PENDING_n.json,
 * each one record per line; a succeeded child's record is its output itself, a failed child's the execution record
 * NONE would write (its Error, and a Cause that is a JSON string). The outputs and causes are those of real
 * {@link BatchHandler} runs against the embedded server. Also: ResultWriter's default (a JSON array of NONE records,
 * the output a JSON string), and a file of 200,000 lines read with one record in memory at a time.
 */
class ReportHandlerIT extends FilesystemS3Test {

    private static final Instant STARTED = Instant.parse("2026-11-26T03:00:00.123Z");
    private static final String RUN = "runs/0b2f6c4e-7d3a-4c55-9c1e-6a1f2b3c4d5e/";
    private static final String MAP_RUN = "arn:aws:states:us-east-1:123456789012:mapRun:sm/Sweep:0b2f6c4e";
    private final LogLines log = new LogLines();

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", "backups/");
        env.put("RETENTION_DAYS", "30");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", server.endpoint().toString());
        return env;
    }

    /** A batch of {@code n} objects, all expired, run through the real batch handler; {@code refused} keys fail. */
    private Map<String, Object> record(String name, int first, int n, Set<String> refused) {
        List<Object> items = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            String key = "backups/k" + i;
            put(key, "x".repeat(10), Instant.parse("2026-09-01T00:00:00Z"));
            items.add(Map.of("Key", key, "Size", 10, "LastModified", Instant.parse("2026-09-01T00:00:00Z")
                    .getEpochSecond(), "Etag", "\"e\"", "StorageClass", "STANDARD"));
        }
        Map<String, Object> input = Map.of("BatchInput", Map.of("runStartedAt", STARTED.toString()), "Items", items);
        BatchHandler batch = new BatchHandler(env(), s -> new FailingKeysS3Client(S3ClientFactory.create(s), refused,
                0, 0), line -> { }, pause -> { });
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("ExecutionArn", "arn:aws:states:us-east-1:123456789012:execution:sm/Sweep:" + name);
        record.put("Input", Json.write(input));
        record.put("InputDetails", Map.of("Included", true));
        record.put("Name", name);
        record.put("RedriveCount", 0);
        record.put("StartDate", "2026-11-26T03:00:01.000Z");
        record.put("StateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:sm/Sweep");
        record.put("StopDate", "2026-11-26T03:00:02.000Z");
        try {
            Map<String, Object> output = batch.handleRequest(input, new TestContext());
            record.put("Output", Json.write(output));
            record.put("OutputDetails", Map.of("Included", true));
            record.put("RedriveStatus", "NOT_REDRIVABLE");
            record.put("Status", "SUCCEEDED");
        } catch (BatchHandler.BatchFailedException e) {
            // What the Java runtime reports for a thrown exception, and Step Functions keeps as the Cause.
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("errorMessage", e.getMessage());
            error.put("errorType", e.getClass().getName());
            error.put("stackTrace", List.of());
            record.put("Error", e.getClass().getName());
            record.put("Cause", Json.write(error));
            record.put("RedriveStatus", "REDRIVABLE");
            record.put("Status", "FAILED");
        }
        return record;
    }

    /** What COMPACT keeps of a record: a succeeded child's output alone; a failed child's record as NONE has it. */
    private static Object compact(Map<String, Object> record) {
        if ("SUCCEEDED".equals(record.get("Status"))) {
            try {
                return JsonReader.readValue((String) record.get("Output"));
            } catch (JsonReader.SyntaxException e) {
                throw new AssertionError(e);
            }
        }
        return record;
    }

    /** A result file as JSONL with COMPACT writes it: one record per line. */
    private void writeLines(String key, List<Map<String, Object>> records) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> record : records) {
            text.append(Json.write(compact(record))).append('\n');
        }
        admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text.toString()));
    }

    private void write(String key, Object json) {
        admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(Json.write(json)));
    }

    private void manifest(List<String> succeeded, List<String> failed, List<String> pending) {
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("FAILED", failed.stream().map(k -> Map.of("Key", RUN + k, "Size", 100)).toList());
        files.put("PENDING", pending.stream().map(k -> Map.of("Key", RUN + k, "Size", 100)).toList());
        files.put("SUCCEEDED", succeeded.stream().map(k -> Map.of("Key", RUN + k, "Size", 100)).toList());
        write(RUN + "manifest.json", Map.of("DestinationBucket", bucket, "MapRunArn", MAP_RUN, "ResultFiles", files));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> event() {
        Map<String, Object> event = EventLoader.loadEvent("events/distributed-report.json", Map.class);
        event.put("ResultWriterDetails", Map.of("Bucket", bucket, "Key", RUN + "manifest.json"));
        return event;
    }

    private ReportHandler handler(Map<String, String> env) {
        return new ReportHandler(env, Clock.fixed(STARTED.plusSeconds(600), ZoneOffset.UTC), S3ClientFactory::create,
                log);
    }

    @Test
    void theBatchesOfEveryResultFileAddUpToOneRunSummary() {
        writeLines(RUN + "SUCCEEDED_0.json", List.of(record("a", 0, 3, Set.of()), record("b", 3, 2, Set.of())));
        writeLines(RUN + "SUCCEEDED_1.json", List.of(record("c", 5, 4, Set.of())));
        manifest(List.of("SUCCEEDED_0.json", "SUCCEEDED_1.json"), List.of(), List.of());
        Map<String, String> env = env();
        env.put("AWS_LAMBDA_FUNCTION_NAME", "report");

        Map<String, Object> report = handler(env).handleRequest(event(), new TestContext());

        assertThat(report).containsEntry("scanned", 9L).containsEntry("expired", 9L).containsEntry("deleted", 9L)
                .containsEntry("failed", 0L).containsEntry("bytesDeleted", 90L).containsEntry("deleteRequests", 3L)
                .containsEntry("batchesSucceeded", 3L).containsEntry("batchesFailed", 0L)
                .containsEntry("complete", true).containsEntry("cutoff", "2026-10-27T03:00:00.123Z")
                .containsEntry("durationMs", 600_000L).containsEntry("mapRunArn", MAP_RUN);
        assertThat(log.events("summary")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("level", "INFO").containsEntry("deleted", 9).containsEntry("batchesSucceeded", 3));
        assertThat(log.metrics()).singleElement().satisfies(record -> assertThat(record)
                .containsEntry("ObjectsDeleted", 9).containsEntry("DeleteFailures", 0).containsEntry("Sweep",
                        bucket + "/backups/").containsEntry("IncompleteRuns", 0));
    }

    @Test
    void aFailedBatchIsCountedFromItsCauseAndFailsTheRun() {
        writeLines(RUN + "SUCCEEDED_0.json", List.of(record("a", 0, 3, Set.of())));
        writeLines(RUN + "FAILED_0.json", List.of(record("b", 3, 3, Set.of("backups/k4"))));
        manifest(List.of("SUCCEEDED_0.json"), List.of("FAILED_0.json"), List.of());
        Map<String, String> env = env();
        env.put("AWS_LAMBDA_FUNCTION_NAME", "report");

        ReportHandler.RunFailedException e = catchThrowableOfType(ReportHandler.RunFailedException.class,
                () -> handler(env).handleRequest(event(), new TestContext()));

        assertThat(e).hasMessageContaining("1 of 2 batches failed").hasMessageContaining("1 entries could not be"
                + " deleted");
        assertThat(log.events("summary")).singleElement().satisfies(line -> {
            assertThat(line).containsEntry("level", "ERROR").containsEntry("scanned", 6).containsEntry("deleted", 5)
                    .containsEntry("failed", 1).containsEntry("batchesFailed", 1).containsEntry("batchesSucceeded", 1);
            assertThat(line.get("errors").toString()).contains("backups/k4").contains("AccessDenied");
        });
        assertThat(log.metrics()).singleElement().satisfies(record -> assertThat(record)
                .containsEntry("DeleteFailures", 1).containsEntry("ObjectsDeleted", 5));
    }

    @Test
    void aChildThatFailedWithoutCountsOrNeverRanMakesTheRunIncomplete() {
        Map<String, Object> timedOut = new LinkedHashMap<>();
        timedOut.put("ExecutionArn", "arn:aws:states:us-east-1:123456789012:execution:sm/Sweep:t");
        timedOut.put("Input", "{}");
        timedOut.put("Error", "States.Timeout");
        timedOut.put("Cause", "The task timed out");
        timedOut.put("Status", "FAILED");
        writeLines(RUN + "FAILED_0.json", List.of(timedOut));
        writeLines(RUN + "PENDING_0.json", List.of(Map.of("Input", "{}", "Status", "PENDING")));
        manifest(List.of(), List.of("FAILED_0.json"), List.of("PENDING_0.json"));

        ReportHandler.RunFailedException e = catchThrowableOfType(ReportHandler.RunFailedException.class,
                () -> handler(env()).handleRequest(event(), new TestContext()));

        assertThat(e).hasMessageContaining("1 of 2 batches failed and 1 never ran")
                .hasMessageContaining("States.Timeout: The task timed out");
        assertThat(log.events("summary")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("complete", false).containsEntry("batchesPending", 1));
        assertThat(log.metrics()).as("only in Lambda").isEmpty();
    }

    @Test
    void resultWritersDefaultJsonArrayOfExecutionRecordsIsReadToo() {
        // Transformation NONE, OutputType JSON: one array per file, each succeeded child's output a JSON string.
        write(RUN + "SUCCEEDED_0.json", List.of(record("a", 0, 3, Set.of()), record("b", 3, 2, Set.of())));
        write(RUN + "FAILED_0.json", List.of(record("c", 5, 2, Set.of("backups/k6"))));
        manifest(List.of("SUCCEEDED_0.json"), List.of("FAILED_0.json"), List.of());

        ReportHandler.RunFailedException e = catchThrowableOfType(ReportHandler.RunFailedException.class,
                () -> handler(env()).handleRequest(event(), new TestContext()));

        assertThat(e).hasMessageContaining("1 of 3 batches failed");
        assertThat(log.events("summary")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("scanned", 7).containsEntry("deleted", 6).containsEntry("failed", 1)
                .containsEntry("batchesSucceeded", 2));
    }

    @Test
    void aResultFileOf200000LinesIsAddedUpAsItStreams() throws Exception {
        // 200,000 succeeded batches of 1,000 objects (about 80 MB of JSONL), written to a file and uploaded from it:
        // never a string of the whole file, neither here nor in the report (ResultRecordsTest bounds what it holds).
        int lines = 200_000;
        java.nio.file.Path file = java.nio.file.Files.createTempFile("succeeded", ".jsonl");
        try {
            Map<String, Object> counts = new LinkedHashMap<>(compactCounts());
            try (java.io.Writer out = java.nio.file.Files.newBufferedWriter(file)) {
                for (int i = 0; i < lines; i++) {
                    counts.put("durationMs", i % 300);
                    out.write(Json.write(counts));
                    out.write('\n');
                }
            }
            admin.putObject(b -> b.bucket(bucket).key(RUN + "SUCCEEDED_0.json"), RequestBody.fromFile(file));
            manifest(List.of("SUCCEEDED_0.json"), List.of(), List.of());

            Map<String, Object> report = handler(env()).handleRequest(event(), new TestContext());

            assertThat(report).containsEntry("batchesSucceeded", (long) lines)
                    .containsEntry("scanned", 1000L * lines).containsEntry("deleted", 500L * lines)
                    .containsEntry("deleteRequests", (long) lines).containsEntry("complete", true);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** One batch's output as BatchHandler returns it: 1,000 scanned, 500 expired and deleted. */
    private Map<String, Object> compactCounts() {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("bucket", bucket);
        counts.put("prefix", "backups/");
        counts.put("runStartedAt", STARTED.toString());
        counts.put("cutoff", "2026-10-27T03:00:00.123Z");
        counts.put("dryRun", false);
        counts.put("scanned", 1000);
        counts.put("matched", 1000);
        counts.put("expired", 500);
        counts.put("deleted", 500);
        counts.put("failed", 0);
        counts.put("locked", 0);
        counts.put("bytesDeleted", 50_000);
        counts.put("deleteRequests", 1);
        counts.put("durationMs", 0);
        counts.put("errors", List.of());
        counts.put("failure", null);
        return counts;
    }
}
