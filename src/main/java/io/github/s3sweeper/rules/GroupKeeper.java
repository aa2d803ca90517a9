package io.github.s3sweeper.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One group's {@link KeepPolicy} on a streamed listing, objects offered in any order. Each rule holds what it would
 * keep of the objects seen so far, and what it lets go it can never want back: a newer object took its period, its
 * period fell out of the last N, N newer objects arrived, or the window moved past it as the newest object grew. An
 * object leaves the keeper when no rule holds it any more; what is held at the end is what the policy keeps.
 *
 * <p>Memory per group: {@code last}, one object per counted period, the oldest object while a calendar rule has
 * fewer periods than asked, and the window's objects that {@code mayGo} (the others stay anyway).
 */
final class GroupKeeper {

    private final KeepPolicy policy;
    private final Predicate<StoredObject> mayGo;
    /** How many rules hold each object; an object is here exactly while some rule holds it. */
    private final Map<StoredObject, Integer> holds = new HashMap<>();
    private final PriorityQueue<StoredObject> latest;
    private final EnumMap<Period, TreeMap<Long, StoredObject>> periods = new EnumMap<>(Period.class);
    private final TreeSet<StoredObject> window = new TreeSet<>(StoredObject.OLDEST_FIRST);
    private StoredObject newest;
    /**
     * Objects at or before this have left the window for good. The window's start can move back a little as the newest
     * object grows (a day before 02:30 on the day after a spring-forward lies in the gap and resolves to 03:30), by
     * at most the zone's clock change; so while listing, the window lets go only {@link #WINDOW_MARGIN} before its
     * start, and the exact start is applied once the whole group is known ({@link #settleWindow}).
     */
    private Instant windowReleased;
    /** More than any zone's clock change (two hours at most, in the tz database). */
    static final Duration WINDOW_MARGIN = Duration.ofHours(3);
    /** The group's oldest object, tracked only while some calendar rule has fewer periods than it asks for. */
    private StoredObject oldest;
    private boolean allFilled;

    GroupKeeper(KeepPolicy policy, Predicate<StoredObject> mayGo) {
        this.policy = policy;
        this.mayGo = mayGo;
        this.latest = new PriorityQueue<>(policy.last() + 1, StoredObject.OLDEST_FIRST);
        for (Period period : Period.values()) {
            if (policy.count(period) > 0) {
                periods.put(period, new TreeMap<>());
            }
        }
        this.allFilled = periods.isEmpty();
    }

    /** Offers an object; {@code released} hears of each object (perhaps this one) that no rule holds any more. */
    void offer(StoredObject object, Consumer<StoredObject> released) {
        List<StoredObject> dropped = new ArrayList<>(2);
        hold(object); // held while the rules look at it, so it is released once at most
        if (policy.last() > 0) {
            latest.add(object);
            hold(object);
            if (latest.size() > policy.last()) {
                release(latest.poll(), dropped);
            }
        }
        LocalDateTime local = null;
        for (Map.Entry<Period, TreeMap<Long, StoredObject>> rule : periods.entrySet()) {
            if (local == null) {
                local = LocalDateTime.ofInstant(object.lastModified(), policy.zone());
            }
            offerToPeriod(rule.getValue(), rule.getKey().of(local), policy.count(rule.getKey()), object, dropped);
        }
        if (!policy.within().isZero()) {
            if (newest == null || StoredObject.OLDEST_FIRST.compare(object, newest) > 0) {
                newest = object;
                // Only a newer newest moves the window: the calendar arithmetic is done for those objects alone.
                Instant bound = windowStart(newest.lastModified()).minus(WINDOW_MARGIN);
                if (windowReleased == null || bound.isAfter(windowReleased)) {
                    windowReleased = bound;
                }
            }
            if (object.lastModified().isAfter(windowReleased) && mayGo.test(object)) {
                window.add(object);
                hold(object);
            }
            while (!window.isEmpty() && !window.first().lastModified().isAfter(windowReleased)) {
                release(window.pollFirst(), dropped);
            }
        }
        if (!allFilled) {
            allFilled = periods.entrySet().stream().allMatch(e -> e.getValue().size() >= policy.count(e.getKey()));
            if (allFilled) {
                if (oldest != null) {
                    release(oldest, dropped);
                    oldest = null;
                }
            } else if (oldest == null || StoredObject.OLDEST_FIRST.compare(object, oldest) < 0) {
                StoredObject previous = oldest;
                oldest = object;
                hold(object);
                if (previous != null) {
                    release(previous, dropped);
                }
            }
        }
        release(object, dropped);
        dropped.forEach(released);
    }

    /**
     * Once the whole group has been offered: the window keeps exactly what is strictly after its start, counted from
     * the group's newest object; {@code released} hears of each object no rule holds any more.
     */
    void settleWindow(Consumer<StoredObject> released) {
        if (newest == null || window.isEmpty()) {
            return;
        }
        Instant start = windowStart(newest.lastModified());
        List<StoredObject> dropped = new ArrayList<>();
        while (!window.isEmpty() && !window.first().lastModified().isAfter(start)) {
            release(window.pollFirst(), dropped);
        }
        dropped.forEach(released);
    }

    /** restic subtracts the window's days on the calendar and the rest as exact time. */
    private Instant windowStart(Instant newestModified) {
        long days = policy.within().toDays();
        ZonedDateTime local = ZonedDateTime.ofInstant(newestModified, policy.zone());
        return local.minusDays(days).toInstant().minus(policy.within().minusDays(days));
    }

    private void offerToPeriod(TreeMap<Long, StoredObject> kept, long period, int count, StoredObject object,
                               List<StoredObject> dropped) {
        StoredObject current = kept.get(period);
        if (current == null) {
            if (kept.size() < count || period > kept.firstKey()) {
                kept.put(period, object);
                hold(object);
                if (kept.size() > count) {
                    release(kept.pollFirstEntry().getValue(), dropped);
                }
            }
        } else if (StoredObject.OLDEST_FIRST.compare(object, current) > 0) {
            kept.put(period, object);
            hold(object);
            release(current, dropped);
        }
    }

    private void hold(StoredObject object) {
        holds.merge(object, 1, Integer::sum);
    }

    private void release(StoredObject object, List<StoredObject> dropped) {
        int left = holds.merge(object, -1, Integer::sum);
        if (left == 0) {
            holds.remove(object);
            dropped.add(object);
        }
    }

    /** Objects held now. */
    int held() {
        return holds.size();
    }

    /** What the policy keeps of everything offered, each with the rules that keep it, in the settings' words. */
    Map<StoredObject, List<String>> kept() {
        Map<StoredObject, List<String>> kept = new HashMap<>();
        for (StoredObject object : holds.keySet()) {
            kept.put(object, new ArrayList<>(2));
        }
        for (StoredObject object : latest) {
            kept.get(object).add("KEEP_LATEST");
        }
        periods.forEach((period, objects) -> {
            for (StoredObject object : objects.values()) {
                kept.get(object).add(period.rule());
            }
        });
        for (StoredObject object : window) {
            kept.get(object).add("KEEP_WITHIN");
        }
        if (oldest != null) {
            periods.forEach((period, objects) -> {
                if (objects.size() < policy.count(period) && !objects.containsValue(oldest)) {
                    kept.get(oldest).add(period.rule() + " (oldest: fewer periods than asked)");
                }
            });
        }
        return kept;
    }
}
