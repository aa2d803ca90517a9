package io.github.s3sweeper.rules;

import io.github.s3sweeper.testing.RetentionModel;
import io.github.s3sweeper.testing.RetentionModel.Filter;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole deletion decision (prefix, include and exclude globs, size bounds, age, keep-newest-N, the cap, the dry
 * run, and for versioned buckets noncurrent age, keep-noncurrent and expired delete markers) against a model that
 * decides each case by sorting everything, with the globs written out as plain string tests. 10,000 seeded cases of
 * each kind; a failing case is shrunk to the fewest entries that still fail and reported with its seed.
 */
class WholeDecisionPropertyTest {

    private static final int CASES = 10_000;
    private static final Instant CUTOFF = Instant.parse("2026-06-01T00:00:00Z");
    private static final String PREFIX = "p/";

    /** The production globs of a comma-separated list; empty for none, as an unset INCLUDE or EXCLUDE. */
    private static List<Glob> globs(String patterns) {
        return patterns.isEmpty() ? List.of() : Glob.compileList(patterns);
    }

    /** A case of current objects: a listing in key order and the settings that decide it. */
    private record Case(long seed, List<StoredObject> listing, Filter filter, long minSize, long maxSize,
                        int keepLatest, OptionalLong maxDeletes, boolean dryRun) {

        Case with(List<StoredObject> fewer) {
            return new Case(seed, fewer, filter, minSize, maxSize, keepLatest, maxDeletes, dryRun);
        }

        Selection selection() {
            return new Selection(PREFIX, globs(filter.include()), globs(filter.exclude()), minSize, maxSize);
        }
    }

    private static String randomKey(Random random) {
        String[] roots = {"p/", "p/", "p/", "p/a/", "p/b/", "p/a/c/", "q/", "px/", "P/"};
        String[] names = {"x", "y", "db-keep", "z-keep", "w"};
        String[] suffixes = {".gz", ".log", "", ".gz"};
        return roots[random.nextInt(roots.length)] + names[random.nextInt(names.length)] + random.nextInt(4)
                + suffixes[random.nextInt(suffixes.length)];
    }

    private static Case randomCase(long seed) {
        Random random = new Random(seed);
        TreeMap<String, StoredObject> byKey = new TreeMap<>();
        int size = random.nextInt(40);
        for (int i = 0; i < size; i++) {
            String key = randomKey(random);
            Instant modified = CUTOFF.plusSeconds(random.nextInt(9) - 5);
            byKey.putIfAbsent(key, new StoredObject(key, modified, random.nextInt(21)));
        }
        long minSize = random.nextInt(3) == 0 ? random.nextInt(8) : 0;
        long maxSize = random.nextInt(3) == 0 ? minSize + random.nextInt(15) : Selection.NO_MAX_SIZE;
        OptionalLong cap = random.nextInt(3) == 0 ? OptionalLong.of(1 + random.nextInt(10)) : OptionalLong.empty();
        Filter filter = RetentionModel.FILTERS.get(random.nextInt(RetentionModel.FILTERS.size()));
        int keepLatest = random.nextInt(3) == 0 ? 0 : random.nextInt(9);
        return new Case(seed, new ArrayList<>(byKey.values()), filter, minSize, maxSize, keepLatest, cap,
                random.nextInt(4) == 0);
    }

    /** What the engine's rules decide, fed in listing order: key to verdict for each chosen entry. */
    private static Map<String, DeleteCap.Verdict> streamed(Case c) {
        Map<String, DeleteCap.Verdict> verdicts = new LinkedHashMap<>();
        DeleteCap cap = new DeleteCap(c.maxDeletes(), c.dryRun());
        RetentionRule rule = new RetentionRule(c.selection(), CUTOFF, c.keepLatest());
        RetentionRule.Decisions decisions = new RetentionRule.Decisions() {
            @Override
            public void delete(StoredObject object) {
                assertThat(verdicts.put(object.key(), cap.next())).as("decided once").isNull();
            }

            @Override
            public void keep(StoredObject object, RetentionRule.Keep reason) {
            }
        };
        c.listing().forEach(object -> rule.offer(object, decisions));
        rule.finish(decisions);
        return verdicts;
    }

    /** The expired objects the model would delete: selected, not among the newest N selected, older than the cutoff. */
    private static List<String> modelChosen(Case c) {
        return RetentionModel.chosen(c.listing(), PREFIX, CUTOFF, c.filter(), c.minSize(), c.maxSize(), c.keepLatest());
    }

