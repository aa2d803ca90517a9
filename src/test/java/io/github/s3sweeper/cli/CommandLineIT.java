package io.github.s3sweeper.cli;

import io.github.s3sweeper.lambda.SweepHandler;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.EmbeddedS3;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.LogLines;
import io.github.s3sweeper.testing.RuntimeSerialization;
import io.github.s3sweeper.testing.TemporarySystemProperties;
import io.github.s3sweeper.testing.TestContext;
import io.github.s3sweeper.aws.S3ClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line in process against s3proxy's filesystem store, which keeps the ages the test gives. */
class CommandLineIT extends FilesystemS3Test {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private TemporarySystemProperties credentials;

    @BeforeEach
    void fill() {
        credentials = new TemporarySystemProperties().set("aws.accessKeyId", EmbeddedS3.ACCESS_KEY)
                .set("aws.secretAccessKey", EmbeddedS3.SECRET_KEY);
        Instant now = Instant.now();
        put("logs/a/old-1.gz", "x", now.minus(Duration.ofDays(40)));
        put("logs/a/old-2.gz", "xx", now.minus(Duration.ofDays(50)));
        put("logs/b/old-3.txt", "xxx", now.minus(Duration.ofDays(60)));
        put("logs/b/fresh.gz", "x", now.minus(Duration.ofDays(1)));
        put("other/old.gz", "x", now.minus(Duration.ofDays(90)));
    }

    @AfterEach
    void restore() {
        credentials.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL_S3", server.endpoint().toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("HOME", "/nonexistent");
        return env;
    }

