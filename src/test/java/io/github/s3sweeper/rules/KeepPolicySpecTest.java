package io.github.s3sweeper.rules;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The calendar rules as restic documents {@code forget --keep-*}: each test is one sentence of the specification,
 * at the edges where calendars differ (midnight, DST, ISO week 53, leap days). Every object here is expired (the
 * cutoff is far in the future), so what stays is exactly what the keep rules keep; the order objects are offered in
 * is shuffled, since a listing comes in key order, not time order.
 */
class KeepPolicySpecTest {

    private static final Instant FAR_CUTOFF = Instant.parse("2100-01-01T00:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static StoredObject at(String time) {
        return new StoredObject("p/" + time, Instant.parse(time), 1);
    }

    private static List<StoredObject> objects(String... times) {
        List<StoredObject> list = new ArrayList<>();
        for (String time : times) {
            list.add(at(time));
        }
        return list;
    }

    private static KeepPolicy keep(Period period, int n, ZoneId zone) {
        return new KeepPolicy(0, Map.of(period, n), Duration.ZERO, zone);
    }

    private static KeepRulesHarness run(KeepPolicy policy, List<StoredObject> objects) {
        return KeepRulesHarness.run(policy, GroupBy.ONE, FAR_CUTOFF, objects, new Random(7));
    }

    private static String key(String time) {
        return "p/" + time;
    }

    @Test
    void keepDailyKeepsTheNewestObjectOfEachOfTheLastNDaysThatHaveObjectsSkippingEmptyDays() {
        // Days 1, 2 (two objects), 5 and 9: the last three days with objects are 9, 5 and 2, whatever lies between.
        KeepRulesHarness r = run(keep(Period.DAILY, 3, UTC), objects("2026-03-01T10:00:00Z", "2026-03-02T08:00:00Z",
                "2026-03-02T20:00:00Z", "2026-03-05T12:00:00Z", "2026-03-09T01:00:00Z"));
        assertThat(r.keptBy.keySet()).containsExactly(key("2026-03-02T20:00:00Z"), key("2026-03-05T12:00:00Z"),
                key("2026-03-09T01:00:00Z"));
        assertThat(r.deleted).containsExactly(key("2026-03-01T10:00:00Z"), key("2026-03-02T08:00:00Z"));
    }

    @Test
    void anObjectKeptByAnyRuleStaysAndTheReportNamesEveryRuleThatKeepsIt() {
        KeepPolicy policy = new KeepPolicy(1, Map.of(Period.DAILY, 2, Period.MONTHLY, 2), Duration.ZERO, UTC);
        KeepRulesHarness r = run(policy, objects("2026-01-15T00:00:00Z", "2026-02-10T00:00:00Z",
                "2026-02-11T00:00:00Z", "2026-02-11T06:00:00Z"));
        assertThat(r.keptBy).containsEntry(key("2026-02-11T06:00:00Z"),
                        List.of("KEEP_DAILY", "KEEP_LATEST", "KEEP_MONTHLY"))
                .containsEntry(key("2026-02-10T00:00:00Z"), List.of("KEEP_DAILY"))
                .containsEntry(key("2026-01-15T00:00:00Z"), List.of("KEEP_MONTHLY"));
        assertThat(r.deleted).containsExactly(key("2026-02-11T00:00:00Z"));
    }

    @Test
    void oneSecondBeforeMidnightAndMidnightAreTwoDays() {
        KeepRulesHarness r = run(keep(Period.DAILY, 2, UTC), objects("2026-05-01T12:00:00Z", "2026-05-01T23:59:59Z",
                "2026-05-02T00:00:00Z"));
        assertThat(r.keptBy.keySet()).containsExactly(key("2026-05-01T23:59:59Z"), key("2026-05-02T00:00:00Z"));
    }

    @Test
    void daysAreReadOnTheClockOfTheTimezoneSoTokyoMidnightIsFifteenHundredUtc() {
        List<StoredObject> history = objects("2026-05-01T14:59:59Z", "2026-05-01T15:00:00Z", "2026-05-01T16:00:00Z");
        KeepRulesHarness utc = run(keep(Period.DAILY, 5, UTC), history);
        KeepRulesHarness tokyo = run(keep(Period.DAILY, 5, ZoneId.of("Asia/Tokyo")), history);
        // One UTC day (the oldest also stays: one day is fewer than the five asked for); two Tokyo days.
        assertThat(utc.keptByRule("KEEP_DAILY")).containsExactly(key("2026-05-01T14:59:59Z"),
                key("2026-05-01T16:00:00Z"));
        assertThat(utc.keptBy.get(key("2026-05-01T14:59:59Z")))
                .containsExactly("KEEP_DAILY (oldest: fewer periods than asked)");
        assertThat(tokyo.keptBy.keySet()).containsExactly(key("2026-05-01T14:59:59Z"), key("2026-05-01T16:00:00Z"));
        assertThat(tokyo.keptBy.get(key("2026-05-01T14:59:59Z"))).containsExactly("KEEP_DAILY");
        assertThat(tokyo.deleted).containsExactly(key("2026-05-01T15:00:00Z"));
    }

