package io.github.s3sweeper.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * The decision for the versions of a versioned bucket, fed in S3's listing order (keys in order, each key's
 * entries newest first, across pages), remembering only the key at hand:
 * <ul>
 *   <li>the current version goes on to the rules for current objects ({@link Decisions#current});</li>
 *   <li>a noncurrent version (or noncurrent delete marker) is deleted for good when it has been noncurrent longer
 *       than the threshold, counted from the LastModified of the next newer entry, as Lifecycle counts, unless it is
 *       among the {@code keepNoncurrent} newest noncurrent versions of its key;</li>
 *   <li>a delete marker that is the only entry left of its key (an expired delete marker) is removed.</li>
 * </ul>
 * Keys outside the selection are left alone; the size bounds apply to versions, not to delete markers.
 */
public final class VersionRule {

    /** Receives each decision. */
    public interface Decisions {
        /** The key's current version: decided by the rules for current objects. */
        void current(VersionEntry entry);

        void deleteNoncurrent(VersionEntry entry);

        void deleteExpiredMarker(VersionEntry entry);

        void keep(VersionEntry entry);
    }

    private final Selection selection;
    private final Instant noncurrentCutoff;
    private final int keepNoncurrent;

    private String key;
    private Instant newerLastModified;
    private int noncurrentVersions;
    private int entries;
    private VersionEntry latestMarker;

    public VersionRule(Selection selection, Instant noncurrentCutoff, int keepNoncurrent) {
        this.selection = Objects.requireNonNull(selection, "selection");
        this.noncurrentCutoff = Objects.requireNonNull(noncurrentCutoff, "noncurrentCutoff");
        if (keepNoncurrent < 0) {
            throw new IllegalArgumentException("keepNoncurrent must not be negative: " + keepNoncurrent);
        }
        this.keepNoncurrent = keepNoncurrent;
    }

    public void offer(VersionEntry entry, Decisions decisions) {
        if (!entry.key().equals(key)) {
            finishKey(decisions);
            key = entry.key();
            newerLastModified = null;
            noncurrentVersions = 0;
            entries = 0;
        }
        entries++;
        if (entries == 1 && entry.latest()) {
            if (entry.deleteMarker()) {
                latestMarker = entry; // decided at the key's end: expired only if nothing else is left
            } else {
                decisions.current(entry);
            }
        } else {
            decideNoncurrent(entry, decisions);
        }
        newerLastModified = entry.lastModified();
    }

    /** Decides what the last key still holds. */
    public void finish(Decisions decisions) {
        finishKey(decisions);
        key = null;
    }

    /**
     * Ends a listing cut short: the last key may have more entries on a page never read, so what it still holds
     * (a delete marker that looked alone) is left undecided, which keeps it.
     */
    public void abandon() {
        latestMarker = null;
        key = null;
    }

    private void decideNoncurrent(VersionEntry entry, Decisions decisions) {
        if (latestMarker != null) {
            decisions.keep(latestMarker); // other versions remain: not an expired delete marker
            latestMarker = null;
        }
        if (!entry.deleteMarker()) {
            noncurrentVersions++;
        }
        // Without a newer entry (a listing that did not start with the latest) the age is unknown: keep.
        boolean old = newerLastModified != null && newerLastModified.isBefore(noncurrentCutoff);
        boolean selected = entry.deleteMarker()
                ? selection.matchesKey(entry.key())
                : selection.matches(entry.key(), entry.size());
        boolean protectedByCount = !entry.deleteMarker() && noncurrentVersions <= keepNoncurrent;
        if (old && selected && !protectedByCount) {
            decisions.deleteNoncurrent(entry);
        } else {
            decisions.keep(entry);
        }
    }

    private void finishKey(Decisions decisions) {
        if (latestMarker == null) {
            return;
        }
        if (entries == 1 && selection.matchesKey(latestMarker.key())) {
            decisions.deleteExpiredMarker(latestMarker);
        } else {
            decisions.keep(latestMarker);
        }
        latestMarker = null;
    }
}
