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

    /** True when nothing is kept beyond the age threshold: every expired object may go as soon as it is listed. */
    public boolean isEmpty() {
        return last == 0 && counts.isEmpty() && within.isZero();
    }

    public int count(Period period) {
        return counts.getOrDefault(period, 0);
    }
}
