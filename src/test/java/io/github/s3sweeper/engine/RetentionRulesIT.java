package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.Age;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.rules.Glob;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule beyond "older than N days", against s3proxy's filesystem store with exact ages. */
class RetentionRulesIT extends FilesystemS3Test {

    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private void put(String key, Duration age, int bytes) {
        put(key, NOW, age, bytes);
    }

    private SweepSettings.Builder settings(String prefix, Age age) {
        return SweepSettings.builder(bucket, prefix, age);
    }

    private SweepSummary sweep(SweepSettings settings) {
        return new Sweeper(watched, CLOCK, settings, SweepListener.NONE).run();
    }

    @Test
    void olderThanInHoursDeletesExactlyWhatIsOlder() {
        put("logs/37h", Duration.ofHours(37), 1);
        put("logs/36h", Duration.ofHours(36), 1);
        put("logs/35h", Duration.ofHours(35), 1);

        SweepSummary summary = sweep(settings("logs/", Age.of(Duration.ofHours(36))).build());

        assertThat(keys()).containsExactly("logs/35h", "logs/36h");
        assertThat(summary.olderThan()).isEqualTo("PT36H");
        assertThat(summary.retentionDays()).isNull();
        assertThat(summary.cutoff()).isEqualTo("2026-11-24T15:00:00Z");
    }

    @Test
    void keepLatestProtectsTheNewestBackupsWhenNewOnesStopArriving() {
        for (int day = 40; day < 45; day++) {
            put(String.format("logs/db-%02d.gz", day), Duration.ofDays(day), 10);
        }

        SweepSummary summary = sweep(settings("logs/", Age.ofDays(30)).keepLatest(2).build());

        assertThat(keys()).containsExactly("logs/db-40.gz", "logs/db-41.gz");
        assertThat(summary.expired()).isEqualTo(3);
        assertThat(summary.keptLatest()).isEqualTo(2);
        assertThat(summary.deleted()).isEqualTo(3);
    }

    @Test
    void keepLatestAcrossPagesEqualsTheSortEverythingModel() {
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            // Ages interleave with key order, so the newest objects are spread over all three pages.
            int minutes = (i * 7919) % 2500;
            String key = String.format("logs/%05d", i);
            put(key, Duration.ofDays(31).plusMinutes(minutes), 1);
            newestFirst.add(String.format("%05d|%s", minutes, key));
        }
        newestFirst.sort(null);
        Set<String> expectedKept = new TreeSet<>();
        newestFirst.subList(0, 1200).forEach(entry -> expectedKept.add(entry.substring(6)));

        SweepSummary summary = sweep(settings("logs/", Age.ofDays(30)).keepLatest(1200).build());

        assertThat(keys()).isEqualTo(expectedKept);
        assertThat(summary.keptLatest()).isEqualTo(1200);
        assertThat(summary.deleted()).isEqualTo(1300);
        assertThat(summary.listRequests()).isEqualTo(3);
    }

    @Test
    void maxDeletesStopsDeletingAndCountsWhatItLeft() {
        for (int i = 0; i < 2500; i++) {
            put(String.format("logs/%05d", i), Duration.ofDays(40), 1);
        }

        SweepSummary summary = sweep(settings("logs/", Age.ofDays(30)).maxDeletes(OptionalLong.of(1200)).build());

        assertThat(summary.capped()).isTrue();
        assertThat(summary.expired()).isEqualTo(2500);
        assertThat(summary.deleted()).isEqualTo(1200);
        assertThat(summary.leftByCap()).isEqualTo(1300);
        assertThat(summary.scanned()).as("the listing goes on to count what is left").isEqualTo(2500);
        assertThat(recorder.deleteBatchSizes()).containsExactlyInAnyOrder(1000, 200);
        assertThat(keys()).hasSize(1300);
    }

    @Test
    void maxDeletesAboveWhatIsExpiredIsNotReportedAsCapped() {
        put("logs/old", Duration.ofDays(40), 1);

        SweepSummary summary = sweep(settings("logs/", Age.ofDays(30)).maxDeletes(OptionalLong.of(1)).build());

        assertThat(summary.capped()).isFalse();
        assertThat(summary.deleted()).isEqualTo(1);
    }

    @Test
    void includeAndExcludeSelectByKeyRelativeToThePrefix() {
        for (String key : List.of("logs/a.gz", "logs/2026/b.gz", "logs/c.txt", "logs/keep/d.gz", "logs-old/e.gz")) {
            put(key, Duration.ofDays(40), 1);
        }

        SweepSummary summary = sweep(settings("logs/", Age.ofDays(30))
                .include(Glob.compileList("**/*.gz")).exclude(Glob.compileList("keep/**")).build());

        assertThat(keys()).containsExactly("logs-old/e.gz", "logs/c.txt", "logs/keep/d.gz");
        assertThat(summary.scanned()).isEqualTo(4);
        assertThat(summary.matched()).isEqualTo(2);
    }

    @Test
    void sizeBoundsSelectInclusively() {
        put("logs/9", Duration.ofDays(40), 9);
        put("logs/10", Duration.ofDays(40), 10);
        put("logs/20", Duration.ofDays(40), 20);
        put("logs/21", Duration.ofDays(40), 21);

        SweepSummary summary = sweep(settings("logs/", Age.ofDays(30)).minSize(10).maxSize(20).build());

        assertThat(keys()).containsExactly("logs/21", "logs/9");
        assertThat(summary.bytesDeleted()).isEqualTo(30);
    }

    @Test
    void dryRunWithEveryRuleReportsWhatARealRunDeletes() {
        for (int i = 0; i < 30; i++) {
            put(String.format("logs/%02d.gz", i), Duration.ofDays(31 + i), i + 1);
        }
        put("logs/skip.txt", Duration.ofDays(90), 5);
        SweepSettings real = settings("logs/", Age.ofDays(30)).keepLatest(3).maxDeletes(OptionalLong.of(20))
                .include(Glob.compileList("*.gz")).minSize(2).build();
        Set<String> wouldDelete = new TreeSet<>();
        List<String> before = S3TestClients.keys(admin, bucket);

        SweepSummary dry = new Sweeper(watched, CLOCK, real.withDryRun(true), new SweepListener() {
            @Override
            public void onExpired(Target target) {
                wouldDelete.add(target.key());
            }
        }).run();
        SweepSummary done = sweep(real);

        Set<String> removed = new TreeSet<>(before);
        removed.removeAll(keys());
        assertThat(dry.expired() - dry.leftByCap()).isEqualTo(done.deleted()).isEqualTo(removed.size()).isEqualTo(20);
        assertThat(wouldDelete).as("a dry run names exactly what the cap lets through").isEqualTo(removed);
        assertThat(dry.keptLatest()).isEqualTo(done.keptLatest()).isEqualTo(3);
    }
}
