package io.github.s3sweeper.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The deletion decision. An object may be deleted only when its key lies under the prefix and it was last
 * modified strictly before the cutoff; an object exactly at the cutoff stays.
 *
 * <p>The prefix check repeats what ListObjectsV2 already guarantees, on purpose: a server that returned a
 * key outside the prefix must never turn into a deletion.
 */
public record ExpiryRule(String prefix, Instant cutoff) {

    public ExpiryRule {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(cutoff, "cutoff");
    }

    /** The rule for objects older than {@code retentionDays} whole days before {@code now}. */
    public static ExpiryRule olderThanDays(String prefix, Instant now, int retentionDays) {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("retentionDays must be at least 1, was " + retentionDays);
        }
        return olderThan(prefix, now, Duration.ofDays(retentionDays));
    }

    /** The rule for objects last modified more than {@code age} before {@code now}. */
    public static ExpiryRule olderThan(String prefix, Instant now, Duration age) {
        if (age.isNegative() || age.isZero()) {
            throw new IllegalArgumentException("age must be positive, was " + age);
        }
        return new ExpiryRule(prefix, now.minus(age));
    }

    public boolean isExpired(String key, Instant lastModified) {
        return key != null
                && lastModified != null
                && key.startsWith(prefix)
                && lastModified.isBefore(cutoff);
    }
}
