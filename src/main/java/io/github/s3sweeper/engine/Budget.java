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

    /**
     * A budget of {@code remainingMillis} less a margin: a tenth of it, at least 5 s and at most 30 s, time enough
     * for one DeleteObjects with the SDK's retries and the final log lines.
     */
    static Budget ofRemaining(long remainingMillis, LongSupplier nanoClock) {
        long margin = Math.min(30_000, Math.max(5_000, remainingMillis / 10));
        long deadline = nanoClock.getAsLong() + Math.max(0, remainingMillis - margin) * 1_000_000L;
        return () -> nanoClock.getAsLong() - deadline >= 0;
    }
}
