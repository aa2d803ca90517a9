package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.Age;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.rules.GroupBy;
import io.github.s3sweeper.rules.Period;
import io.github.s3sweeper.rules.RetentionRule;
import io.github.s3sweeper.rules.Selection;
import io.github.s3sweeper.rules.StoredObject;
import io.github.s3sweeper.testing.FilesystemS3Test;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The keep rules through a whole sweep, against s3proxy's filesystem store, whose LastModified is each file's mtime:
 * backups written with exactly the times a test wants, listed over HTTP, decided per group, deleted in batches.
 */
class KeepRulesFilesystemIT extends FilesystemS3Test {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private SweepSettings.Builder settings(String prefix) {
        return SweepSettings.builder(bucket, prefix, Age.ofDays(1));
    }

    private SweepSummary sweep(SweepSettings settings, SweepListener listener) {
        return new Sweeper(admin, CLOCK, settings, listener).run();
    }

    /** A nightly backup at 23:30 Paris time for {@code days} days before NOW, for each database. */
    private List<String> nightlyBackups(String prefix, List<String> databases, int days) {
        List<String> keys = new ArrayList<>();
        ZoneId paris = ZoneId.of("Europe/Paris");
        for (String db : databases) {
            for (int d = 0; d < days; d++) {
                Instant at = NOW.atZone(paris).toLocalDate().minusDays(d).atTime(23, 30).atZone(paris).toInstant();
                if (at.isAfter(NOW)) {
                    continue;
                }
                String key = prefix + db + "/" + at.atZone(paris).toLocalDate() + ".dump";
                put(key, "backup " + key, at);
                keys.add(key);
            }
        }
        return keys;
    }

    @Test
    void grandfatherFatherSonKeepsSevenDailiesFourWeekliesAndThreeMonthliesOfEachDatabase() {
        nightlyBackups("backups/", List.of("orders", "users"), 120);
        SweepSettings gfs = settings("backups/").groupBy(GroupBy.parse("depth:1")).keep(Period.DAILY, 7)
                .keep(Period.WEEKLY, 4).keep(Period.MONTHLY, 3).timezone(ZoneId.of("Europe/Paris")).build();

        SweepSummary summary = sweep(gfs, SweepListener.NONE);

        // The last backup is 2026-11-29 (23:30 on the 30th is after NOW). Dailies: 11-23..11-29; weeklies: the
        // Sundays 11-29, 11-22, 11-15, 11-08; monthlies: 11-29, 10-31, 09-30.
        Set<String> expected = new TreeSet<>();
        for (String db : List.of("orders", "users")) {
            for (String day : List.of("2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27",
                    "2026-11-28", "2026-11-29", "2026-11-22", "2026-11-15", "2026-11-08", "2026-10-31",
                    "2026-09-30")) {
                expected.add("backups/" + db + "/" + day + ".dump");
            }
        }
        assertThat(keys()).isEqualTo(expected);
        assertThat(summary.groups()).isEqualTo(2);
        assertThat(summary.deleted()).isEqualTo(2 * 119 - expected.size());
        // The 11-29 backups are younger than the day of AGE: kept anyway, so no rule is counted for them.
        assertThat(summary.keptByRule()).containsEntry("KEEP_DAILY", 12L).containsEntry("KEEP_WEEKLY", 6L)
                .containsEntry("KEEP_MONTHLY", 4L);
    }