    @Test
    void whenClocksFallBackTheRepeatedLocalHourIsOneHourAndItsNewestObjectStays() {
        // Paris, 2026-10-25: 02:00-03:00 happens twice (00:00-01:00 UTC as CEST, 01:00-02:00 UTC as CET).
        ZoneId paris = ZoneId.of("Europe/Paris");
        KeepRulesHarness r = run(keep(Period.HOURLY, 2, paris), objects("2026-10-24T23:30:00Z",
                "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-25T02:30:00Z"));
        // Local 01:30, 02:30 (first), 02:30 (second), 03:30: the hours are 01, 02, 02, 03.
        assertThat(r.keptByRule("KEEP_HOURLY")).containsExactly(key("2026-10-25T01:30:00Z"),
                key("2026-10-25T02:30:00Z"));
        assertThat(r.deleted).containsExactly(key("2026-10-24T23:30:00Z"), key("2026-10-25T00:30:00Z"));
    }

    @Test
    void whenClocksSpringForwardTheDayHasTwentyThreeHoursAndStaysOneDay() {
        // Paris, 2026-03-29: 02:00 local becomes 03:00 (01:00 UTC).
        ZoneId paris = ZoneId.of("Europe/Paris");
        List<StoredObject> history = objects("2026-03-28T22:59:59Z", "2026-03-28T23:00:00Z", "2026-03-29T00:59:59Z",
                "2026-03-29T01:00:00Z", "2026-03-29T21:59:59Z", "2026-03-29T22:00:00Z");
        KeepRulesHarness daily = run(keep(Period.DAILY, 3, paris), history);
        assertThat(daily.keptByRule("KEEP_DAILY")).containsExactly(key("2026-03-28T22:59:59Z"),
                key("2026-03-29T21:59:59Z"), key("2026-03-29T22:00:00Z"));
        KeepRulesHarness hourly = run(keep(Period.HOURLY, 2, paris), history);
        // 01:59:59 CET and 03:00:00 CEST are one second apart and two hours (02 never happens).
        assertThat(hourly.keptByRule("KEEP_HOURLY")).containsExactly(key("2026-03-29T21:59:59Z"),
                key("2026-03-29T22:00:00Z"));
        KeepRulesHarness three = run(keep(Period.HOURLY, 4, paris), history);
        assertThat(three.keptByRule("KEEP_HOURLY")).containsExactly(key("2026-03-29T00:59:59Z"),
                key("2026-03-29T01:00:00Z"), key("2026-03-29T21:59:59Z"), key("2026-03-29T22:00:00Z"));
    }

    @Test
    void weeksAreIsoWeeksSoTheLastDaysOfDecemberAndTheFirstOfJanuaryCanShareWeekFiftyThree() {
        // 2020-12-28 (Monday) to 2021-01-03 (Sunday) is 2020-W53; 2021-01-04 starts 2021-W01.
        KeepRulesHarness r = run(keep(Period.WEEKLY, 2, UTC), objects("2020-12-27T12:00:00Z", "2020-12-28T00:00:00Z",
                "2020-12-31T12:00:00Z", "2021-01-03T23:59:59Z", "2021-01-04T00:00:00Z"));
        assertThat(r.keptByRule("KEEP_WEEKLY")).containsExactly(key("2021-01-03T23:59:59Z"),
                key("2021-01-04T00:00:00Z"));
        assertThat(Period.WEEKLY.of(LocalDateTime.parse("2021-01-03T23:59:59"))).isEqualTo(202053);
        assertThat(Period.WEEKLY.of(LocalDateTime.parse("2024-12-30T00:00:00"))).isEqualTo(202501);
    }

    @Test
    void aLeapDayIsItsOwnDayAndEndsFebruary() {
        KeepRulesHarness daily = run(keep(Period.DAILY, 2, UTC), objects("2024-02-28T23:00:00Z",
                "2024-02-29T01:00:00Z", "2024-02-29T23:00:00Z", "2024-03-01T00:00:00Z"));
        assertThat(daily.keptBy.keySet()).containsExactly(key("2024-02-29T23:00:00Z"), key("2024-03-01T00:00:00Z"));
        KeepRulesHarness monthly = run(keep(Period.MONTHLY, 2, UTC), objects("2024-02-01T00:00:00Z",
                "2024-02-29T23:59:59Z", "2024-03-01T00:00:00Z"));
        assertThat(monthly.keptBy.keySet()).containsExactly(key("2024-02-29T23:59:59Z"), key("2024-03-01T00:00:00Z"));
    }

