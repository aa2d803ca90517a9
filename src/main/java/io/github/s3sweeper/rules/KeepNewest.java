package io.github.s3sweeper.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Keeps the N newest objects seen so far in a bounded heap, so keep-newest-N works on a streamed listing with
 * memory for N objects only. An object pushed out of the heap has N newer ones and is free to go; whatever is
 * left in the heap at the end is the N newest of all.
 */
public final class KeepNewest {

    private final int keep;
    private final PriorityQueue<StoredObject> newest;

    public KeepNewest(int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must not be negative: " + keep);
        }
        this.keep = keep;
        this.newest = new PriorityQueue<>(Math.max(1, keep + 1), StoredObject.OLDEST_FIRST);
    }

    /** Offers an object; returns the one (perhaps the same) that is now known to have N newer ones. */
    public Optional<StoredObject> offer(StoredObject object) {
        if (keep == 0) {
            return Optional.of(object);
        }
        newest.add(object);
        return newest.size() > keep ? Optional.of(newest.poll()) : Optional.empty();
    }

    /** The objects still protected: at most N, the newest of all offered. */
    public List<StoredObject> kept() {
        return new ArrayList<>(newest);
    }
}
