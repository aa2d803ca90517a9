package io.github.s3sweeper.rules;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What stays in each group even when expired, with restic's {@code forget} semantics: the {@code last} newest objects;
 * for each calendar period with a count N, the newest object of each of the last N periods that have objects (and the
 * group's oldest object too while a rule finds fewer than N periods); and everything modified within {@code within} of
 * the group's newest object (strictly after it). Periods are read on the clock of {@code zone}.
 *
 * @param within zero for none; its whole days are calendar days in {@code zone}, the rest exact time, as restic
 *               subtracts {@code --keep-within 2d3h}
 */
public record KeepPolicy(int last, Map<Period, Integer> counts, Duration within, ZoneId zone) {

    public static final KeepPolicy NONE = new KeepPolicy(0, Map.of(), Duration.ZERO, ZoneOffset.UTC);

    public KeepPolicy {
        Objects.requireNonNull(within, "within");
        Objects.requireNonNull(zone, "zone");
        if (last < 0 || within.isNegative()) {
            throw new IllegalArgumentException("negative keep rule: last " + last + ", within " + within);
        }
        EnumMap<Period, Integer> positive = new EnumMap<>(Period.class);
        counts.forEach((period, n) -> {
            if (n < 0) {
                throw new IllegalArgumentException(period.rule() + " is negative: " + n);
            }
            if (n > 0) {
                positive.put(period, n);
            }
        });
        counts = Map.copyOf(positive);
    }

    public static KeepPolicy latest(int last) {
        return new KeepPolicy(last, Map.of(), Duration.ZERO, ZoneOffset.UTC);
    }

    public KeepPolicy withLast(int n) {
        return new KeepPolicy(n, counts, within, zone);
    }

    /** True when nothing is kept beyond the age threshold: every expired object may go as soon as it is listed. */
    public boolean isEmpty() {
        return last == 0 && counts.isEmpty() && within.isZero();
    }

    /** True when a rule needs more than the newest few of each group: calendar periods or a window. */
    public boolean calendar() {
        return !counts.isEmpty() || !within.isZero();
    }

    public int count(Period period) {
        return counts.getOrDefault(period, 0);
    }

    /** The most objects one group can hold at once, without the window: what the memory bound is computed from. */
    public long heldPerGroupWithoutWindow() {
        long held = last + 1L; // + the oldest, held while a calendar rule has fewer periods than asked
        for (int n : counts.values()) {
            held += n;
        }
        return held;
    }
}
