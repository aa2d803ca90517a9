package io.github.s3sweeper.rules;

import java.util.List;
import java.util.Objects;

/**
 * Which objects the rules look at: under the prefix, matching some include pattern (or there are none) and no
 * exclude pattern, the patterns applied to the key relative to the prefix, and within the size bounds (inclusive).
 */
public record Selection(String prefix, List<Glob> include, List<Glob> exclude, long minSize, long maxSize) {

    public static final long NO_MAX_SIZE = Long.MAX_VALUE;

    public Selection {
        Objects.requireNonNull(prefix, "prefix");
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException("size bounds " + minSize + ".." + maxSize);
        }
    }

    /** Everything under the prefix. */
    public static Selection under(String prefix) {
        return new Selection(prefix, List.of(), List.of(), 0, NO_MAX_SIZE);
    }

    public boolean matches(String key, long size) {
        return size >= minSize && size <= maxSize && matchesKey(key);
    }

    /** The key part of the selection alone, for delete markers, which have no size. */
    public boolean matchesKey(String key) {
        if (key == null || !key.startsWith(prefix)) {
            return false;
        }
        String relative = key.substring(prefix.length());
        if (!include.isEmpty() && include.stream().noneMatch(glob -> glob.matches(relative))) {
            return false;
        }
        return exclude.stream().noneMatch(glob -> glob.matches(relative));
    }
}
