package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.engine.SweepFailedException;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.LogLines;
import io.github.s3sweeper.testing.RuntimeSerialization;
import io.github.s3sweeper.testing.TestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The handler as Lambda runs it: events from events/ through the runtime's deserialization, the production S3
 * client built from AWS_ENDPOINT_URL_S3, a real S3 server behind it.
 */
class SweepHandlerIT extends FilesystemS3Test {

    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);



    @BeforeEach
    void fillBucket() {
        for (int i = 0; i < 5; i++) {
            server.putFile(bucket, "backups/old-" + i, "old", NOW.minus(Duration.ofDays(31)));
            server.putFile(bucket, "backups/new-" + i, "new", NOW.minus(Duration.ofDays(29)));
        }
        server.putFile(bucket, "backups-archive/old", "keep", NOW.minus(Duration.ofDays(400)));
    }

    private final LogLines log = new LogLines();

    private SweepHandler handler(Map<String, String> env) {
        return new SweepHandler(env, CLOCK, S3ClientFactory::create, log);
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", "backups/");
        env.put("RETENTION_DAYS", "30");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", server.endpoint().toString());
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String file) {
        return EventLoader.loadEvent(file, Map.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"events/scheduled-event.json", "events/scheduler-input.json", "events/manual-invoke.json"})
    void eachEventFileRunsTheSweepAndReturnsTheSummary(String file) {
        SweepSummary summary = handler(env()).handleRequest(load(file), new TestContext());

        assertThat(summary.scanned()).isEqualTo(10);
        assertThat(summary.expired()).isEqualTo(5);
        assertThat(summary.deleted()).isEqualTo(5);
        assertThat(summary.bytesDeleted()).isEqualTo(15);
        assertThat(keys()).containsExactly("backups-archive/old", "backups/new-0", "backups/new-1", "backups/new-2",
                "backups/new-3", "backups/new-4");
    }

    @Test
    void anOverridingInputNarrowsThePrefixAndChangesTheRulesForThatRunOnly() {
        server.putFile(bucket, "backups/db/a.sql.gz", "1", NOW.minus(Duration.ofHours(40)));
        server.putFile(bucket, "backups/db/b.sql.gz", "2", NOW.minus(Duration.ofHours(41)));
        server.putFile(bucket, "backups/db/c.dump", "3", NOW.minus(Duration.ofHours(42)));
        server.putFile(bucket, "backups/db/d.sql.gz", "4", NOW.minus(Duration.ofHours(43)));
        server.putFile(bucket, "backups/db/e-keep.sql.gz", "5", NOW.minus(Duration.ofHours(44)));
        server.putFile(bucket, "backups/db/f.txt", "6", NOW.minus(Duration.ofHours(45)));
        server.putFile(bucket, "backups/db/g.dump", "7", NOW.minus(Duration.ofHours(30)));
        SweepSummary summary = handler(env()).handleRequest(load("events/hourly-dry-run.json"), new TestContext());

        assertThat(summary.prefix()).isEqualTo("backups/db/");
        assertThat(summary.olderThan()).isEqualTo("PT36H");
        assertThat(summary.dryRun()).isTrue();
        assertThat(summary.scanned()).isEqualTo(7);
        assertThat(summary.matched()).as("*.sql.gz and *.dump, not *-keep.*").isEqualTo(5);
        assertThat(summary.keptLatest()).as("the 3 newest selected: g is young, a and b are kept").isEqualTo(2);
        assertThat(summary.expired()).isEqualTo(2);
        assertThat(log.events("wouldDelete")).extracting(line -> line.get("key"))
                .containsExactlyInAnyOrder("backups/db/c.dump", "backups/db/d.sql.gz");
        assertThat(log.events("start")).singleElement()
                .satisfies(start -> assertThat(start).containsEntry("overrides", true).containsEntry("overridden",
                        java.util.List.of("prefix", "olderThan", "dryRun", "keepLatest", "include", "exclude")));
        assertThat(keys()).contains("backups/db/c.dump", "backups/db/d.sql.gz");
    }

    @Test
    void anOverrideOutsideTheConfiguredPrefixFailsBeforeAnyRequest() {
        AtomicInteger built = new AtomicInteger();
        SweepHandler handler = new SweepHandler(env(), CLOCK, settings -> {
            built.incrementAndGet();
            return S3ClientFactory.create(settings);
        }, log);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> handler.handleRequest(Map.of("prefix", "backups-archive/"), new TestContext()))
                .isInstanceOf(io.github.s3sweeper.config.InvalidSettingsException.class)
                .hasMessageContaining("outside the configured PREFIX=\"backups/\"");
        assertThat(built).hasValue(0);
        assertThat(keys()).contains("backups-archive/old");
        assertThat(log.records()).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("level", "ERROR").containsEntry("event", "invalidSettings")
                .containsEntry("sweep", bucket + "/backups/").containsKey("problems"));
    }

    @Test
    void scheduledEventFileIsWhatEventBridgeSends() {
        ScheduledEvent event = EventLoader.loadScheduledEvent("events/scheduled-event.json");

        assertThat(event.getSource()).isEqualTo("aws.events");
        assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(event.getResources()).hasSize(1);
    }

    @Test
    void schedulerInputFileIsWhatTheTemplateSends() throws Exception {
        String template = Files.readString(Path.of("template.yaml"));
        Matcher input = Pattern.compile("(?m)^\\s+Input: '(.*)'$").matcher(template);

        assertThat(input.find()).as("template.yaml has a ScheduleV2 Input").isTrue();
        assertThat(RuntimeSerialization.readEvent(input.group(1))).isEqualTo(load("events/scheduler-input.json"));
    }

    @Test
    void envFileForSamLocalInvokeHoldsValidSettings() {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, String>> file = EventLoader.loadEvent("events/env.json", Map.class);
        Map<String, String> env = new HashMap<>(file.get("SweeperFunction"));
        env.put("AWS_REGION", "us-east-1");

        io.github.s3sweeper.config.SweepSettings settings = io.github.s3sweeper.config.SettingsParser.parse(env).sweep();
        assertThat(settings.dryRun()).isTrue();
        assertThat(settings.keepLatest()).isEqualTo(3);
        assertThat(settings.sweepsVersions()).isFalse();
    }

    @Test
    void logsTheSummaryOnceAsOneLineWithTheAccountAsItsMessage() {
        SweepSummary summary = handler(env()).handleRequest(Map.of(), new TestContext());

        assertThat(log.events("summary")).singleElement().satisfies(line -> {
            assertThat(line).containsEntry("level", "INFO").containsEntry("message", summary.toAccount());
            assertThat(line).containsAllEntriesOf(LogLines.parse(summary.toJson()));
        });
        assertThat(log.raw()).filteredOn(line -> line.contains("\"scanned\":10")).hasSize(1);
    }

    @Test
    void aScheduledRunSaysItOverridesNothing() {
        handler(env()).handleRequest(load("events/scheduler-input.json"), new TestContext());

        assertThat(log.events("start")).singleElement().satisfies(start -> assertThat(start)
                .containsEntry("trigger", "schedule").containsEntry("overrides", false).doesNotContainKey("overridden"));
    }

    @Test
    void deletedKeysAreLoggedAtDebugOnlyWhenTheLevelAsksForIt() {
        handler(env()).handleRequest(Map.of(), new TestContext());
        assertThat(log.events("deleted")).isEmpty();

        fillBucket();
        Map<String, String> env = env();
        env.put("AWS_LAMBDA_LOG_LEVEL", "DEBUG");
        handler(env).handleRequest(Map.of(), new TestContext());
        assertThat(log.events("deleted")).hasSize(5).allSatisfy(line -> assertThat(line)
                .containsEntry("level", "DEBUG").containsKeys("key", "size", "lastModified", "function_request_id"));
    }

    @Test
    void everyLineCarriesTheInvocationContextAtTheTopLevel() {
        TestContext context = new TestContext();

        handler(env()).handleRequest(Map.of(), context);

        assertThat(log.records()).isNotEmpty().allSatisfy(line -> assertThat(line)
                .containsKeys("timestamp", "level", "message", "event")
                .containsEntry("function_request_id", context.getAwsRequestId())
                .containsEntry("function_name", "s3-sweeper")
                .containsEntry("cold_start", true)
                .containsEntry("sweep", bucket + "/backups/")
                .containsEntry("service", "s3-sweeper"));
        assertThat(context.lines()).as("nothing goes through the runtime's logger, which would wrap it").isEmpty();
    }

    @Test
    void dryRunLogsEveryKeyItWouldDeleteAndDeletesNothing() {
        Map<String, String> env = env();
        env.put("DRY_RUN", "true");

        SweepSummary summary = handler(env).handleRequest(Map.of(), new TestContext());

        assertThat(summary.dryRun()).isTrue();
        assertThat(summary.expired()).isEqualTo(5);
        assertThat(summary.deleted()).isZero();
        assertThat(keys()).hasSize(11);
        assertThat(log.events("wouldDelete")).hasSize(5).allSatisfy(line -> assertThat(line)
                .containsEntry("level", "INFO"));
    }

    @Test
    void aDryRunWithKeepRulesLogsWhichRulesKeptEachExpiredObject() {
        // Three nightly backups of one database, all expired: KEEP_DAILY=2 keeps the last two days.
        for (int d = 0; d < 3; d++) {
            server.putFile(bucket, "backups/db1/" + d, "b", NOW.minus(Duration.ofDays(40 + d)));
        }
        Map<String, String> env = env();
        env.put("DRY_RUN", "true");
        env.put("GROUP_BY", "depth:1");
        env.put("KEEP_DAILY", "2");

        SweepSummary summary = handler(env).handleRequest(Map.of(), new TestContext());

        assertThat(log.events("keptByRule")).extracting(line -> line.get("key"), line -> line.get("group"),
                        line -> line.get("keptBy"), line -> line.get("level"))
                .containsExactlyInAnyOrder(
                        tuple("backups/db1/0", "db1/", List.of("KEEP_DAILY"), "INFO"),
                        tuple("backups/db1/1", "db1/", List.of("KEEP_DAILY"), "INFO"),
                        tuple("backups/old-4", "", List.of("KEEP_DAILY"), "INFO"));
        // The objects right under the prefix are one more group, "": the newest of its two days stay (new-4 is not
        // expired, so it is not named), and equal times are told apart by key.
        assertThat(summary.groups()).isEqualTo(2);
        assertThat(summary.keptByRule()).containsEntry("KEEP_DAILY", 3L);
        assertThat(log.events("summary").get(0)).containsEntry("groups", 2);
    }

    @Test
    void missingBucketFailsWithTheCauseFirstInOneLine() {
        Map<String, String> env = env();
        env.put("BUCKET_NAME", "no-such-bucket-here");

        SweepFailedException failure = catchThrowableOfType(SweepFailedException.class,
                () -> handler(env).handleRequest(Map.of(), new TestContext()));

        assertThat(failure.getMessage()).startsWith("The bucket \"no-such-bucket-here\" does not exist (NoSuchBucket):"
                + " check BUCKET_NAME").contains("Listing s3://no-such-bucket-here/backups/ stopped there")
                .doesNotContain("\n", "{");
        assertThat(failure.getStackTrace()).as("the runtime prints what it is thrown; the trace is for DEBUG").isEmpty();
        assertThat(failure.getCause()).isNull();
        assertThat(log.events("summary")).singleElement().satisfies(line -> {
            assertThat(line).containsEntry("level", "ERROR").containsEntry("stoppedBy", "listingFailed")
                    .containsEntry("failure", failure.getMessage());
            assertThat((String) line.get("message")).startsWith("FAILED: " + failure.getMessage() + "\n")
                    .doesNotContain("time limit");
        });
        assertThat(log.events("failureDetail")).as("no stack trace at INFO").isEmpty();
        assertThat(keys()).hasSize(11);
    }

    @Test
    void aFailureLogsItsStackTraceAtDebugOnly() {
        Map<String, String> env = env();
        env.put("BUCKET_NAME", "no-such-bucket-here");
        env.put("AWS_LAMBDA_LOG_LEVEL", "DEBUG");

        catchThrowableOfType(SweepFailedException.class, () -> handler(env).handleRequest(Map.of(), new TestContext()));

        assertThat(log.events("failureDetail")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("level", "DEBUG")
                .hasEntrySatisfying("stackTrace", trace -> assertThat((String) trace).contains("NoSuchBucketException")));
    }

    @Test
    void emitsNoMetricsRecordOutsideLambda() {
        handler(env()).handleRequest(Map.of(), new TestContext());

        assertThat(log.metrics()).isEmpty();
    }

    @Test
    void emitsOneMetricsRecordPerRunInLambda() {
        Map<String, String> env = env();
        env.put("AWS_LAMBDA_FUNCTION_NAME", "s3-sweeper");
        env.put("SWEEP_NAME", "nightly-backups");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "Team/Storage");

        SweepSummary summary = handler(env).handleRequest(Map.of(), new TestContext());

        assertThat(log.metrics()).singleElement().satisfies(record -> {
            assertThat(record).containsEntry("Sweep", "nightly-backups").containsEntry("ObjectsDeleted", 5)
                    .containsEntry("ObjectsScanned", 10).containsEntry("BytesDeleted", 15)
                    .containsEntry("IncompleteRuns", 0).containsEntry("level", "INFO");
            assertThat(record.get("DurationMs")).isEqualTo((int) summary.durationMs());
            assertThat(record.toString()).contains("Namespace=Team/Storage");
        });
    }

    @Test
    void reusesOneClientAcrossInvocations() {
        AtomicInteger built = new AtomicInteger();
        ClientCache cache = new ClientCache(settings -> {
            built.incrementAndGet();
            return S3ClientFactory.create(settings);
        });
        SweepHandler handler = new SweepHandler(env(), CLOCK, cache::get, log);

        handler.handleRequest(Map.of(), new TestContext());
        handler.handleRequest(Map.of(), new TestContext());

        assertThat(built).hasValue(1);
    }

    /** A handler whose clock stands an hour after now, with ABORT_INCOMPLETE_UPLOADS_AFTER=30m; and its clock. */
    private record LaterHandler(SweepHandler handler, Instant now) {
    }

    private LaterHandler abortingUploadsAnHourFromNow(boolean dryRun) {
        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Map<String, String> env = env();
        env.put("ABORT_INCOMPLETE_UPLOADS_AFTER", "30m");
        env.put("DRY_RUN", String.valueOf(dryRun));
        return new LaterHandler(new SweepHandler(env, Clock.fixed(later, ZoneOffset.UTC), S3ClientFactory::create,
                log), later);
    }

    private String incompleteUpload(String key) {
        String id = admin.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        admin.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromString("part"));
        return id;
    }

    private java.util.List<String> uploadIds() {
        return admin.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                .map(software.amazon.awssdk.services.s3.model.MultipartUpload::uploadId).toList();
    }

    @Test
    void aRunAbortsTheOldIncompleteUploadsUnderThePrefixAndLogsEachAtInfo() {
        String id = incompleteUpload("backups/db.tar");
        String outside = incompleteUpload("elsewhere/db.tar");
        LaterHandler later = abortingUploadsAnHourFromNow(false);

        SweepSummary summary = later.handler().handleRequest(load("events/manual-invoke.json"), new TestContext());

        assertThat(summary.uploadsCutoff()).isEqualTo(later.now().minus(Duration.ofMinutes(30)).toString());
        assertThat(summary.uploadsAborted()).isEqualTo(1);
        assertThat(uploadIds()).containsExactly(outside);
        assertThat(log.events("uploadAborted")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("level", "INFO").containsEntry("key", "backups/db.tar").containsEntry("uploadId", id)
                .containsEntry("alreadyGone", false));
        assertThat(log.events("summary")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("uploadsAborted", 1).containsEntry("uploadsFailed", 0));
    }

    @Test
    void aDryRunLogsEachUploadItWouldAbortAndAbortsNone() {
        String id = incompleteUpload("backups/db.tar");
        LaterHandler later = abortingUploadsAnHourFromNow(true);

        SweepSummary summary = later.handler().handleRequest(load("events/manual-invoke.json"), new TestContext());

        assertThat(summary.uploadsExpired()).isEqualTo(1);
        assertThat(summary.uploadsAborted()).isZero();
        assertThat(uploadIds()).containsExactly(id);
        assertThat(log.events("wouldAbortUpload")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("level", "INFO").containsEntry("key", "backups/db.tar").containsEntry("uploadId", id));
    }

    @Test
    void aLaterRunOfAChainLeavesTheIncompleteUploadsToTheFirst() {
        String id = incompleteUpload("backups/db.tar");
        LaterHandler later = abortingUploadsAnHourFromNow(false);
        Map<String, Object> chain = new HashMap<>();
        chain.put("id", "req-1");
        chain.put("link", 2);
        chain.put("startedAt", later.now().toString());
        chain.put("totals", Map.of());

        SweepSummary summary = later.handler().handleRequest(Map.of("chain", chain), new TestContext());

        assertThat(summary.uploadsCutoff()).isNull();
        assertThat(summary.uploadsScanned()).isZero();
        assertThat(uploadIds()).containsExactly(id);
        assertThat(log.events("uploadAborted")).isEmpty();
    }
}
