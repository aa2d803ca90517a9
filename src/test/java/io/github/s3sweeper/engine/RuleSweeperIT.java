package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.Rule;
import io.github.s3sweeper.config.Settings;
import io.github.s3sweeper.config.SettingsParser;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * RULES against s3proxy's filesystem store, with exact ages: a run of three rules deletes and counts exactly what
 * three runs of one deployment each would, each with PREFIX the rule's prefix and the rule's fields as its variables.
 */
class RuleSweeperIT extends FilesystemS3Test {

    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String RULES = """
            [{"name": "db", "prefix": "backups/db/", "keepLatest": 2, "include": ["*.gz"]},
             {"name": "logs", "prefix": "backups/logs/", "olderThan": "7d", "exclude": "keep/**"},
             {"name": "tmp", "prefix": "backups/tmp/", "olderThan": "36h", "minSize": "1KB", "dryRun": false}]""";

    /** Each rule as the variables of a deployment of its own. */
    private static final Map<String, Map<String, String>> ONE_EACH = Map.of(
            "db", Map.of("PREFIX", "backups/db/", "KEEP_LATEST", "2", "INCLUDE", "*.gz"),
            "logs", Map.of("PREFIX", "backups/logs/", "OLDER_THAN", "7d", "EXCLUDE", "keep/**"),
            "tmp", Map.of("PREFIX", "backups/tmp/", "OLDER_THAN", "36h", "MIN_SIZE", "1KB"));

    private void populate(String target) {
        Map<String, Duration> ages = new LinkedHashMap<>();
        ages.put("backups/db/a.gz", Duration.ofDays(40));
        ages.put("backups/db/b.gz", Duration.ofDays(35));
        ages.put("backups/db/c.gz", Duration.ofDays(31));
        ages.put("backups/db/d.gz", Duration.ofDays(20));
        ages.put("backups/db/e.txt", Duration.ofDays(50));
        ages.put("backups/logs/x.log", Duration.ofDays(10));
        ages.put("backups/logs/y.log", Duration.ofDays(3));
        ages.put("backups/logs/keep/z.log", Duration.ofDays(20));
        ages.put("backups/logs/2026/w.log", Duration.ofDays(8));
        ages.put("backups/tmp/big", Duration.ofDays(2));
        ages.put("backups/tmp/new", Duration.ofHours(1));
        ages.put("backups/other/old", Duration.ofDays(100));
        ages.put("backups/dbx/old", Duration.ofDays(100));
        ages.forEach((key, age) -> server.putFile(target, key, "x".repeat(2000), NOW.minus(age)));
        server.putFile(target, "backups/tmp/small", "tiny", NOW.minus(Duration.ofDays(2)));
    }

