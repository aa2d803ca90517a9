package io.github.s3sweeper.lambda;

import io.github.s3sweeper.bench.ModelProxy;
import io.github.s3sweeper.testing.EmbeddedS3;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.LogLines;
import io.github.s3sweeper.testing.RuntimeEmulator;
import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar in the real Lambda runtime path: the Runtime Interface Emulator starts the Java runtime interface
 * client with the template's environment (events/env.json, what sam local invoke uses) and
 * {@code AWS_LAMBDA_LOG_FORMAT=JSON}, and each test reads the exact HTTP response and every line the runtime wrote.
 * Without the emulator the tests are skipped with a message; .ci/run installs it and sets REQUIRE_RIE=true.
 */
class LambdaRuntimeIT extends FilesystemS3Test {

    private static final String FUNCTION = "s3-sweeper-test";
    private static final String SWEEP = "nightly-backups";
    private static final String NAMESPACE = "S3Sweeper/Test";
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
    private static final List<List<String>> METRICS = List.of(List.of("ObjectsScanned", "Count"),
            List.of("ObjectsExpired", "Count"), List.of("ObjectsDeleted", "Count"), List.of("BytesDeleted", "Bytes"),
            List.of("DeleteFailures", "Count"), List.of("ObjectsLocked", "Count"), List.of("UploadsAborted", "Count"),
            List.of("UploadsFailed", "Count"), List.of("IncompleteRuns", "Count"),
            List.of("DurationMs", "Milliseconds"), List.of("ListRequests", "Count"),
            List.of("DeleteRequests", "Count"));
    private static final Pattern REPORTED_DURATION = Pattern.compile("\\tDuration: ([0-9.]+) ms");

    private static Path emulator;

    @BeforeAll
    static void findEmulator() {
        emulator = RuntimeEmulator.binary().orElse(null);
        if (emulator == null) {
            String why = "aws-lambda-rie not found (AWS_LAMBDA_RIE, PATH, ~/go/bin): the Lambda runtime tests are"
                    + " skipped. Install it with: go install"
                    + " github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@latest";
            if ("true".equals(System.getenv("REQUIRE_RIE"))) {
                throw new IllegalStateException(why);
            }
            System.err.println("LambdaRuntimeIT: " + why);
            Assumptions.abort(why);
        }
    }

