package io.github.s3sweeper.engine;

import java.util.function.LongSupplier;

/**
 * How long a run may keep listing. In Lambda it ends a margin before the function's timeout, so the run can
 * send its last batch and return its summary instead of being killed mid-way.
 */
@FunctionalInterface
public interface Budget {

    Budget UNLIMITED = () -> false;

    /** True once no new page should be listed. */
    boolean exhausted();

    /** Time left before the run must have returned (the function's timeout); unlimited when nothing bounds it. */
    default long nanosToDeadline() {
        return Long.MAX_VALUE;
    }

    /**
     * This budget, also spent once {@code drainNanos} (how long what is queued to delete should take to be answered)
     * would not leave {@code reserveNanos} before the deadline: at a slow partition the deletes already decided can
     * take longer than the fixed margin.
     */
    default Budget orWhenDrainExceeds(LongSupplier drainNanos, long reserveNanos) {
        Budget base = this;
        return new Budget() {
            @Override
            public boolean exhausted() {
                return base.exhausted() || drainNanos.getAsLong() > base.nanosToDeadline() - reserveNanos;
            }

            @Override
            public long nanosToDeadline() {
                return base.nanosToDeadline();
            }
        };
    }

    /**
     * A budget of {@code remainingMillis} less a margin: a tenth of it, at least 10 s and at most 30 s, time enough
     * for the DeleteObjects already queued to be answered (16 batches of 1,000 keys at one partition's 3,500 keys/s
     * take 4.6 s: measured on the model server, a 5 s margin left 0.08 s), the SDK's retries and the final lines.
     */
    static Budget ofRemaining(long remainingMillis, LongSupplier nanoClock) {
        long margin = Math.min(30_000, Math.max(10_000, remainingMillis / 10));
        long start = nanoClock.getAsLong();
        long listUntil = start + Math.max(0, remainingMillis - margin) * 1_000_000L;
        long end = start + remainingMillis * 1_000_000L;
        return new Budget() {
            @Override
            public boolean exhausted() {
                return nanoClock.getAsLong() - listUntil >= 0;
            }

            @Override
            public long nanosToDeadline() {
                return end - nanoClock.getAsLong();
            }
        };
    }
}
