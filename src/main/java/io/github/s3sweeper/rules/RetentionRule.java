package io.github.s3sweeper.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * The whole decision for current objects, fed in listing order: an object is deleted when it is selected, older
 * than the cutoff, and not among the {@code keepLatest} newest selected objects. Decisions on objects that the
 * keep-newest heap holds come later (when pushed out) or at {@link #finish}.
 */
public final class RetentionRule {

    /** Why an object stays. */
    public enum Keep {
        /** Outside the prefix, or excluded by the include, exclude or size filters. */
        NOT_SELECTED,
        /** Not older than the cutoff. */
        NEWER,
        /** Older than the cutoff, but among the newest {@code keepLatest} selected objects. */
        KEPT_LATEST
    }

    /** Receives each decision. */
    public interface Decisions {
        void delete(StoredObject object);

        void keep(StoredObject object, Keep reason);
    }

    private final Selection selection;
    private final ExpiryRule expiry;
    private final KeepNewest newest;

    public RetentionRule(Selection selection, Instant cutoff, int keepLatest) {
        this.selection = Objects.requireNonNull(selection, "selection");
        this.expiry = new ExpiryRule(selection.prefix(), cutoff);
        this.newest = new KeepNewest(keepLatest);
    }

    public Instant cutoff() {
        return expiry.cutoff();
    }

    public void offer(StoredObject object, Decisions decisions) {
        if (!selection.matches(object.key(), object.size())) {
            decisions.keep(object, Keep.NOT_SELECTED);
            return;
        }
        newest.offer(object).ifPresent(free -> decideByAge(free, decisions));
    }

    /** Decides the objects the keep-newest heap still holds: they stay. */
    public void finish(Decisions decisions) {
        for (StoredObject kept : newest.kept()) {
            decisions.keep(kept, expiry.isExpired(kept.key(), kept.lastModified()) ? Keep.KEPT_LATEST : Keep.NEWER);
        }
    }

    private void decideByAge(StoredObject object, Decisions decisions) {
        if (expiry.isExpired(object.key(), object.lastModified())) {
            decisions.delete(object);
        } else {
            decisions.keep(object, Keep.NEWER);
        }
    }
}