    /** Null when the engine agrees with the model; else what differs. */
    private static String disagreement(Case c) {
        Map<String, DeleteCap.Verdict> verdicts = streamed(c);
        List<String> chosen = modelChosen(c);
        if (!verdicts.keySet().equals(new LinkedHashSet<>(chosen))) {
            return "chosen " + verdicts.keySet() + " but the model chooses " + chosen;
        }
        long limit = c.maxDeletes().orElse(Long.MAX_VALUE);
        List<String> going = verdicts.entrySet().stream().filter(e -> e.getValue() != DeleteCap.Verdict.LEFT_BY_CAP)
                .map(Map.Entry::getKey).toList();
        if (going.size() != Math.min(limit, chosen.size())) {
            return going.size() + " sent for deletion, the cap allows " + Math.min(limit, chosen.size());
        }
        DeleteCap.Verdict sending = c.dryRun() ? DeleteCap.Verdict.WOULD_DELETE : DeleteCap.Verdict.DELETE;
        if (verdicts.values().stream().anyMatch(v -> v != sending && v != DeleteCap.Verdict.LEFT_BY_CAP)) {
            return "a dry run sent something, or a real run only counted: " + verdicts;
        }
        // Without keep-newest every decision is made as its object is listed: the cap takes the first ones.
        if (c.keepLatest() == 0 && !going.equals(chosen.subList(0, going.size()))) {
            return "the cap let " + going + " through, not the first of " + chosen;
        }
        return null;
    }

    @Test
    void currentObjectsAreDecidedAsTheSortEverythingModelDecides() {
        for (long seed = 1; seed <= CASES; seed++) {
            Case c = randomCase(seed);
            if (disagreement(c) != null) {
                Case minimal = c.with(shrink(c.listing(), fewer -> disagreement(c.with(fewer)) != null));
                throw new AssertionError("seed " + seed + " (keepLatest " + c.keepLatest() + ", cap " + c.maxDeletes()
                        + ", dryRun " + c.dryRun() + ", include \"" + c.filter().include() + "\", exclude \""
                        + c.filter().exclude() + "\", size " + c.minSize() + ".." + c.maxSize() + "), shrunk to "
                        + minimal.listing() + ": " + disagreement(minimal));
            }
        }
    }

    /** A versioned listing: keys in order, each key's entries newest first, the first of each latest. */
    private record History(long seed, List<VersionEntry> listing, Filter filter, long minSize, long maxSize,
                           int keepNoncurrent) {

        History with(List<VersionEntry> fewer) {
            return new History(seed, relabel(fewer), filter, minSize, maxSize, keepNoncurrent);
        }

        /** After shrinking, the first entry left of each key is its latest, as S3 would list it. */
        private static List<VersionEntry> relabel(List<VersionEntry> entries) {
            List<VersionEntry> listing = new ArrayList<>();
            String key = null;
            for (VersionEntry e : entries) {
                boolean first = !e.key().equals(key);
                key = e.key();
                listing.add(new VersionEntry(e.key(), e.versionId(), e.lastModified(), e.size(), first,
                        e.deleteMarker()));
            }
            return listing;
        }
    }

    private static History randomHistory(long seed) {
        Random random = new Random(seed);
        TreeMap<String, List<VersionEntry>> byKey = new TreeMap<>();
        int keys = random.nextInt(12);
        for (int k = 0; k < keys; k++) {
            String key = randomKey(random);
            if (byKey.containsKey(key)) {
                continue;
            }
            List<VersionEntry> entries = new ArrayList<>();
            Instant modified = CUTOFF.plusSeconds(random.nextInt(20) - 6);
            int versions = 1 + random.nextInt(5);
            for (int v = 0; v < versions; v++) {
                boolean marker = random.nextInt(4) == 0;
                entries.add(new VersionEntry(key, key + "#" + v, modified, marker ? 0 : random.nextInt(21), v == 0,
                        marker));
                modified = modified.minusSeconds(1 + random.nextInt(4)); // older entries come later
            }
            byKey.put(key, entries);
        }
        List<VersionEntry> listing = new ArrayList<>();
        byKey.values().forEach(listing::addAll);
        long minSize = random.nextInt(3) == 0 ? random.nextInt(8) : 0;
        long maxSize = random.nextInt(3) == 0 ? minSize + random.nextInt(15) : Selection.NO_MAX_SIZE;
        Filter filter = RetentionModel.FILTERS.get(random.nextInt(RetentionModel.FILTERS.size()));
        return new History(seed, listing, filter, minSize, maxSize,
                random.nextInt(3));
    }