    @Test
    void keepYearlyKeepsTheLastObjectOfEachYear() {
        KeepRulesHarness r = run(keep(Period.YEARLY, 3, UTC), objects("2023-06-01T00:00:00Z",
                "2023-12-31T23:59:59Z", "2024-12-31T00:00:00Z", "2025-01-01T00:00:00Z", "2025-07-01T00:00:00Z"));
        assertThat(r.keptBy.keySet()).containsExactly(key("2023-12-31T23:59:59Z"), key("2024-12-31T00:00:00Z"),
                key("2025-07-01T00:00:00Z"));
    }

    @Test
    void theOldestObjectAlsoStaysWhileARuleFindsFewerPeriodsThanItAsksFor() {
        // restic 0.17: with --keep-daily 7 and only two days of snapshots, the oldest snapshot is kept as well.
        KeepRulesHarness fewer = run(keep(Period.DAILY, 7, UTC), objects("2026-01-01T01:00:00Z",
                "2026-01-01T02:00:00Z", "2026-01-02T01:00:00Z"));
        assertThat(fewer.keptBy.keySet()).containsExactly(key("2026-01-01T01:00:00Z"), key("2026-01-01T02:00:00Z"),
                key("2026-01-02T01:00:00Z"));
        KeepRulesHarness enough = run(keep(Period.DAILY, 2, UTC), objects("2026-01-01T01:00:00Z",
                "2026-01-01T02:00:00Z", "2026-01-02T01:00:00Z"));
        assertThat(enough.deleted).containsExactly(key("2026-01-01T01:00:00Z"));
    }

    @Test
    void keepWithinCountsBackFromTheNewestObjectOfTheGroupNotFromNowAndStrictly() {
        KeepPolicy within = new KeepPolicy(0, Map.of(), Duration.ofDays(2), UTC);
        KeepRulesHarness r = run(within, objects("2020-01-01T00:00:00Z", "2020-01-08T00:00:00Z",
                "2020-01-08T00:00:01Z", "2020-01-09T12:00:00Z", "2020-01-10T00:00:00Z"));
        // The newest is 2020-01-10; the window starts at 2020-01-08T00:00:00Z and excludes that instant.
        assertThat(r.keptBy.keySet()).containsExactly(key("2020-01-08T00:00:01Z"), key("2020-01-09T12:00:00Z"),
                key("2020-01-10T00:00:00Z"));
        assertThat(r.keptBy.get(key("2020-01-09T12:00:00Z"))).containsExactly("KEEP_WITHIN");
    }

    @Test
    void keepWithinCountsItsDaysOnTheCalendarOfTheTimezoneAcrossADstChange() {
        // Paris: the week before 2026-10-25 08:00 local is 169 hours long (the clocks fell back in it).
        ZoneId paris = ZoneId.of("Europe/Paris");
        KeepPolicy within = new KeepPolicy(0, Map.of(), Duration.ofDays(7), paris);
        // 2026-10-25T08:00 CET = 07:00Z; seven calendar days before: 2026-10-18T08:00 CEST = 06:00Z.
        KeepRulesHarness r = run(within, objects("2026-10-18T06:00:00Z", "2026-10-18T06:30:00Z",
                "2026-10-25T07:00:00Z"));
        assertThat(r.deleted).containsExactly(key("2026-10-18T06:00:00Z"));
    }

    @Test
    void aWindowWhoseStartMovesBackAsTheNewestObjectGrowsStillKeepsWhatItsFinalStartKeeps() {
        // New York, 2024-03-10: 02:00-03:00 local does not exist. A day before 2024-03-11 02:30 EDT (06:30Z) falls in
        // the gap and resolves to 03:30 EDT (07:30Z); a day before 03:10 EDT (07:10Z) is 07:10Z: the start moved back.
        KeepPolicy within = new KeepPolicy(0, Map.of(), Duration.ofDays(1), ZoneId.of("America/New_York"));
        List<StoredObject> inListingOrder = objects("2024-03-10T07:20:00Z", "2024-03-11T06:30:00Z",
                "2024-03-11T07:10:00Z", "2024-03-10T07:05:00Z");

        KeepRulesHarness r = KeepRulesHarness.run(within, GroupBy.ONE, FAR_CUTOFF, inListingOrder, null);

        assertThat(r.keptBy.keySet()).containsExactly(key("2024-03-10T07:20:00Z"), key("2024-03-11T06:30:00Z"),
                key("2024-03-11T07:10:00Z"));
        assertThat(r.deleted).containsExactly(key("2024-03-10T07:05:00Z"));
    }