    private int run(String... args) {
        return Main.run(args, env(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @SuppressWarnings("unchecked")
    void rulesFromAFileSweepEachRulesPrefixAndTheJsonHoldsEachRulesSummaryBesideTheTotal(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path rules = java.nio.file.Files.writeString(dir.resolve("rules.json"), """
                [{"name": "gz", "prefix": "logs/a/", "include": "*.gz", "keepLatest": 1},
                 {"name": "txt", "prefix": "logs/b/", "olderThan": "45d"}]
                """);

        int status = run("--bucket", bucket, "--prefix", "logs/", "--retention-days", "30", "--rules",
                "file:" + rules, "-o", "json");

        assertThat(status).as(stderr()).isEqualTo(Main.OK);
        Map<String, Object> json = LogLines.parse(stdout());
        assertThat(json).containsEntry("prefix", "logs/").containsEntry("deleted", 2).containsEntry("complete", true);
        assertThat((List<Map<String, Object>>) json.get("rules")).satisfiesExactly(
                gz -> assertThat(gz).containsEntry("rule", "gz").containsEntry("deleted", 1)
                        .containsEntry("keptLatest", 1),
                txt -> assertThat(txt).containsEntry("rule", "txt").containsEntry("deleted", 1));
        assertThat(keys()).containsExactly("logs/a/old-1.gz", "logs/b/fresh.gz", "other/old.gz");
    }

    @Test
    void theAccountOfARunOfRulesHasALinePerRuleAndTheTotals() {
        int status = run("--bucket", bucket, "--prefix", "logs/", "--retention-days", "30", "-n", "--rules",
                "[{\"name\":\"a\",\"prefix\":\"logs/a/\"},{\"name\":\"b\",\"prefix\":\"logs/b/\"}]");

        assertThat(status).as(stderr()).isEqualTo(Main.OK);
        assertThat(stdout()).contains("s3-sweeper run of 2 rules (dry run: nothing deleted)",
                "Rule a (logs/a/, 30 days): scanned 2, to delete 2, deleted 0, failed 0",
                "Rule b (logs/b/, 30 days): scanned 2, to delete 1, deleted 0, failed 0",
                "To delete:             3");
        assertThat(keys()).hasSize(5);
    }

    @Test
    void aStartAfterUnderNoRulesPrefixIsRefused() {
        int status = run("--bucket", bucket, "--prefix", "logs/", "--retention-days", "30", "--start-after",
                "logs/c/x", "--rules", "[{\"name\":\"a\",\"prefix\":\"logs/a/\"}]");

        assertThat(status).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("--start-after=\"logs/c/x\": under no rule's prefix");
    }

    @Test
    void listStreamsTheKeysThatWouldGoOnePerLineAndDeletesNothing() {
        int status = run("--bucket", bucket, "--prefix", "logs/", "--retention-days", "30", "-n", "--list");

        assertThat(status).as(stderr()).isEqualTo(Main.OK);
        assertThat(stdout().lines()).containsExactlyInAnyOrder("logs/a/old-1.gz", "logs/a/old-2.gz", "logs/b/old-3.txt");
        assertThat(stderr()).contains("To delete:             3", "(dry run: nothing deleted)");
        assertThat(keys()).hasSize(5);
    }

    @Test
    void repeatedIncludesEachAddPatterns() {
        int status = run("--bucket", bucket, "--prefix", "logs/", "--older-than", "30d", "-n", "--list",
                "--include", "a/*", "--include", "b/*.txt");

        assertThat(status).as(stderr()).isEqualTo(Main.OK);
        assertThat(stdout().lines()).containsExactlyInAnyOrder("logs/a/old-1.gz", "logs/a/old-2.gz", "logs/b/old-3.txt");
    }

    @Test
    void aRealRunDeletesWhatTheDryRunListed() {
        int status = run("--bucket", bucket, "--prefix", "logs/", "--retention-days", "30", "--verbose");

        assertThat(status).as(stderr()).isEqualTo(Main.OK);
        assertThat(keys()).containsExactly("logs/b/fresh.gz", "other/old.gz");
        assertThat(stderr().lines()).contains("deleted: logs/a/old-1.gz (1 bytes)", "deleted: logs/b/old-3.txt (3 bytes)");
        assertThat(stdout()).contains("Deleted:               3 (6 bytes)", "Left to delete:        0");
    }

    @Test
    void aCapWithWorkLeftExitsThree() {
        int status = run("--bucket", bucket, "--prefix", "logs/", "--retention-days", "30", "--max-deletes", "1",
                "--list-concurrency", "1");

        assertThat(status).as(stderr()).isEqualTo(Main.WORK_LEFT);
        assertThat(keys()).hasSize(4);
        assertThat(stdout()).contains("Left by MAX_DELETES:   2");
    }

    @Test
    void quietPrintsNothingOnSuccess() {
        int status = run("--bucket", bucket, "--prefix", "logs/", "--retention-days", "30", "-q", "-n");

        assertThat(status).isEqualTo(Main.OK);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEmpty();
    }

    @Test
    void aFlagWinsOverItsVariable() {
        Map<String, String> env = env();
        env.put("RETENTION_DAYS", "55");
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", "logs/");

        int status = Main.run(new String[]{"-n", "--list", "--retention-days", "45"}, env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(stderr()).isEqualTo(Main.OK);
        assertThat(stdout().lines()).containsExactlyInAnyOrder("logs/a/old-2.gz", "logs/b/old-3.txt");
    }

    @Test
    void jsonOutputIsWhatTheHandlerReturnsForTheSameRun() {
        int status = run("--bucket", bucket, "--prefix", "logs/", "--retention-days", "30", "-n", "-o", "json");
        Map<String, String> env = env();
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", "logs/");
        env.put("RETENTION_DAYS", "30");
        env.put("DRY_RUN", "true");
        SweepSummary returned = new SweepHandler(env, Clock.systemUTC(), S3ClientFactory::create, line -> {
        }).handleRequest(Map.of(), new TestContext());

        assertThat(status).as(stderr()).isEqualTo(Main.OK);
        assertThat(stdout().lines()).hasSize(1);
        Map<String, Object> cli = comparable(LogLines.parse(stdout().strip()));
        Map<String, Object> handler = comparable(LogLines.parse(RuntimeSerialization.writeResponse(returned)));
        assertThat(cli).containsExactlyEntriesOf(handler);
        assertThat(cli).containsEntry("expired", 3).containsEntry("dryRun", true);
    }

    /** Without what two runs a moment apart cannot share: the cutoff's milliseconds and the duration. */
    private static Map<String, Object> comparable(Map<String, Object> summary) {
        Map<String, Object> fields = new LinkedHashMap<>(summary);
        assertThat(fields).containsKeys("cutoff", "durationMs");
        fields.keySet().removeAll(List.of("cutoff", "durationMs"));
        return fields;
    }
}
