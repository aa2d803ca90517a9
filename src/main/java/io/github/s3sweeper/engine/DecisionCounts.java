package io.github.s3sweeper.engine;

import io.github.s3sweeper.report.SweepSummary;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the deciding side counted: the entries listed, and what the rules and the cap made of them. However many
 * threads list, they decide one at a time under one lock, the decision lock given here; so each count has one writer
 * at a time, and counting is a plain read and an ordered store instead of an atomic add on every entry. The ordered
 * store is what lets another thread read a whole, recent value while the run goes on.
 */
final class DecisionCounts {

    private final Object decisionLock;
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong keptLatest = new AtomicLong();
    private final AtomicLong versionsScanned = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong leftByCap = new AtomicLong();
    /** Read only when the run has ended, from the thread that ran it (the decision lock orders the writers). */
    private final Map<String, Long> keptByRule = new TreeMap<>();
    private long groups;
    private long heldPeak;

    /** @param decisionLock held by every thread that counts here (checked when assertions are on, as in tests) */
    DecisionCounts(Object decisionLock) {
        this.decisionLock = decisionLock;
    }

    /** Current objects listed (a versioned listing: the current version of each key). */
    void scanned(long n) {
        add(scanned, n);
    }

    void matched() {
        add(matched, 1);
    }

    void keptLatest() {
        add(keptLatest, 1);
    }

    /** An expired object the keep rules kept, with the rules that keep it. */
    void keptBy(List<String> rules) {
        assert Thread.holdsLock(decisionLock) : "counted outside the decision lock";
        for (String rule : rules) {
            int note = rule.indexOf(' ');
            keptByRule.merge(note < 0 ? rule : rule.substring(0, note), 1L, Long::sum);
        }
    }

    /** What the keep rules' memory came to, once the listing has ended. */
    void keepRules(long groupCount, long peak) {
        groups = groupCount;
        heldPeak = peak;
    }

    void versionsScanned(long n) {
        add(versionsScanned, n);
    }

    /** An entry the rules chose, counted once however often a server lists it. */
    void expired() {
        add(expired, 1);
    }

    void leftByCap() {
        add(leftByCap, 1);
    }

    private void add(AtomicLong count, long n) {
        assert Thread.holdsLock(decisionLock) : "counted outside the decision lock";
        // The lock orders the writers, so the plain read sees the last write; the release store publishes it.
        count.setRelease(count.getPlain() + n);
    }

    long scannedSoFar() {
        return scanned.getAcquire();
    }

    long expiredSoFar() {
        return expired.getAcquire();
    }

    void fill(SweepSummary.Builder summary) {
        summary.scanned(scanned.getAcquire())
                .matched(matched.getAcquire())
                .keptLatest(keptLatest.getAcquire())
                .keptByRule(keptByRule)
                .groups(groups)
                .heldPeak(heldPeak)
                .versionsScanned(versionsScanned.getAcquire())
                .expired(expired.getAcquire())
                .leftByCap(leftByCap.getAcquire());
    }
}
