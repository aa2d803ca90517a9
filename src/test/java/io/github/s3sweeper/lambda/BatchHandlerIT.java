package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.testing.FailingKeysS3Client;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.LogLines;
import io.github.s3sweeper.testing.TestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Distributed Map's child as Lambda runs it: the batches of events/ as the Map delivers them (both readers'
 * item shapes), the production S3 client, a real S3 server behind it. Only the batch's expired keys go; everything
 * else, in the batch or not, stays.
 */
class BatchHandlerIT extends FilesystemS3Test {

    private final LogLines log = new LogLines();
    private final AtomicInteger clientsBuilt = new AtomicInteger();

    @BeforeEach
    void fillBucket() {
        // The objects events/distributed-batch-*.json name (the inventory's keys decoded), at their LastModified.
        put("backups/db/2026-10-01.sql.gz", "a", Instant.parse("2026-10-01T03:00:00Z"));
        put("backups/db/2026-10-20.sql.gz", "bb", Instant.parse("2026-10-20T03:00:00Z"));
        put("backups/db/2026-10-20 full.sql.gz", "bb", Instant.parse("2026-10-20T03:00:00Z"));
        put("backups/db/2026-11-20.sql.gz", "ccc", Instant.parse("2026-11-20T03:00:00Z"));
        put("backups/keep/2026-09-01.tar", "dddd", Instant.parse("2026-09-01T03:00:00Z"));
        put("backups/keep/2026-09-01+full.tar", "dddd", Instant.parse("2026-09-01T03:00:00Z"));
        // Expired too, but in no batch here: another child's business.
        put("backups/db/2026-09-15.sql.gz", "e", Instant.parse("2026-09-15T03:00:00Z"));
        put("backups-archive/old", "f", Instant.parse("2025-01-01T00:00:00Z"));
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", "backups/");
        env.put("RETENTION_DAYS", "30");
        env.put("EXCLUDE", "keep/**");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", server.endpoint().toString());
        return env;
    }

    private BatchHandler handler(Map<String, String> env, Set<String> refused, Map<String, Integer> slowDowns) {
        return new BatchHandler(env, settings -> {
            clientsBuilt.incrementAndGet();
            return new FailingKeysS3Client(S3ClientFactory.create(settings), refused, slowDowns, 0, 0);
        }, log, pause -> { });
    }

    private BatchHandler handler(Map<String, String> env) {
        return handler(env, Set.of(), Map.of());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> load(String file) {
        Map<String, Object> event = EventLoader.loadEvent(file, Map.class);
        // The inventory's rows name the bucket they list: here, this test's.
        for (Object item : (List<Object>) event.get("Items")) {
            ((Map<String, Object>) item).computeIfPresent("Bucket", (k, v) -> bucket);
        }
        return event;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"events/distributed-batch-listobjects.json, backups/db/2026-10-20.sql.gz",
            "events/distributed-batch-inventory.json, backups/db/2026-10-20 full.sql.gz"})
    void exactlyTheBatchsExpiredKeysGo(String file, String second) {
        Map<String, Object> counts = handler(env()).handleRequest(load(file), new TestContext());

        assertThat(counts).containsEntry("scanned", 4L).containsEntry("matched", 3L).containsEntry("expired", 2L)
                .containsEntry("deleted", 2L).containsEntry("failed", 0L).containsEntry("bytesDeleted", 34910L + 35120L)
                .containsEntry("deleteRequests", 1L).containsEntry("dryRun", false)
                .containsEntry("runStartedAt", "2026-11-26T03:00:00.123Z")
                .containsEntry("cutoff", "2026-10-27T03:00:00.123Z");
        Set<String> expected = new java.util.TreeSet<>(Set.of("backups/db/2026-10-20.sql.gz",
                "backups/db/2026-10-20 full.sql.gz", "backups/db/2026-11-20.sql.gz", "backups/keep/2026-09-01.tar",
                "backups/keep/2026-09-01+full.tar", "backups/db/2026-09-15.sql.gz", "backups-archive/old"));
        expected.remove(second);
        assertThat(keys()).isEqualTo(expected);
        assertThat(log.events("batch")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("level", "INFO").containsEntry("deleted", 2).containsEntry("sweep", bucket + "/backups/"));
        assertThat(log.records()).as("one line per batch, no per-key line at INFO").hasSize(1);
    }

