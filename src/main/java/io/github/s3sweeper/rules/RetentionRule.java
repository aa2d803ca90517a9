package io.github.s3sweeper.rules;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole decision for current objects, fed in listing order (or any order): an object is deleted when it is
 * selected, older than the cutoff, and kept by none of its group's keep rules ({@link KeepPolicy}: KEEP_LATEST, the
 * calendar rules, KEEP_WITHIN). Objects a rule holds are decided later, when no rule holds them any more or at
 * {@link #finish}; without keep rules every object is decided as it is offered.
 */
public final class RetentionRule {

    /** Why an object stays. */
    public enum Keep {
        /** Outside the prefix, or excluded by the include, exclude or size filters. */
        NOT_SELECTED,
        /** Not older than the cutoff. */
        NEWER,
        /** Older than the cutoff, but among its group's newest {@code KEEP_LATEST} (and perhaps kept by more rules). */
        KEPT_LATEST,
        /** Older than the cutoff, but kept by a calendar rule or KEEP_WITHIN (not by KEEP_LATEST). */
        KEPT_BY_RULE
    }

    /** Receives each decision. */
    public interface Decisions {
        void delete(StoredObject object);

        void keep(StoredObject object, Keep reason);

        /**
         * An expired object the keep rules keep, with its group (null: the keys GROUP_BY's pattern does not match)
         * and the rules that keep it, in the settings' words ({@code KEEP_DAILY}); heard before {@link #keep}.
         */
        default void keptBy(StoredObject object, String group, List<String> rules) {
        }
    }

    /** Thrown when the keep rules would hold more objects than allowed; what they hold stays. */
    public static final class TooManyHeld extends RuntimeException {
        public TooManyHeld(String message) {
            super(message);
        }
    }

    private final Selection selection;
    private final ExpiryRule expiry;
    private final KeepPolicy policy;
    private final GroupBy groupBy;
    private final long maxHeld;
    private final Map<String, GroupKeeper> groups = new HashMap<>();
    private long held;
    private long heldPeak;

    public RetentionRule(Selection selection, Instant cutoff, int keepLatest) {
        this(selection, cutoff, KeepPolicy.latest(keepLatest), GroupBy.ONE, Long.MAX_VALUE);
    }

    /** @param maxHeld the most objects the keep rules may hold at once, over all groups */
    public RetentionRule(Selection selection, Instant cutoff, KeepPolicy policy, GroupBy groupBy, long maxHeld) {
        this.selection = Objects.requireNonNull(selection, "selection");
        this.expiry = new ExpiryRule(selection.prefix(), cutoff);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.groupBy = Objects.requireNonNull(groupBy, "groupBy");
        this.maxHeld = maxHeld;
    }

    public Instant cutoff() {
        return expiry.cutoff();
    }

    /** @throws TooManyHeld when this object would make the keep rules hold more than allowed */
    public void offer(StoredObject object, Decisions decisions) {
        if (!selection.matches(object.key(), object.size())) {
            decisions.keep(object, Keep.NOT_SELECTED);
            return;
        }
        if (policy.isEmpty()) {
            decideByAge(object, decisions);
            return;
        }
        // Groups are read on the key relative to the configured PREFIX, as INCLUDE is, so a run narrowed to part of
        // the prefix forms the same groups.
        String group = groupBy.groupOf(object.key().substring(selection.globRoot().length()));
        GroupKeeper keeper = groups.get(group);
        if (keeper == null) {
            keeper = new GroupKeeper(policy, this::isExpired);
            groups.put(group, keeper);
        }
        int before = keeper.held();
        keeper.offer(object, free -> decideByAge(free, decisions));
        held += keeper.held() - before;
        heldPeak = Math.max(heldPeak, held);
        // A group costs memory of its own even when it holds nothing (a window of young objects): it counts as one.
        if (held + groups.size() > maxHeld) {
            throw new TooManyHeld("the keep rules hold " + held + " objects in " + groups.size() + " groups (each"
                    + " group counting as one more), more than MAX_HELD_OBJECTS=" + maxHeld + " allows; raise"
                    + " MAX_HELD_OBJECTS, or group more coarsely (GROUP_BY) or keep fewer (KEEP_*)");
        }
    }

    /**
     * After the whole listing: a KEEP_WITHIN window lets go what lies at or before its exact start (those may be
     * deleted now), and the objects the keep rules still hold stay.
     */
    public void finish(Decisions decisions) {
        groups.values().forEach(keeper -> keeper.settleWindow(free -> decideByAge(free, decisions)));
        keepHeld(decisions);
    }

    /**
     * After a listing that stopped early: only part of each group was seen, so everything the keep rules hold stays,
     * a KEEP_WITHIN window's margin included (see {@link GroupKeeper}), and nothing more is deleted.
     */
    public void finishPartial(Decisions decisions) {
        keepHeld(decisions);
    }

    private void keepHeld(Decisions decisions) {
        groups.forEach((group, keeper) -> keeper.kept().forEach((object, rules) -> {
            if (!isExpired(object)) {
                decisions.keep(object, Keep.NEWER);
                return;
            }
            decisions.keptBy(object, group, List.copyOf(rules));
            decisions.keep(object, rules.contains("KEEP_LATEST") ? Keep.KEPT_LATEST : Keep.KEPT_BY_RULE);
        }));
    }

    /** Groups seen so far (0 without keep rules: nothing is grouped). */
    public int groups() {
        return groups.size();
    }

    /** The most objects the keep rules held at once. */
    public long heldPeak() {
        return heldPeak;
    }

    private boolean isExpired(StoredObject object) {
        return expiry.isExpired(object.key(), object.lastModified());
    }

    private void decideByAge(StoredObject object, Decisions decisions) {
        if (isExpired(object)) {
            decisions.delete(object);
        } else {
            decisions.keep(object, Keep.NEWER);
        }
    }
}
