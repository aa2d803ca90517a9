package io.github.s3sweeper.engine;

import io.github.s3sweeper.report.FrontierEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a walk cut short got beyond its resume point: sub-prefixes after {@code resumeAfter} whose keys are decided
 * whole, or up to a key. A run resumed after the same {@code resumeAfter} with it skips what it says is done instead of
 * listing it again, which is what keeps a chain of short runs at about one listing request per 1,000 keys.
 *
 * <p>An entry is a sub-prefix some run listed: as one chain, or with the delimiter, and then its own entry says how far
 * its finished part got and the entries inside it what got further (entries nest only so: the inner ones say more
 * than the outer one). It also says a little more than its keys, because of how the walk takes its work: every item
 * before it in its delimited listing (from that run's start) had been taken by then, and the direct keys among them
 * were decided as they were taken. So a key directly under a prefix that holds an entry after it is decided too
 * ({@link #covers}): the keys between the sub-prefixes of a delimited listing.
 *
 * <p>Any subset of a correct frontier is correct: an entry left out is merely listed again. So it is bounded to what
 * an asynchronous Lambda invocation can carry, {@value #MAX_ENTRIES} entries and {@value #MAX_TEXT_BYTES} bytes of key
 * text (UTF-8), keeping the earliest in key order: those are the next run's first work.
 */
public final class ResumeFrontier {

    public static final int MAX_ENTRIES = 1000;
    public static final int MAX_TEXT_BYTES = 64 * 1024;
    public static final ResumeFrontier NONE = new ResumeFrontier(List.of());

    /** In key order of their prefixes, one entry a prefix. */
    private final List<FrontierEntry> entries;
    private final Map<String, FrontierEntry> byPrefix = new HashMap<>();

    private ResumeFrontier(List<FrontierEntry> entries) {
        this.entries = List.copyOf(entries);
        for (FrontierEntry entry : this.entries) {
            byPrefix.put(entry.prefix(), entry);
        }
    }

    /**
     * The entries in key order, within the bounds, less those an entry around them already says all of (and of two
     * for one prefix, the one that says more).
     */
    public static ResumeFrontier of(Collection<FrontierEntry> entries) {
        if (entries.isEmpty()) {
            return NONE;
        }
        List<FrontierEntry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Keys.compare(a.prefix(), b.prefix()));
        List<FrontierEntry> kept = new ArrayList<>();
        // The kept entries around the one at hand, innermost on top: the prefixes under one sort right after it.
        Deque<FrontierEntry> around = new ArrayDeque<>();
        long bytes = 0;
        for (FrontierEntry entry : sorted) {
            if (!kept.isEmpty() && kept.get(kept.size() - 1).prefix().equals(entry.prefix())) {
                FrontierEntry last = kept.get(kept.size() - 1);
                if (last.after() != null && (entry.after() == null || Keys.compare(entry.after(), last.after()) > 0)) {
                    bytes -= textBytes(last);
                    kept.set(kept.size() - 1, entry);
                    around.pop();
                    around.push(entry);
                    bytes += textBytes(entry);
                }
                continue;
            }
            while (!around.isEmpty() && !entry.prefix().startsWith(around.peek().prefix())) {
                around.pop();
            }
            if (!around.isEmpty() && (around.peek().after() == null || !saysMoreThan(entry, around.peek().after()))) {
                continue; // inside a prefix decided whole, or up to a key past it
            }
            bytes += textBytes(entry);
            if (kept.size() == MAX_ENTRIES || bytes > MAX_TEXT_BYTES) {
                break;
            }
            kept.add(entry);
            around.push(entry);
        }
        return new ResumeFrontier(kept);
    }

    /** In key order. */
    public List<FrontierEntry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entries strictly under {@code prefix}: the only ones a walk of that prefix can use. */
    ResumeFrontier within(String prefix) {
        List<FrontierEntry> inside = new ArrayList<>();
        for (FrontierEntry entry : entries) {
            if (entry.prefix().startsWith(prefix) && !entry.prefix().equals(prefix)) {
                inside.add(entry);
            }
        }
        return inside.size() == entries.size() ? this : new ResumeFrontier(inside);
    }

    /** The entry for exactly this sub-prefix, or null. */
    FrontierEntry entryFor(String prefix) {
        return byPrefix.get(prefix);
    }

    /** Whether an entry lies strictly inside this prefix: then listing it with the delimiter lets the walk use it. */
    boolean hasEntriesInside(String prefix) {
        int i = ceiling(prefix);
        if (i < entries.size() && entries.get(i).prefix().equals(prefix)) {
            i++;
        }
        return i < entries.size() && entries.get(i).prefix().startsWith(prefix);
    }

    /** Whether the key was decided before: under an entry, up to its key; or directly under a prefix before an entry. */
    boolean covers(String key) {
        for (int slash = key.indexOf(SubPrefixWalk.DELIMITER); slash >= 0;
             slash = key.indexOf(SubPrefixWalk.DELIMITER, slash + 1)) {
            FrontierEntry around = byPrefix.get(key.substring(0, slash + 1));
            if (around != null && (around.after() == null || Keys.compare(key, around.after()) <= 0)) {
                return true;
            }
        }
        int i = floor(key);
        // A direct key of the delimited listing of its prefix, taken before the entry after it under that prefix (see
        // the class's comment). The prefixes under one sort together, so the first entry after the key is the one.
        String parent = key.substring(0, key.lastIndexOf(SubPrefixWalk.DELIMITER) + 1);
        int next = i + 1;
        return next < entries.size() && entries.get(next).prefix().startsWith(parent);
    }

    /**
     * What stays true of this frontier once everything up to {@code resumeAfter} is decided: the entries that still
     * say something beyond it.
     */
    ResumeFrontier beyond(String resumeAfter) {
        if (resumeAfter == null) {
            return this;
        }
        List<FrontierEntry> after = new ArrayList<>();
        for (FrontierEntry entry : entries) {
            if (saysMoreThan(entry, resumeAfter)) {
                after.add(entry);
            }
        }
        return after.size() == entries.size() ? this : new ResumeFrontier(after);
    }

    /** Whether an entry says something about keys after {@code resumeAfter}. */
    static boolean saysMoreThan(FrontierEntry entry, String resumeAfter) {
        if (resumeAfter == null || Keys.compare(resumeAfter, entry.prefix()) < 0) {
            return true; // the keys under a prefix sort from the prefix itself on
        }
        if (!resumeAfter.startsWith(entry.prefix())) {
            return false; // past the whole prefix
        }
        return entry.after() == null || Keys.compare(entry.after(), resumeAfter) > 0;
    }

    /** The index of the last entry whose prefix sorts at or before {@code key}, or -1. */
    private int floor(String key) {
        int low = 0;
        int high = entries.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Keys.compare(entries.get(mid).prefix(), key) <= 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high;
    }

    /** The index of the first entry whose prefix sorts at or after {@code key}, or the size. */
    private int ceiling(String key) {
        int i = floor(key);
        return i >= 0 && entries.get(i).prefix().equals(key) ? i : i + 1;
    }

    private static long textBytes(FrontierEntry entry) {
        return utf8Length(entry.prefix()) + (entry.after() == null ? 0 : utf8Length(entry.after()));
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                bytes += 2; // a pair: four bytes
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResumeFrontier that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "ResumeFrontier" + entries;
    }
}
