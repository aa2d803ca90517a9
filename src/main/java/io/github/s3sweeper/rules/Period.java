package io.github.s3sweeper.rules;

import java.time.LocalDateTime;
import java.time.temporal.IsoFields;

/**
 * The calendar periods of the grandfather-father-son rules, numbered as restic numbers them: a period's id grows with
 * time on a local clock, so "the last N periods that have objects" are the N largest ids. Weeks are ISO weeks (Monday
 * first, week 1 holds the year's first Thursday), so 2020-12-31 and 2021-01-03 both lie in 2020's week 53.
 */
public enum Period {
    HOURLY("KEEP_HOURLY"),
    DAILY("KEEP_DAILY"),
    WEEKLY("KEEP_WEEKLY"),
    MONTHLY("KEEP_MONTHLY"),
    YEARLY("KEEP_YEARLY");

    private final String rule;

    Period(String rule) {
        this.rule = rule;
    }

    /** The setting that keeps one object per period, as reports name the reason an object stayed. */
    public String rule() {
        return rule;
    }

    /**
     * The period a local time lies in. Local time only moves back within one hour when clocks fall back (by 30 or 60
     * minutes), so the id never decreases as the instant grows, for any zone.
     */
    public long of(LocalDateTime t) {
        long ymd = t.getYear() * 10_000L + t.getMonthValue() * 100L + t.getDayOfMonth();
        return switch (this) {
            case HOURLY -> ymd * 100 + t.getHour();
            case DAILY -> ymd;
            case WEEKLY -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MONTHLY -> t.getYear() * 100L + t.getMonthValue();
            case YEARLY -> t.getYear();
        };
    }
}
