package io.github.s3sweeper.lambda;

import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.LogLines;
import io.github.s3sweeper.testing.RuntimeSerialization;
import io.github.s3sweeper.testing.TestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * RULES through the Lambda handler: the response is the total in one run's shape with each rule's summary in
 * {@code rules}; each rule logs its start and summary lines with its {@code rule} field and emits a metrics record with
 * a {@code Rule} dimension, before the total's.
 */
class RulesHandlerIT extends FilesystemS3Test {

    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String RULES = "[{\"name\":\"db\",\"prefix\":\"backups/db/\",\"keepLatest\":\"1\"},"
            + "{\"name\":\"logs\",\"prefix\":\"backups/logs/\",\"olderThan\":\"7d\"}]";

    private final LogLines log = new LogLines();

    @BeforeEach
    void fillBucket() {
        for (int i = 0; i < 3; i++) {
            server.putFile(bucket, "backups/db/old-" + i, "old", NOW.minus(Duration.ofDays(31 + i)));
        }
        server.putFile(bucket, "backups/logs/a", "a", NOW.minus(Duration.ofDays(10)));
        server.putFile(bucket, "backups/logs/b", "b", NOW.minus(Duration.ofDays(3)));
        server.putFile(bucket, "backups/other", "x", NOW.minus(Duration.ofDays(400)));
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", "backups/");
        env.put("RETENTION_DAYS", "30");
        env.put("RULES", RULES);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", server.endpoint().toString());
        // In Lambda: the metrics records are written. A complete run invokes nothing.
        env.put("AWS_LAMBDA_FUNCTION_NAME", "s3-sweeper");
        return env;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theResponseCarriesEachRulesSummaryBesideTheTotalAndTheLinesAndMetricsNameTheRule() {
        SweepSummary summary = new SweepHandler(env(), CLOCK, S3ClientFactory::create, log)
                .handleRequest(Map.of(), new TestContext());

        assertThat(summary.rules()).extracting(SweepSummary::rule).containsExactly("db", "logs");
        assertThat(summary.rules()).extracting(SweepSummary::deleted).containsExactly(2L, 1L);
        assertThat(summary.rules().get(0).keptLatest()).isEqualTo(1);
        assertThat(summary.deleted()).isEqualTo(3);
        assertThat(summary.scanned()).isEqualTo(5);
        assertThat(summary.complete()).isTrue();
        assertThat(keys()).containsExactly("backups/db/old-0", "backups/logs/b", "backups/other");

        Map<String, Object> response = LogLines.parse(RuntimeSerialization.writeResponse(summary));
        assertThat(response).containsEntry("deleted", 3).containsEntry("prefix", "backups/").doesNotContainKey("rule");
        assertThat((List<Map<String, Object>>) response.get("rules")).satisfiesExactly(
                db -> assertThat(db).containsEntry("rule", "db").containsEntry("prefix", "backups/db/")
                        .containsEntry("deleted", 2).containsEntry("retentionDays", 30),
                logs -> assertThat(logs).containsEntry("rule", "logs").containsEntry("prefix", "backups/logs/")
                        .containsEntry("deleted", 1).containsEntry("olderThan", "PT168H"));
        assertThat(response).isEqualTo(LogLines.parse(summary.toJson()));

        assertThat(log.events("start")).extracting(line -> line.get("rule")).containsExactly(null, "db", "logs");
        assertThat(log.events("summary")).satisfiesExactly(
                db -> assertThat(db).containsEntry("rule", "db").containsEntry("deleted", 2),
                logs -> assertThat(logs).containsEntry("rule", "logs").containsEntry("deleted", 1),
                total -> assertThat(total).doesNotContainKey("rule").containsEntry("deleted", 3)
                        .containsKey("rules"));
        assertThat(log.metrics()).satisfiesExactly(
                db -> assertThat(db).containsEntry("Rule", "db").containsEntry("ObjectsDeleted", 2)
                        .containsEntry("Sweep", bucket + "/backups/"),
                logs -> assertThat(logs).containsEntry("Rule", "logs").containsEntry("ObjectsDeleted", 1),
                total -> assertThat(total).doesNotContainKey("Rule").containsEntry("ObjectsDeleted", 3));
        Map<String, Object> aws = (Map<String, Object>) log.metrics().get(0).get("_aws");
        Map<String, Object> directive = ((List<Map<String, Object>>) aws.get("CloudWatchMetrics")).get(0);
        assertThat(directive.get("Dimensions")).isEqualTo(List.of(List.of("Sweep", "Rule")));
        Map<String, Object> totalAws = (Map<String, Object>) log.metrics().get(2).get("_aws");
        assertThat(((List<Map<String, Object>>) totalAws.get("CloudWatchMetrics")).get(0).get("Dimensions"))
                .isEqualTo(List.of(List.of("Sweep")));
    }

    @Test
    void aLaterRunOfAChainStartsAtTheRuleItIsGivenAndCountsOnlyWhatItSweeps() {
        Map<String, Object> chain = Map.of("id", "req-1", "link", 2, "startedAt", NOW.toString(),
                "totals", Map.of("deleted", 2), "rule", "logs");

        SweepSummary summary = new SweepHandler(env(), CLOCK, S3ClientFactory::create, log)
                .handleRequest(Map.of("chain", chain), new TestContext());

        assertThat(summary.rules()).extracting(SweepSummary::rule).containsExactly("logs");
        assertThat(summary.deleted()).isEqualTo(1);
        assertThat(keys()).contains("backups/db/old-1", "backups/db/old-2").doesNotContain("backups/logs/a");
        assertThat(log.events("chainSummary")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("deleted", 3).containsEntry("links", 2));
    }

    @Test
    void overlappingRulesAreRefusedBeforeAnyClientIsBuilt() {
        Map<String, String> env = env();
        env.put("RULES", "[{\"name\":\"a\",\"prefix\":\"backups/a\"},{\"name\":\"b\",\"prefix\":\"backups/ab\"},"
                + "{\"name\":\"c\",\"prefix\":\"elsewhere/\"}]");
        AtomicInteger built = new AtomicInteger();
        SweepHandler handler = new SweepHandler(env, CLOCK, settings -> {
            built.incrementAndGet();
            return S3ClientFactory.create(settings);
        }, log);

        InvalidSettingsException refused = catchThrowableOfType(InvalidSettingsException.class,
                () -> handler.handleRequest(Map.of(), new TestContext()));

        assertThat(refused.problems()).containsExactly(
                "RULES[2] \"c\": prefix=\"elsewhere/\": outside PREFIX=\"backups/\" (the IAM role is scoped to it);"
                        + " allowed: a key prefix that starts with PREFIX=\"backups/\" (S3 prefixes are plain string"
                        + " prefixes)",
                "RULES[0] \"a\" prefix=\"backups/a\" and RULES[1] \"b\" prefix=\"backups/ab\": overlapping prefixes"
                        + " (every key under \"backups/ab\" is under \"backups/a\" too: S3 prefixes are plain string"
                        + " prefixes); allowed: prefixes none of which starts with another");
        assertThat(built).hasValue(0);
        assertThat(keys()).hasSize(6);
    }

    @Test
    void anInputPrefixIsRefusedWithRules() {
        InvalidSettingsException refused = catchThrowableOfType(InvalidSettingsException.class,
                () -> new SweepHandler(env(), CLOCK, S3ClientFactory::create, log)
                        .handleRequest(Map.of("prefix", "backups/db/"), new TestContext()));

        assertThat(refused.problems()).containsExactly("input field \"prefix\"=\"backups/db/\": not with RULES, whose"
                + " rules each sweep their own prefix; allowed: leave it out");
    }

    @Test
    void anInputsGlobsAreRefusedWithRulesWhoseGlobsAreRelativeToEachRulesPrefix() {
        int before = keys().size();
        InvalidSettingsException refused = catchThrowableOfType(InvalidSettingsException.class,
                () -> new SweepHandler(env(), CLOCK, S3ClientFactory::create, log)
                        .handleRequest(Map.of("exclude", "db/*-keep.*"), new TestContext()));

        assertThat(refused.problems()).singleElement().asString().startsWith("input field \"exclude\"=")
                .contains("not with RULES, whose globs are relative to each rule's own prefix");
        assertThat(keys()).hasSize(before);
    }

    @Test
    void aLaterRunOfAChainOfRulesLeavesTheIncompleteUploadsToTheFirstRun() {
        String key = "backups/logs/big.tar";
        admin.createMultipartUpload(b -> b.bucket(bucket).key(key));
        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Map<String, String> env = env();
        env.put("ABORT_INCOMPLETE_UPLOADS_AFTER", "30m");
        SweepHandler handler = new SweepHandler(env, Clock.fixed(later, ZoneOffset.UTC), S3ClientFactory::create, log);
        Map<String, Object> chain = Map.of("id", "req-1", "link", 2, "startedAt", later.toString(),
                "totals", Map.of(), "rule", "logs");

        SweepSummary linkTwo = handler.handleRequest(Map.of("chain", chain), new TestContext());

        assertThat(linkTwo.uploadsScanned()).isZero();
        assertThat(admin.listMultipartUploads(b -> b.bucket(bucket)).uploads()).hasSize(1);

        SweepSummary first = handler.handleRequest(Map.of(), new TestContext());

        assertThat(first.uploadsAborted()).as("a first run aborts it, under its rule").isEqualTo(1);
        assertThat(first.rules()).filteredOn(rule -> "logs".equals(rule.rule()))
                .singleElement().extracting(SweepSummary::uploadsAborted).isEqualTo(1L);
        assertThat(admin.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }
}