    @Test
    void aDryRunNamesForEachKeptExpiredObjectTheRulesThatKeepItAndDeletesNothing() {
        List<String> all = nightlyBackups("backups/", List.of("orders"), 40);
        SweepSettings gfs = settings("backups/").dryRun(true).groupBy(GroupBy.parse("depth:1"))
                .keep(Period.DAILY, 2).keep(Period.MONTHLY, 2).timezone(ZoneId.of("Europe/Paris")).build();
        Map<String, List<String>> keptBy = new ConcurrentHashMap<>();
        Map<String, String> groups = new ConcurrentHashMap<>();

        SweepSummary summary = sweep(gfs, new SweepListener() {
            @Override
            public void onKept(String key, Instant lastModified, String group, List<String> rules) {
                keptBy.put(key, rules);
                groups.put(key, group);
            }
        });

        // 11-29 is kept too, by both rules, but it is not expired (13.5 hours old): only expired objects are named.
        assertThat(new TreeMap<>(keptBy)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "backups/orders/2026-11-28.dump", List.of("KEEP_DAILY"),
                "backups/orders/2026-10-31.dump", List.of("KEEP_MONTHLY"))));
        assertThat(groups.values()).containsOnly("orders/");
        assertThat(keys()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(summary.expired()).isEqualTo(all.size() - 3);
    }

    @Test
    void theCalendarIsReadInTheTimezoneSoA2330ParisBackupIsTheDayItWasTakenOn() {
        // 23:30 in Paris is 22:30 UTC in winter: the same day in both. 00:30 Paris is the previous day in UTC.
        put("db/a", "a", Instant.parse("2026-11-20T22:30:00Z")); // Paris 11-20 23:30
        put("db/b", "b", Instant.parse("2026-11-20T23:30:00Z")); // Paris 11-21 00:30, UTC 11-20
        SweepSettings paris = settings("db/").keep(Period.DAILY, 2).timezone(ZoneId.of("Europe/Paris")).build();
        SweepSettings utc = settings("db/").keep(Period.DAILY, 2).dryRun(true).build();

        assertThat(sweep(utc, SweepListener.NONE).expired()).as("UTC: one day, the oldest kept as well").isZero();
        assertThat(sweep(paris, SweepListener.NONE).deleted()).isZero();
        assertThat(keys()).containsExactly("db/a", "db/b");
    }

    @Test
    void keepWithinKeepsWhatIsWithinTheDurationOfTheGroupsNewestBackupEvenWhenBackupsStoppedLongAgo() {
        // Backups stopped 100 days ago: a window counted from now would keep nothing; restic counts from the newest.
        Instant last = NOW.minus(Duration.ofDays(100));
        for (int h = 0; h < 72; h += 12) {
            put("db/x-" + h, "x", last.minus(Duration.ofHours(h)));
        }
        SweepSummary summary = sweep(settings("db/").keepWithin(Duration.ofHours(36)).build(), SweepListener.NONE);

        assertThat(keys()).containsExactly("db/x-0", "db/x-12", "db/x-24");
        assertThat(summary.keptByRule()).containsExactly(Map.entry("KEEP_WITHIN", 3L));
    }

    @Test
    void aResumedRunSeesPartOfEachGroupSoItsWindowKeepsItsMarginWhereAWholeRunDeletes() {
        Instant last = NOW.minus(Duration.ofDays(10));
        put("db/x-0", "x", last);
        put("db/x-1", "x", last.minus(Duration.ofHours(37))); // an hour outside a 36-hour window
        SweepSettings.Builder within = settings("db/").keepWithin(Duration.ofHours(36));

        SweepSummary resumed = sweep(within.startAfter("db/").build(), SweepListener.NONE);

        assertThat(resumed.deleted()).isZero();
        assertThat(keys()).containsExactly("db/x-0", "db/x-1");

        SweepSummary whole = sweep(within.startAfter(null).build(), SweepListener.NONE);

        assertThat(whole.deleted()).isEqualTo(1);
        assertThat(keys()).containsExactly("db/x-0");
    }

    @Test
    void aHundredThousandObjectsInAThousandGroupsAreSweptWithTheKeepRulesHoldingABoundedNumber() {
        // 1,000 databases, 100 nightly backups each: the keep rules hold at most 7 + 3 + 1 per group at once.
        List<StoredObject> objects = new ArrayList<>(100_000);
        for (int g = 0; g < 1_000; g++) {
            for (int d = 0; d < 100; d++) {
                String key = String.format("big/db%04d/%03d.dump", g, d);
                Instant at = NOW.minus(Duration.ofDays(d)).minus(Duration.ofMinutes(g));
                put(key, "", at);
                objects.add(new StoredObject(key, at, 0));
            }
        }
        SweepSettings gfs = settings("big/").groupBy(GroupBy.parse("depth:1")).keep(Period.DAILY, 7)
                .keep(Period.MONTHLY, 3).maxHeldObjects(1_000 * 11).build();

        SweepSummary summary = sweep(gfs, SweepListener.NONE);

        Set<String> expected = expectedKept(objects, gfs);
        assertThat(summary.scanned()).isEqualTo(100_000);
        assertThat(summary.groups()).isEqualTo(1_000);
        assertThat(summary.heldPeak()).isBetween(1_000 * 7L, 1_000 * 11L);
        assertThat(summary.failed()).isZero();
        assertThat(keys()).isEqualTo(expected);
        assertThat(summary.deleted()).isEqualTo(100_000 - expected.size());
    }

    @Test
    void aRunWhoseKeepRulesWouldHoldMoreThanAllowedStopsDeletingNothingTheyHoldAndSaysWhy() {
        for (int g = 0; g < 30; g++) {
            for (int d = 0; d < 5; d++) {
                put(String.format("cap/db%02d/%d", g, d), "", NOW.minus(Duration.ofDays(10 + d)));
            }
        }
        SweepSettings tight = settings("cap/").groupBy(GroupBy.parse("depth:1")).keep(Period.DAILY, 2)
                .maxHeldObjects(20).listConcurrency(1).build();

        SweepFailedException failed = catchThrowableOfType(SweepFailedException.class,
                () -> sweep(tight, SweepListener.NONE));

        SweepSummary summary = failed.summary();
        assertThat(summary.stoppedBy()).isEqualTo(SweepSummary.KEEP_RULES_MEMORY);
        assertThat(summary.complete()).isFalse();
        assertThat(summary.failure()).contains("MAX_HELD_OBJECTS=20");
        // Whatever went had been let go by the rules: in each group, only the days after the two newest.
        Set<String> left = keys();
        for (int g = 0; g < 30; g++) {
            assertThat(left).contains(String.format("cap/db%02d/0", g), String.format("cap/db%02d/1", g));
        }
        assertThat(150 - left.size()).isEqualTo(summary.deleted());
    }

    /** The pure rule's answer for the same objects, offered in key order as S3 lists them. */
    private static Set<String> expectedKept(List<StoredObject> objects, SweepSettings settings) {
        Set<String> kept = new TreeSet<>();
        RetentionRule rule = new RetentionRule(Selection.under(settings.prefix()), NOW.minus(Duration.ofDays(1)),
                settings.keepPolicy(), settings.groupBy(), Long.MAX_VALUE);
        RetentionRule.Decisions decisions = new RetentionRule.Decisions() {
            @Override
            public void delete(StoredObject object) {
            }

            @Override
            public void keep(StoredObject object, RetentionRule.Keep reason) {
                kept.add(object.key());
            }
        };
        objects.forEach(o -> rule.offer(o, decisions));
        rule.finish(decisions);
        return kept;
    }
}