    @Test
    void aListingThatStoppedEarlyKeepsTheWindowsMarginAndOneSeenWholeLetsItGo() {
        // Within 1 day of the newest: an object 1 hour outside the window is in the margin a partial listing keeps,
        // since the part of the group it has not seen could move the window's start back.
        KeepPolicy within = new KeepPolicy(0, Map.of(), Duration.ofDays(1), UTC);
        List<StoredObject> history = objects("2026-05-01T00:00:00Z", "2026-05-01T23:00:00Z", "2026-05-02T00:00:00Z");

        Set<String> whole = new TreeSet<>();
        Set<String> partial = new TreeSet<>();
        RetentionRule wholeRule = new RetentionRule(Selection.under("p/"), FAR_CUTOFF, within, GroupBy.ONE, 100);
        RetentionRule partialRule = new RetentionRule(Selection.under("p/"), FAR_CUTOFF, within, GroupBy.ONE, 100);
        history.forEach(o -> wholeRule.offer(o, deletingInto(whole)));
        history.forEach(o -> partialRule.offer(o, deletingInto(partial)));
        wholeRule.finish(deletingInto(whole));
        partialRule.finishPartial(deletingInto(partial));

        assertThat(whole).containsExactly(key("2026-05-01T00:00:00Z"));
        assertThat(partial).isEmpty();
    }

    @Test
    void keysAPatternDoesNotMatchAreOneGroupTheKeepRulesStillProtect() {
        List<StoredObject> history = List.of(
                new StoredObject("p/orders-2026-01-01.sql.gz", Instant.parse("2026-01-01T00:00:00Z"), 1),
                new StoredObject("p/orders-2026-01-02.sql.gz", Instant.parse("2026-01-02T00:00:00Z"), 1),
                new StoredObject("p/notes-a.txt", Instant.parse("2026-01-01T00:00:00Z"), 1),
                new StoredObject("p/notes-b.txt", Instant.parse("2026-01-02T00:00:00Z"), 1));

        KeepRulesHarness r = KeepRulesHarness.run(KeepPolicy.latest(1), GroupBy.parse("pattern:(*)-????-??-??.sql.gz"),
                FAR_CUTOFF, history, new Random(5));

        assertThat(r.keptBy.keySet()).containsExactly("p/notes-b.txt", "p/orders-2026-01-02.sql.gz");
        assertThat(r.groupOf).containsEntry("p/notes-b.txt", null).containsEntry("p/orders-2026-01-02.sql.gz",
                "orders");
        assertThat(r.deleted).containsExactly("p/notes-a.txt", "p/orders-2026-01-01.sql.gz");
    }

    private static RetentionRule.Decisions deletingInto(Set<String> deleted) {
        return new RetentionRule.Decisions() {
            @Override
            public void delete(StoredObject object) {
                deleted.add(object.key());
            }

            @Override
            public void keep(StoredObject object, RetentionRule.Keep reason) {
            }
        };
    }

    @Test
    void onlyExpiredObjectsCanGoButYoungObjectsStillTakeTheirPeriod() {
        Instant cutoff = Instant.parse("2026-03-03T00:00:00Z");
        // The young 03-04 object is the newest of the last day; the expired ones compete for the other two days.
        KeepRulesHarness r = KeepRulesHarness.run(keep(Period.DAILY, 3, UTC), GroupBy.ONE, cutoff,
                objects("2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", "2026-03-02T05:00:00Z",
                        "2026-03-04T00:00:00Z"), new Random(3));
        assertThat(r.keptBy.keySet()).containsExactly(key("2026-03-01T00:00:00Z"), key("2026-03-02T05:00:00Z"));
        assertThat(r.deleted).containsExactly(key("2026-03-02T00:00:00Z"));
    }

    @Test
    void eachGroupHasItsOwnPeriods() {
        List<StoredObject> history = List.of(
                new StoredObject("p/db1/a", Instant.parse("2026-01-01T00:00:00Z"), 1),
                new StoredObject("p/db1/b", Instant.parse("2026-01-02T00:00:00Z"), 1),
                new StoredObject("p/db2/a", Instant.parse("2026-01-01T00:00:00Z"), 1),
                new StoredObject("p/db2/b", Instant.parse("2026-01-01T05:00:00Z"), 1));
        KeepRulesHarness r = KeepRulesHarness.run(keep(Period.DAILY, 1, UTC), GroupBy.parse("depth:1"),
                FAR_CUTOFF, history, new Random(1));
        assertThat(r.keptBy.keySet()).containsExactly("p/db1/b", "p/db2/b");
        assertThat(r.groupOf).containsEntry("p/db1/b", "db1/").containsEntry("p/db2/b", "db2/");
        assertThat(r.deleted).containsExactly("p/db1/a", "p/db2/a");
        assertThat(r.groups).isEqualTo(2);
    }
}
