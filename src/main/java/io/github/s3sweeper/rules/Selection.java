package io.github.s3sweeper.rules;

import java.util.List;
import java.util.Objects;

/**
 * Which objects the rules look at: under the prefix, matching some pattern of every include list (a list that is
 * empty does not restrict) and no exclude pattern, and within the size bounds (inclusive). Patterns apply to the
 * key relative to {@code globRoot}: the configured PREFIX, also when one run narrows the prefix, so a configured
 * pattern keeps its meaning.
 */
public record Selection(String prefix, String globRoot, List<List<Glob>> includes, List<Glob> exclude, long minSize,
                        long maxSize) {

    public static final long NO_MAX_SIZE = Long.MAX_VALUE;

    public Selection {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(globRoot, "globRoot");
        if (!prefix.startsWith(globRoot)) {
            throw new IllegalArgumentException("the prefix " + prefix + " lies outside the glob root " + globRoot);
        }
        includes = includes.stream().filter(list -> !list.isEmpty()).map(List::copyOf).toList();
        exclude = List.copyOf(exclude);
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException("size bounds " + minSize + ".." + maxSize);
        }
    }

    /** One include list, patterns relative to the prefix itself. */
    public Selection(String prefix, List<Glob> include, List<Glob> exclude, long minSize, long maxSize) {
        this(prefix, prefix, List.of(include), exclude, minSize, maxSize);
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
        if (includes.isEmpty() && exclude.isEmpty()) {
            return true; // the usual case, asked for every listed object: no substring, no stream
        }
        String relative = key.substring(globRoot.length());
        for (List<Glob> include : includes) {
            if (!anyMatches(include, relative)) {
                return false;
            }
        }
        return !anyMatches(exclude, relative);
    }

    private static boolean anyMatches(List<Glob> globs, String relative) {
        for (Glob glob : globs) {
            if (glob.matches(relative)) {
                return true;
            }
        }
        return false;
    }
}