    /** The template's environment as sam local invoke passes it, pointed at the embedded server. */
    private Map<String, String> environment(String endpoint) {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> file = (Map<String, Map<String, Object>>) (Map<?, ?>) LogLines.parse(
                read("events/env.json"));
        Map<String, String> env = new HashMap<>();
        file.get("SweeperFunction").forEach((name, value) -> env.put(name, String.valueOf(value)));
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", "backups/");
        env.put("DRY_RUN", "false");
        env.put("KEEP_LATEST", "0");
        env.put("SWEEP_NAME", SWEEP);
        env.put("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE);
        env.put("AWS_ENDPOINT_URL_S3", endpoint);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
        env.put("AWS_LAMBDA_FUNCTION_NAME", FUNCTION);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", "120");
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
        return env;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Five expired and five young objects under backups/, seven under backups/db/ for the hourly dry run. */
    private void fill(Instant now) {
        for (int i = 0; i < 5; i++) {
            put("backups/old-" + i, "old", now.minus(Duration.ofDays(31)));
            put("backups/new-" + i, "new", now.minus(Duration.ofDays(29)));
        }
        String[] db = {"a.sql.gz", "b.sql.gz", "c.dump", "d.sql.gz", "e-keep.sql.gz", "f.txt"};
        for (int i = 0; i < db.length; i++) {
            put("backups/db/" + db[i], String.valueOf(i + 1), now.minus(Duration.ofHours(40 + i)));
        }
        put("backups/db/g.dump", "7", now.minus(Duration.ofHours(30)));
        put("backups-archive/old", "keep", now.minus(Duration.ofDays(400)));
    }

    @Test
    void eachEventFileReturnsTheExactSummaryAndLogsQueryableLines() throws Exception {
        try (RuntimeEmulator lambda = RuntimeEmulator.start(emulator, environment(server.endpoint().toString()))) {
            boolean first = true;
            for (String file : List.of("scheduled-event.json", "scheduler-input.json", "manual-invoke.json")) {
                fill(Instant.now());
                Instant before = Instant.now();
                RuntimeEmulator.Invocation run = lambda.invoke(read("events/" + file));
                Map<String, Object> response = LogLines.parse(run.body());

                assertCutoff(response, before, Duration.ofDays(30));
                assertThat(withoutTimes(response)).as(file).isEqualTo(sweepOfBackups());
                assertThat(keys()).as(file).doesNotContain("backups/old-0").contains("backups/new-0",
                        "backups-archive/old");
                assertLines(run, response, first, List.of("start", "summary"), "INFO");
                first = false;
            }
        }
    }

    @Test
    void theHourlyDryRunOverridesItsRulesAndLogsWhatItWouldDelete() throws Exception {
        fill(Instant.now());
        try (RuntimeEmulator lambda = RuntimeEmulator.start(emulator, environment(server.endpoint().toString()))) {
            Instant before = Instant.now();
            RuntimeEmulator.Invocation run = lambda.invoke(read("events/hourly-dry-run.json"));
            Map<String, Object> response = LogLines.parse(run.body());

            assertCutoff(response, before, Duration.ofHours(36));
            Map<String, Object> expected = summary("backups/db/", null, "PT36H", true, 7, 5, 2, 2, 0, 0, 0, 1);
            // The input's keepLatest of 3: one group, its heap of three the most it held.
            expected.put("keptByRule", Map.of("KEEP_LATEST", 2));
            expected.put("groups", 1);
            expected.put("heldPeak", 3);
            assertThat(withoutTimes(response)).isEqualTo(expected);
            List<Map<String, Object>> lines = assertLines(run, response, true,
                    List.of("start", "wouldDelete", "wouldDelete", "keptByRule", "keptByRule", "summary"), "INFO");
            assertThat(lines).filteredOn(l -> "wouldDelete".equals(l.get("event"))).extracting(l -> l.get("key"))
                    .containsExactlyInAnyOrder("backups/db/c.dump", "backups/db/d.sql.gz");
            assertThat(lines.get(0)).containsEntry("trigger", "hourly-dry-run-db").containsEntry("overrides", true)
                    .containsEntry("overridden", List.of("prefix", "olderThan", "dryRun", "keepLatest", "include",
                            "exclude"));
            assertThat(keys()).contains("backups/db/c.dump", "backups/db/d.sql.gz", "backups/old-0");
        }
    }

    @Test
    void aMissingBucketFailsTheInvocationWithTheCauseFirstAndNoStackTrace() throws Exception {
        Map<String, String> env = environment(server.endpoint().toString());
        env.put("BUCKET_NAME", "missing-bucket");
        try (RuntimeEmulator lambda = RuntimeEmulator.start(emulator, env)) {
            RuntimeEmulator.Invocation run = lambda.invoke("{\"trigger\":\"schedule\"}");
            Map<String, Object> error = LogLines.parse(run.body());

            String cause = "The bucket \"missing-bucket\" does not exist (NoSuchBucket): check BUCKET_NAME, and that"
                    + " the Region or endpoint is the bucket's. Listing s3://missing-bucket/backups/ stopped there:"
                    + " deleted 0 of the 0 entries chosen before it; nothing was listed";
            assertThat(error).containsExactly(Map.entry("errorMessage", cause),
                    Map.entry("errorType", "io.github.s3sweeper.engine.SweepFailedException"),
                    Map.entry("stackTrace", List.of()));
            List<Map<String, Object>> records = run.jsonLines().stream().map(LogLines::parse).toList();
            Map<String, Object> summary = records.stream().filter(r -> "summary".equals(r.get("event")))
                    .findFirst().orElseThrow();
            assertThat(summary).containsEntry("level", "ERROR").containsEntry("failure", cause)
                    .containsEntry("stoppedBy", "listingFailed").containsEntry("complete", false);
            assertThat((String) summary.get("message")).startsWith("FAILED: " + cause + "\n");
            Map<String, Object> metrics = records.stream().filter(r -> r.containsKey("_aws")).findFirst().orElseThrow();
            assertThat(metrics).containsEntry("IncompleteRuns", 1).containsEntry("ObjectsDeleted", 0);
            assertThat(String.join("\n", run.lines())).as("a stack trace only at DEBUG")
                    .doesNotContain("\tat ", "Caused by", "Summary: {");
        }
    }

    @Test
    void invalidSettingsFailBeforeAnyRequestAndNameTheSetting() throws Exception {
        try (ServerSocket s3 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = environment("http://127.0.0.1:" + s3.getLocalPort());
            env.put("RETENTION_DAYS", "-3");
            try (RuntimeEmulator lambda = RuntimeEmulator.start(emulator, env)) {
                RuntimeEmulator.Invocation run = lambda.invoke("{}");
                Map<String, Object> error = LogLines.parse(run.body());

                assertThat(error).containsEntry("errorType", "io.github.s3sweeper.config.InvalidSettingsException")
                        .containsEntry("stackTrace", List.of());
                assertThat((String) error.get("errorMessage")).startsWith("Invalid settings, nothing was listed or"
                        + " deleted: RETENTION_DAYS=\"-3\"");
                assertThat(run.jsonLines()).map(LogLines::parse).filteredOn(r -> r.containsKey("event"))
                        .singleElement().satisfies(line -> assertThat(line).containsEntry("event", "invalidSettings")
                                .containsEntry("level", "ERROR").containsEntry("function_name", FUNCTION));
                s3.setSoTimeout(200);
                assertThat(accepted(s3)).as("no request reached S3").isFalse();
            }
        }
    }

    /**
     * The run's budget ends before its timeout: it returns what it did, and goes on in a next run through Lambda's
     * Invoke API (the local endpoint), whose queued events the emulator then runs one after another to the end.
     */
    @Test
    void aRunCutByTheFunctionTimeoutReturnsIncompleteAndItsChainSweepsTheRest(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        try (EmbeddedS3 unsigned = EmbeddedS3.filesystemUnsigned(dir);
             io.github.s3sweeper.testing.LambdaInvokeEndpoint invoke =
                     io.github.s3sweeper.testing.LambdaInvokeEndpoint.start();
             // 700 ms per listing page: ten pages are more than the 3 s a 13 s timeout leaves after its margin.
             ModelProxy slow = new ModelProxy(unsigned.endpoint(),
                     new ModelProxy.Model(Duration.ZERO, Duration.ofMillis(700), 0));
             var client = S3TestClients.client(unsigned.endpoint(), "any", "any")) {
            client.createBucket(b -> b.bucket(bucket));
            for (int i = 0; i < 10_000; i++) {
                unsigned.putFile(bucket, String.format("backups/%05d", i), "x", now.minus(Duration.ofDays(40)));
            }
            Map<String, String> env = environment(slow.endpoint().toString());
            env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", "13");
            env.put("LIST_CONCURRENCY", "1");
            env.put("AWS_ENDPOINT_URL_LAMBDA", invoke.endpoint().toString());
            env.put("MAX_CHAIN_LINKS", "20"); // events/env.json sets 1: no chain in a local run
            try (RuntimeEmulator lambda = RuntimeEmulator.start(emulator, env)) {
                RuntimeEmulator.Invocation run = lambda.invoke("{\"trigger\":\"schedule\"}");
                Map<String, Object> response = LogLines.parse(run.body());

                assertThat(response).as(run.body()).containsEntry("complete", false)
                        .containsEntry("stoppedBy", "timeBudget").doesNotContainKey("failure");
                long deleted = ((Number) response.get("deleted")).longValue();
                String resumeAfter = (String) response.get("resumeAfter");
                assertThat(deleted).isBetween(1_000L, 9_000L).isEqualTo(((Number) response.get("expired")).longValue())
                        .isEqualTo(((Number) response.get("scanned")).longValue());
                List<String> left = S3TestClients.keys(client, bucket);
                assertThat(left).hasSize(10_000 - (int) deleted).allMatch(key -> key.compareTo(resumeAfter) > 0);
                assertLines(run, response, true, List.of("start", "chainContinued", "summary"), "WARN");
                assertThat(reportedMillis(run)).as("finished inside the 13 s timeout").isLessThan(13_000);
                assertThat(String.join("\n", run.lines())).doesNotContain("Task timed out");
                assertThat(invoke.received()).singleElement().satisfies(request -> assertThat(request)
                        .returns(FUNCTION, io.github.s3sweeper.testing.LambdaInvokeEndpoint.Request::function)
                        .returns("Event", io.github.s3sweeper.testing.LambdaInvokeEndpoint.Request::invocationType));

                List<RuntimeEmulator.Invocation> links = new ArrayList<>();
                invoke.drain(body -> {
                    try {
                        links.add(lambda.invoke(body));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, 20);
                assertThat(S3TestClients.keys(client, bucket)).as("the chain swept the rest").isEmpty();
                Map<String, Object> last = LogLines.parse(links.get(links.size() - 1).body());
                assertThat(last).containsEntry("complete", true);
                assertThat(links.get(links.size() - 1).jsonLines()).map(LogLines::parse)
                        .filteredOn(line -> "chainSummary".equals(line.get("event"))).singleElement()
                        .satisfies(line -> assertThat(line).containsEntry("links", links.size() + 1)
                                .containsEntry("deleted", 10_000).containsEntry("chainStoppedBy", "complete")
                                .containsEntry("function_request_id", links.get(links.size() - 1).requestId())
                                .containsEntry("chain_id", run.requestId()));
            }
        }
    }

    /**
     * Every line the function wrote is one JSON object with its fields at the top level and the invocation's
     * context; the events come in this order, then exactly one metrics record whose values are the response's.
     *
     * @return the structured log lines, metrics record left out
     */
    private List<Map<String, Object>> assertLines(RuntimeEmulator.Invocation run, Map<String, Object> response,
                                                  boolean coldStart, List<String> events, String summaryLevel) {
        assertThat(run.lines()).as("no SLF4J warning").noneMatch(line -> line.contains("SLF4J"));
        List<Map<String, Object>> records = run.jsonLines().stream().map(LogLines::parse).toList();
        List<Map<String, Object>> logLines = new ArrayList<>();
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (Map<String, Object> record : records) {
            (record.containsKey("_aws") ? metrics : logLines).add(record);
        }
        assertThat(logLines).extracting(l -> l.get("event")).containsExactlyElementsOf(events);
        assertThat(logLines).allSatisfy(line -> {
            assertThat(line).containsKeys("timestamp", "message").containsEntry("function_name", FUNCTION)
                    .containsEntry("function_request_id", run.requestId()).containsEntry("cold_start", coldStart)
                    .containsEntry("function_memory_size", 512).containsEntry("sweep", SWEEP)
                    .containsEntry("service", "s3-sweeper");
            assertThat(LEVELS).contains((String) line.get("level"));
            assertThat(Instant.parse((String) line.get("timestamp"))).isBefore(Instant.now());
            assertThat((String) line.get("message")).as("a sentence, not escaped JSON").isNotBlank()
                    .doesNotStartWith("{");
        });
        Map<String, Object> summary = logLines.get(logLines.size() - 1);
        assertThat(summary).containsEntry("level", summaryLevel).containsAllEntriesOf(response);
        assertThat((String) summary.get("message")).contains("s3-sweeper run");

        assertThat(metrics).as("one metrics record per run").hasSize(1);
        assertThat(records.get(records.size() - 1)).as("the metrics record comes last").isSameAs(metrics.get(0));
        assertEmf(metrics.get(0), response, run.requestId());
        return logLines;
    }

    @SuppressWarnings("unchecked")
    private static void assertEmf(Map<String, Object> record, Map<String, Object> summary, String requestId) {
        Map<String, Object> aws = (Map<String, Object>) record.get("_aws");
        assertThat(((Number) aws.get("Timestamp")).longValue()).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(120_000L));
        List<Map<String, Object>> directives = (List<Map<String, Object>>) aws.get("CloudWatchMetrics");
        assertThat(directives).singleElement().satisfies(directive -> {
            assertThat(directive).containsEntry("Namespace", NAMESPACE).containsEntry("Dimensions",
                    List.of(List.of("Sweep")));
            assertThat((List<Map<String, Object>>) directive.get("Metrics"))
                    .extracting(m -> List.of(m.get("Name"), m.get("Unit"))).containsExactlyElementsOf(
                            METRICS.stream().map(m -> List.<Object>copyOf(m)).toList());
        });
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Sweep", SWEEP);
        expected.put("ObjectsScanned", summary.get("scanned"));
        expected.put("ObjectsExpired", summary.get("expired"));
        expected.put("ObjectsDeleted", summary.get("deleted"));
        expected.put("BytesDeleted", summary.get("bytesDeleted"));
        expected.put("DeleteFailures", summary.get("failed"));
        expected.put("ObjectsLocked", summary.get("locked"));
        expected.put("UploadsAborted", summary.get("uploadsAborted"));
        expected.put("UploadsFailed", summary.get("uploadsFailed"));
        expected.put("IncompleteRuns", Boolean.TRUE.equals(summary.get("complete")) ? 0 : 1);
        expected.put("DurationMs", summary.get("durationMs"));
        expected.put("ListRequests", summary.get("listRequests"));
        expected.put("DeleteRequests", summary.get("deleteRequests"));
        expected.put("dryRun", summary.get("dryRun"));
        expected.put("function_request_id", requestId);
        assertThat(record).containsAllEntriesOf(expected);
    }

    /** The summary of a default run over backups/ after {@link #fill}: five old objects go. */
    private static Map<String, Object> sweepOfBackups() {
        return summary("backups/", 30, "PT720H", false, 17, 17, 0, 5, 5, 15, 1, 2);
    }

    private static Map<String, Object> summary(String prefix, Integer days, String olderThan, boolean dryRun,
                                               int scanned, int matched, int keptLatest, int expired, int deleted,
                                               int bytes, int deleteRequests, int listRequests) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("bucket", "(this test's)");
        map.put("prefix", prefix);
        if (days != null) {
            map.put("retentionDays", days);
        }
        map.put("olderThan", olderThan);
        map.put("dryRun", dryRun);
        map.put("versioning", "Disabled");
        map.put("scanned", scanned);
        map.put("matched", matched);
        map.put("expired", expired);
        map.put("keptLatest", keptLatest);
        // Without keep rules nothing is grouped or held.
        map.put("keptByRule", Map.of());
        map.put("groups", 0);
        map.put("heldPeak", 0);
        map.put("deleted", deleted);
        map.put("failed", 0);
        map.put("locked", 0);
        map.put("capped", false);
        map.put("leftByCap", 0);
        map.put("bytesDeleted", bytes);
        map.put("versionsScanned", 0);
        map.put("noncurrentDeleted", 0);
        map.put("deleteMarkersDeleted", 0);
        map.put("uploadsScanned", 0);
        map.put("uploadsExpired", 0);
        map.put("uploadsAborted", 0);
        map.put("uploadsFailed", 0);
        map.put("errors", List.of());
        map.put("lockedKeys", List.of());
        map.put("listRequests", listRequests);
        map.put("deleteRequests", deleteRequests);
        map.put("complete", true);
        map.put("resumeFrontier", List.of());
        return map;
    }

    /** The response without what the clock decides (checked apart), the bucket named generically. */
    private Map<String, Object> withoutTimes(Map<String, Object> response) {
        Map<String, Object> rest = new LinkedHashMap<>(response);
        assertThat(rest.remove("bucket")).isEqualTo(bucket);
        rest.put("bucket", "(this test's)");
        assertThat(((Number) rest.remove("durationMs")).longValue()).isBetween(0L, 60_000L);
        rest.remove("cutoff");
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("bucket", rest.remove("bucket"));
        ordered.putAll(rest);
        return ordered;
    }

    private static void assertCutoff(Map<String, Object> response, Instant before, Duration age) {
        Instant cutoff = Instant.parse((String) response.get("cutoff"));
        assertThat(cutoff).isBetween(before.minus(age).minusSeconds(1), Instant.now().minus(age));
    }

    private static boolean accepted(ServerSocket socket) throws java.io.IOException {
        try (var ignored = socket.accept()) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static double reportedMillis(RuntimeEmulator.Invocation run) {
        return run.lines().stream().map(REPORTED_DURATION::matcher).filter(Matcher::find)
                .map(m -> Double.parseDouble(m.group(1))).findFirst().orElse(Double.MAX_VALUE);
    }
}
