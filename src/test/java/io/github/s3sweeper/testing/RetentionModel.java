package io.github.s3sweeper.testing;

import io.github.s3sweeper.rules.StoredObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a sweep of current objects should delete, decided the simple way: select, sort every selected object newest
 * first, keep the first N, delete the expired rest. The filters are written out as plain string tests beside the
 * globs the engine is given, so a mistake in the engine's glob matching cannot hide here.
 */
public final class RetentionModel {

    /** One filter configuration: INCLUDE and EXCLUDE as the engine reads them, and what they mean. */
    public record Filter(String include, String exclude, Predicate<String> includes, Predicate<String> excludes) {
    }

    public static final List<Filter> FILTERS = List.of(
            new Filter("", "", relative -> true, relative -> false),
            new Filter("**/*.gz", "", relative -> relative.endsWith(".gz"), relative -> false),
            new Filter("*.log,a/**", "", relative -> !relative.contains("/") && relative.endsWith(".log")
                    || relative.startsWith("a/"), relative -> false),
            new Filter("", "b/**", relative -> true, relative -> relative.startsWith("b/")),
            new Filter("**/*.gz", "**/*-keep*", relative -> relative.endsWith(".gz"),
                    relative -> lastSegment(relative).contains("-keep")));

    private RetentionModel() {
    }

    private static String lastSegment(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    /** The keys to delete, in listing order. */
    public static List<String> chosen(List<StoredObject> listing, String prefix, Instant cutoff, Filter filter,
                                      long minSize, long maxSize, int keepLatest) {
        List<StoredObject> selected = new ArrayList<>();
        for (StoredObject object : listing) {
            if (!object.key().startsWith(prefix)) {
                continue;
            }
            String relative = object.key().substring(prefix.length());
            if (filter.includes().test(relative) && !filter.excludes().test(relative)
                    && object.size() >= minSize && object.size() <= maxSize) {
                selected.add(object);
            }
        }
        List<StoredObject> newestFirst = new ArrayList<>(selected);
        newestFirst.sort((a, b) -> a.lastModified().equals(b.lastModified())
                ? b.key().compareTo(a.key()) : b.lastModified().compareTo(a.lastModified()));
        Set<String> kept = new LinkedHashSet<>();
        for (int i = 0; i < Math.min(keepLatest, newestFirst.size()); i++) {
            kept.add(newestFirst.get(i).key());
        }
        return selected.stream().filter(o -> !kept.contains(o.key()) && o.lastModified().isBefore(cutoff))
                .map(StoredObject::key).toList();
    }
}
