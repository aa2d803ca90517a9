package io.github.s3sweeper.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The age threshold: objects last modified more than {@code duration} ago are expired. {@code days} is set when
 * it was given as a whole number of days (RETENTION_DAYS or the input's retentionDays), so the report can say so.
 */
public record Age(Duration duration, Integer days) {

    public Age {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("age must be positive: " + duration);
        }
    }

    public static Age ofDays(int days) {
        return new Age(Duration.ofDays(days), days);
    }

    public static Age of(Duration duration) {
        return new Age(duration, null);
    }

    /** ISO-8601, as {@link Duration#toString()} writes it (7 days: PT168H). */
    public String iso() {
        return duration.toString();
    }

    /** For people: "30 days" or "36h" style. */
    public String describe() {
        if (days != null) {
            return days + (days == 1 ? " day" : " days");
        }
        long minutes = duration.toMinutes();
        if (duration.equals(Duration.ofDays(duration.toDays()))) {
            return duration.toDays() + "d";
        }
        if (duration.equals(Duration.ofHours(duration.toHours()))) {
            return duration.toHours() + "h";
        }
        return duration.equals(Duration.ofMinutes(minutes)) ? minutes + "m" : duration.toString();
    }
}