    /** Version ids the engine's rule deletes for good, marked "noncurrent" or "marker". */
    private static Map<String, String> streamed(History h) {
        Map<String, String> deleted = new LinkedHashMap<>();
        Selection selection = new Selection(PREFIX, globs(h.filter().include()), globs(h.filter().exclude()),
                h.minSize(), h.maxSize());
        VersionRule rule = new VersionRule(selection, CUTOFF, h.keepNoncurrent());
        VersionRule.Decisions decisions = new VersionRule.Decisions() {
            @Override
            public void current(VersionEntry entry) {
            }

            @Override
            public void deleteNoncurrent(VersionEntry entry) {
                assertThat(deleted.put(entry.versionId(), "noncurrent")).as("decided once").isNull();
            }

            @Override
            public void deleteExpiredMarker(VersionEntry entry) {
                assertThat(deleted.put(entry.versionId(), "marker")).as("decided once").isNull();
            }

            @Override
            public void keep(VersionEntry entry) {
            }
        };
        h.listing().forEach(entry -> rule.offer(entry, decisions));
        rule.finish(decisions);
        return deleted;
    }

    /**
     * The model, key by key: a noncurrent entry goes when the entry just newer than it is older than the cutoff, it
     * is selected (markers by key alone) and it is not among the newest keepNoncurrent noncurrent versions; a latest
     * delete marker goes when it is its key's only entry and its key is selected.
     */
    private static Map<String, String> model(History h) {
        Map<String, List<VersionEntry>> byKey = new LinkedHashMap<>();
        h.listing().forEach(e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
        Map<String, String> deleted = new LinkedHashMap<>();
        byKey.forEach((key, entries) -> {
            boolean inPrefix = key.startsWith(PREFIX);
            String relative = inPrefix ? key.substring(PREFIX.length()) : "";
            boolean keySelected = inPrefix && h.filter().includes().test(relative)
                    && !h.filter().excludes().test(relative);
            VersionEntry latest = entries.get(0);
            if (latest.deleteMarker() && entries.size() == 1 && keySelected) {
                deleted.put(latest.versionId(), "marker");
            }
            int noncurrentVersions = 0;
            for (int i = 1; i < entries.size(); i++) {
                VersionEntry entry = entries.get(i);
                if (!entry.deleteMarker()) {
                    noncurrentVersions++;
                }
                boolean old = entries.get(i - 1).lastModified().isBefore(CUTOFF);
                boolean selected = keySelected && (entry.deleteMarker()
                        || entry.size() >= h.minSize() && entry.size() <= h.maxSize());
                boolean kept = !entry.deleteMarker() && noncurrentVersions <= h.keepNoncurrent();
                if (old && selected && !kept) {
                    deleted.put(entry.versionId(), "noncurrent");
                }
            }
        });
        return deleted;
    }

    @Test
    void versionsAreDecidedAsTheKeyByKeyModelDecides() {
        for (long seed = 1; seed <= CASES; seed++) {
            History h = randomHistory(seed);
            if (!streamed(h).equals(model(h))) {
                History minimal = h.with(shrink(h.listing(), fewer -> {
                    History smaller = h.with(fewer);
                    return !streamed(smaller).equals(model(smaller));
                }));
                throw new AssertionError("seed " + seed + " (keepNoncurrent " + h.keepNoncurrent() + ", include \""
                        + h.filter().include() + "\", exclude \"" + h.filter().exclude() + "\", size " + h.minSize()
                        + ".." + h.maxSize() + "), shrunk to " + minimal.listing() + ": the rule deletes "
                        + streamed(minimal) + ", the model " + model(minimal));
            }
        }
    }

    /** The shrinking that a property library would do: drop entries one at a time while the case still fails. */
    private static <T> List<T> shrink(List<T> failing, Predicate<List<T>> fails) {
        List<T> current = new ArrayList<>(failing);
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            for (int i = 0; i < current.size(); i++) {
                List<T> fewer = new ArrayList<>(current);
                fewer.remove(i);
                if (fails.test(fewer)) {
                    current = fewer;
                    smaller = true;
                    break;
                }
            }
        }
        return current;
    }

    @Test
    void theShrinkerFindsTheSmallestFailingList() {
        List<Integer> minimal = shrink(List.of(5, 1, 9, 3, 7, 2), list -> list.contains(9) && list.contains(2));

        assertThat(minimal).containsExactly(9, 2);
    }
}
