package io.github.s3sweeper.report;

import java.util.Objects;

/**
 * One entry of a stopped run's resume frontier: every key under {@code prefix} up to and including {@code after} was
 * decided, or every key under it when {@code after} is null. Part of the summary, and of the next run's input.
 *
 * @param prefix a sub-prefix, ending with the delimiter
 * @param after  the last key under it decided, or null when all of them were
 */
public record FrontierEntry(String prefix, String after) {

    public FrontierEntry {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("a frontier entry's prefix ends with /: " + prefix);
        }
        if (after != null && !after.startsWith(prefix)) {
            throw new IllegalArgumentException("a frontier entry's key " + after + " is not under " + prefix);
        }
    }

    /** Every key under the prefix was decided. */
    public static FrontierEntry done(String prefix) {
        return new FrontierEntry(prefix, null);
    }
}