    @Test
    void aDryRunDeletesNothingAndSaysWhatWouldGo() {
        Map<String, String> env = env();
        env.put("DRY_RUN", "true");

        Map<String, Object> counts = handler(env).handleRequest(load("events/distributed-batch-listobjects.json"),
                new TestContext());

        assertThat(counts).containsEntry("expired", 2L).containsEntry("deleted", 0L).containsEntry("dryRun", true)
                .containsEntry("deleteRequests", 0L);
        assertThat(keys()).contains("backups/db/2026-10-01.sql.gz", "backups/db/2026-10-20.sql.gz");
        assertThat(log.events("wouldDelete")).hasSize(2);
    }

    @Test
    void perKeyFailuresFailTheChildWithTheCountsInItsMessage() {
        BatchHandler handler = handler(env(), Set.of("backups/db/2026-10-01.sql.gz"), Map.of());

        BatchHandler.BatchFailedException e = catchThrowableOfType(BatchHandler.BatchFailedException.class,
                () -> handler.handleRequest(load("events/distributed-batch-listobjects.json"), new TestContext()));

        Map<String, Object> counts = LogLines.parse(e.getMessage());
        assertThat(counts).containsEntry("expired", 2).containsEntry("deleted", 1).containsEntry("failed", 1);
        assertThat(counts.get("failure").toString()).contains("1 of the 2 entries").contains("AccessDenied");
        assertThat((List<?>) counts.get("errors")).singleElement().satisfies(error -> assertThat(LogLines.parse(io.github.s3sweeper.report.Json.write(error)))
                .containsEntry("key", "backups/db/2026-10-01.sql.gz").containsEntry("code", "AccessDenied"));
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(keys()).contains("backups/db/2026-10-01.sql.gz").doesNotContain("backups/db/2026-10-20.sql.gz");
        assertThat(log.events("deleteFailed")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("level", "WARN").containsEntry("key", "backups/db/2026-10-01.sql.gz"));
        assertThat(log.events("batch")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("level", "ERROR").containsEntry("failed", 1));
    }

