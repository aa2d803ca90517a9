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
}