    private static Map<String, String> env(String bucket, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("BUCKET_NAME", bucket, "PREFIX", "backups/",
                "RETENTION_DAYS", "30", "AWS_REGION", "us-east-1"));
        env.putAll(more);
        if (more.containsKey("OLDER_THAN")) {
            env.remove("RETENTION_DAYS");
        }
        return env;
    }

    private RuleSweeper rules(Settings settings, Budget budget, List<String> ended) {
        return new RuleSweeper(admin, CLOCK, settings.rules(), settings.sweep(), new RuleSweeper.Listener() {
            @Override
            public SweepListener starting(Rule rule, SweepSettings sweep) {
                return SweepListener.NONE;
            }

            @Override
            public void ended(Rule rule, SweepSummary summary, boolean failed) {
                ended.add(rule.name());
            }
        }, budget, pause -> { });
    }

    private Set<String> keysOf(String target) {
        return new TreeSet<>(S3TestClients.keys(admin, target));
    }

    /** A summary's fields that two runs of the same work share: all but the bucket, the name and the time taken. */
    private static Map<String, Object> work(SweepSummary summary) {
        Map<String, Object> map = new LinkedHashMap<>(summary.toMap());
        map.keySet().removeAll(List.of("rule", "bucket", "durationMs"));
        return map;
    }

    @Test
    void aRunOfThreeRulesDeletesAndCountsWhatThreeRunsOfOneRuleEachDo() {
        String single = bucket + "-single";
        admin.createBucket(b -> b.bucket(single));
        populate(bucket);
        populate(single);

        Settings settings = SettingsParser.parse(env(bucket, Map.of("RULES", RULES)));
        List<String> ended = new ArrayList<>();
        SweepSummary total = rules(settings, Budget.UNLIMITED, ended).run();

        Map<String, SweepSummary> alone = new LinkedHashMap<>();
        for (String name : List.of("db", "logs", "tmp")) {
            SweepSettings sweep = SettingsParser.parse(env(single, ONE_EACH.get(name))).sweep();
            alone.put(name, new Sweeper(admin, CLOCK, sweep, SweepListener.NONE).run());
        }

        assertThat(keysOf(bucket)).isEqualTo(keysOf(single)).containsExactly(
                "backups/db/c.gz", "backups/db/d.gz", "backups/db/e.txt", "backups/dbx/old",
                "backups/logs/keep/z.log", "backups/logs/y.log", "backups/other/old", "backups/tmp/new",
                "backups/tmp/small");
        assertThat(ended).containsExactly("db", "logs", "tmp");
        assertThat(total.rules()).extracting(SweepSummary::rule).containsExactly("db", "logs", "tmp");
        for (SweepSummary rule : total.rules()) {
            assertThat(work(rule)).as(rule.rule()).isEqualTo(work(alone.get(rule.rule())));
        }
        assertThat(total.rules()).extracting(SweepSummary::deleted).containsExactly(2L, 2L, 1L);
        // Of the two newest *.gz, c.gz is the expired one that KEEP_LATEST keeps (d.gz is not expired).
        assertThat(total.rules().get(0).keptLatest()).isEqualTo(1);
        assertThat(total.deleted()).isEqualTo(5);
        assertThat(total.scanned()).isEqualTo(alone.values().stream().mapToLong(SweepSummary::scanned).sum());
        assertThat(total.bytesDeleted()).isEqualTo(5 * 2000);
        assertThat(total.complete()).isTrue();
        assertThat(total.prefix()).isEqualTo("backups/");
        assertThat(total.rule()).isNull();
    }

    @Test
    void maxDeletesIsTheInvocationsWholeCapAndTheRulesAfterItDeleteNothing() {
        populate(bucket);
        Settings settings = SettingsParser.parse(env(bucket, Map.of("RULES", RULES, "MAX_DELETES", "3")));

        SweepSummary total = rules(settings, Budget.UNLIMITED, new ArrayList<>()).run();

        assertThat(total.rules()).extracting(SweepSummary::deleted).containsExactly(2L, 1L, 0L);
        assertThat(total.rules()).extracting(SweepSummary::leftByCap).containsExactly(0L, 1L, 1L);
        assertThat(total.deleted()).isEqualTo(3);
        assertThat(total.capped()).isTrue();
        assertThat(total.leftByCap()).isEqualTo(2);
        assertThat(keysOf(bucket)).contains("backups/tmp/big");
    }

    @Test
    void aRuleTheTimeBudgetStoppedStopsTheRunAndTheLaterRulesAreReportedNotRun() {
        populate(bucket);
        Settings settings = SettingsParser.parse(env(bucket, Map.of("RULES", RULES)));
        AtomicBoolean spent = new AtomicBoolean();
        List<String> ended = new ArrayList<>();
        // Spent once the first rule has ended: the second never starts.
        SweepSummary total = new RuleSweeper(admin, CLOCK, settings.rules(), settings.sweep(),
                new RuleSweeper.Listener() {
                    @Override
                    public SweepListener starting(Rule rule, SweepSettings sweep) {
                        return SweepListener.NONE;
                    }

                    @Override
                    public void ended(Rule rule, SweepSummary summary, boolean failed) {
                        ended.add(rule.name());
                        spent.set(true);
                    }
                }, spent::get, pause -> { }).run();

        assertThat(ended).containsExactly("db", "logs", "tmp");
        assertThat(total.rules().get(0).complete()).isTrue();
        assertThat(total.rules().subList(1, 3)).allSatisfy(rule -> {
            assertThat(rule.complete()).isFalse();
            assertThat(rule.stoppedBy()).isEqualTo(SweepSummary.TIME_BUDGET);
            assertThat(rule.scanned()).isZero();
            assertThat(rule.resumeAfter()).isNull();
        });
        assertThat(total.complete()).isFalse();
        assertThat(total.stoppedBy()).isEqualTo(SweepSummary.TIME_BUDGET);
        assertThat(keysOf(bucket)).contains("backups/logs/x.log", "backups/tmp/big");
    }

    @Test
    void aRunResumedAtARuleSweepsThatRuleAfterItsKeyAndTheRulesAfterItOnly() {
        populate(bucket);
        Settings settings = SettingsParser.parse(env(bucket, Map.of("RULES", RULES)));
        List<String> ended = new ArrayList<>();

        RuleSweeper sweeper = rules(settings, Budget.UNLIMITED, ended);
        SweepSummary total = sweeper.run("logs", "backups/logs/keep/z.log", List.of());

        assertThat(ended).containsExactly("logs", "tmp");
        assertThat(total.rules()).extracting(SweepSummary::rule).containsExactly("logs", "tmp");
        // After keep/z.log: only x.log and y.log are listed; x.log is older than 7 days.
        assertThat(total.rules().get(0).scanned()).isEqualTo(2);
        assertThat(keysOf(bucket)).contains("backups/db/a.gz", "backups/logs/2026/w.log")
                .doesNotContain("backups/logs/x.log", "backups/tmp/big");
        assertThat(sweeper.resumeRule()).isNull();
    }

    @Test
    void aFailingRuleDoesNotStopTheOthersAndTheRunFailsNamingIt() {
        populate(bucket);
        Settings settings = SettingsParser.parse(env(bucket, Map.of("RULES", RULES)));
        // A listing that fails for the logs rule's prefix only.
        software.amazon.awssdk.services.s3.S3Client failing = new software.amazon.awssdk.services.s3
                .DelegatingS3Client(admin) {
            @Override
            public software.amazon.awssdk.services.s3.model.ListObjectsV2Response listObjectsV2(
                    software.amazon.awssdk.services.s3.model.ListObjectsV2Request request) {
                if (request.prefix() != null && request.prefix().startsWith("backups/logs/")) {
                    throw software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(403)
                            .message("AccessDenied").build();
                }
                return super.listObjectsV2(request);
            }
        };
        List<String> ended = new ArrayList<>();
        RuleSweeper sweeper = new RuleSweeper(failing, CLOCK, settings.rules(), settings.sweep(),
                new RuleSweeper.Listener() {
                    @Override
                    public SweepListener starting(Rule rule, SweepSettings sweep) {
                        return SweepListener.NONE;
                    }

                    @Override
                    public void ended(Rule rule, SweepSummary summary, boolean failed) {
                        ended.add(rule.name() + (failed ? " failed" : ""));
                    }
                }, Budget.UNLIMITED, pause -> { });

        SweepFailedException failure = catchThrowableOfType(SweepFailedException.class, sweeper::run);

        assertThat(ended).containsExactly("db", "logs failed", "tmp");
        assertThat(failure.getMessage()).startsWith("rule logs: ");
        assertThat(failure.summary().rules()).extracting(SweepSummary::deleted).containsExactly(2L, 0L, 1L);
        assertThat(failure.summary().rules().get(1).stoppedBy()).isEqualTo(SweepSummary.LISTING_FAILED);
        assertThat(failure.summary().failure()).isEqualTo(failure.getMessage());
        assertThat(failure.summary().stoppedBy()).isEqualTo(SweepSummary.LISTING_FAILED);
        assertThat(keysOf(bucket).stream().filter(k -> k.startsWith("backups/tmp/")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("backups/tmp/new", "backups/tmp/small");
    }
}