    @Test
    void aTransientPerKeyErrorIsSentAgainWithinTheBudget() {
        BatchHandler handler = handler(env(), Set.of(), Map.of("backups/db/2026-10-01.sql.gz", 2));

        Map<String, Object> counts = handler.handleRequest(load("events/distributed-batch-listobjects.json"),
                new TestContext());

        assertThat(counts).containsEntry("deleted", 2L).containsEntry("failed", 0L).containsEntry("deleteRequests", 3L);
        assertThat(keys()).doesNotContain("backups/db/2026-10-01.sql.gz");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"KEEP_LATEST, 3, needs the whole listing", "MAX_DELETES, 1000, one count across every batch",
            "NONCURRENT_DAYS, 30, ListObjectVersions", "ABORT_INCOMPLETE_UPLOADS_AFTER, 7d, not incomplete multipart"
            + " uploads"})
    void aRuleThatNeedsTheWholeListingIsRefusedBeforeAnyRequest(String variable, String value, String why) {
        Map<String, String> env = env();
        env.put(variable, value);

        InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class, () -> handler(env)
                .handleRequest(load("events/distributed-batch-listobjects.json"), new TestContext()));

        assertThat(e.problems()).singleElement().asString().startsWith(variable + "=\"" + value + "\": not applied in"
                + " the Distributed Map mode").contains(why);
        assertThat(clientsBuilt).hasValue(0);
        assertThat(keys()).contains("backups/db/2026-10-01.sql.gz", "backups/db/2026-10-20.sql.gz");
        assertThat(log.events("invalidBatch")).singleElement().satisfies(l -> assertThat(l).containsEntry("level", "ERROR"));
    }

    @Test
    void rulesAreRefusedInTheDistributedMapModeBeforeAnyRequest() {
        Map<String, String> env = env();
        env.put("RULES", "[{\"name\":\"db\",\"prefix\":\"backups/db/\"}]");

        InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class, () -> handler(env)
                .handleRequest(load("events/distributed-batch-listobjects.json"), new TestContext()));

        assertThat(e.problems()).containsExactly("RULES=\"[{\\\"name\\\":\\\"db\\\",\\\"prefix\\\":\\\"backups/db/\\\"}]\": not"
                + " applied in the Distributed Map mode: each rule is a sweep of its own prefix with its own settings,"
                + " and the Map's batches are items of one listing under one set of settings; allowed: empty in this"
                + " mode (the function mode sweeps RULES; or deploy one Distributed Map per rule)");
        assertThat(clientsBuilt).hasValue(0);
        assertThat(keys()).contains("backups/db/2026-10-01.sql.gz");
    }

    @Test
    void anEmptyRulesArrayIsNoRulesInTheDistributedMapModeToo() {
        Map<String, String> env = env();
        env.put("RULES", "[ ]");

        assertThat(handler(env).handleRequest(load("events/distributed-batch-listobjects.json"), new TestContext()))
                .containsKey("deleted");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anItemOutsideThePrefixOrOfAnotherBucketRefusesTheWholeBatch() {
        Map<String, Object> listed = load("events/distributed-batch-listobjects.json");
        List<Object> items = new ArrayList<>((List<Object>) listed.get("Items"));
        Map<String, Object> outside = new LinkedHashMap<>((Map<String, Object>) items.get(0));
        outside.put("Key", "backups-archive/old");
        items.add(outside);
        listed.put("Items", items);
        Map<String, Object> inventory = load("events/distributed-batch-inventory.json");
        ((Map<String, Object>) ((List<Object>) inventory.get("Items")).get(1)).put("Bucket", "another-bucket");

        InvalidSettingsException prefix = catchThrowableOfType(InvalidSettingsException.class,
                () -> handler(env()).handleRequest(listed, new TestContext()));
        InvalidSettingsException bucketOf = catchThrowableOfType(InvalidSettingsException.class,
                () -> handler(env()).handleRequest(inventory, new TestContext()));

        assertThat(prefix.problems()).singleElement().asString()
                .isEqualTo("Items[4].Key=\"backups-archive/old\" is outside PREFIX=\"backups/\"");
        assertThat(bucketOf.problems()).singleElement().asString().startsWith("Items[1].Bucket=\"another-bucket\" is"
                + " not BUCKET_NAME");
        assertThat(clientsBuilt).hasValue(0);
        assertThat(keys()).contains("backups-archive/old", "backups/db/2026-10-01.sql.gz");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBatchWithoutTheRunsStartIsRefused() {
        Map<String, Object> event = load("events/distributed-batch-listobjects.json");
        event.put("BatchInput", Map.of());
        Map<String, Object> bad = load("events/distributed-batch-listobjects.json");
        bad.put("BatchInput", Map.of("runStartedAt", "yesterday"));

        assertThat(catchThrowableOfType(InvalidSettingsException.class, () -> handler(env())
                .handleRequest(event, new TestContext())).problems()).singleElement().asString()
                .startsWith("BatchInput.runStartedAt is missing").contains("$$.Execution.StartTime");
        assertThat(catchThrowableOfType(InvalidSettingsException.class, () -> handler(env())
                .handleRequest(bad, new TestContext())).problems()).singleElement().asString()
                .startsWith("BatchInput.runStartedAt=\"yesterday\" is not an ISO-8601 instant");
        assertThat(clientsBuilt).hasValue(0);
    }

    @Test
    void aBatchWhoseRunStartsInTheFutureIsRefusedSinceItWouldMoveTheCutoffForward() {
        Map<String, Object> event = load("events/distributed-batch-listobjects.json");
        event.put("BatchInput", Map.of("runStartedAt", java.time.Instant.now().plusSeconds(86_400 * 400).toString()));

        assertThat(catchThrowableOfType(InvalidSettingsException.class, () -> handler(env())
                .handleRequest(event, new TestContext())).problems()).singleElement().asString()
                .contains("is in the future: it would move the cutoff forward");
        assertThat(clientsBuilt).hasValue(0);
        assertThat(keys()).contains("backups/db/2026-10-01.sql.gz");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInventoryRowOfANoncurrentVersionIsRefused() {
        Map<String, Object> inventory = load("events/distributed-batch-inventory.json");
        Map<String, Object> row = (Map<String, Object>) ((List<Object>) inventory.get("Items")).get(0);
        row.put("IsLatest", "false");
        row.put("VersionId", "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd");

        assertThat(catchThrowableOfType(InvalidSettingsException.class, () -> handler(env())
                .handleRequest(inventory, new TestContext())).problems()).singleElement().asString()
                .contains("noncurrent version").contains("would delete the current object");
        assertThat(keys()).contains("backups/db/2026-10-01.sql.gz");
    }
}
