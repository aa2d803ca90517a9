package io.github.s3sweeper.engine;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends an idempotent request again when it failed on a transient cause after all of the SDK's own attempts, with
 * exponential backoff and full jitter (the SDK's), until it succeeds, the failure is permanent, {@value #ROUNDS}
 * rounds have failed, or the time budget is spent. Each round is one SDK call with its attempts; this layer exists
 * because only the run knows its budget.
 */
final class Retrying {

    /** Rounds of the SDK's attempts before a transient failure counts as the answer: about a minute of backoff. */
    static final int ROUNDS = 8;
    private static final BackoffStrategy BACKOFF =
            BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(10));

    /** The budget was spent while a transient failure was being retried: the failure is the cause. */
    static final class BudgetSpent extends RuntimeException {
        BudgetSpent(SdkException last) {
            super("the time budget was spent retrying: " + last.getMessage(), last, false, false);
        }

        SdkException last() {
            return (SdkException) getCause();
        }
    }

    private final Budget budget;
    private final Consumer<Duration> pause;

    Retrying(Budget budget, Consumer<Duration> pause) {
        this.budget = budget;
        this.pause = pause;
    }

    /**
     * @throws SdkException the permanent failure, or the transient one once the rounds are spent
     * @throws BudgetSpent  when the budget ran out before a transient failure could be retried
     */
    <T> T call(Supplier<T> request) {
        for (int round = 1; ; round++) {
            try {
                return asSdkFailure(request);
            } catch (SdkException e) {
                if (!Transient.isTransient(e) || round >= ROUNDS) {
                    throw e;
                }
                if (budget.exhausted()) {
                    throw new BudgetSpent(e);
                }
                pause.accept(delay(round));
            }
        }
    }

    /**
     * A read that times out while the SDK parses a body escapes it as a bare UncheckedIOException, past its retry
     * stage and past every caller that expects SDK failures: it is the same broken answer, so it is made one.
     */
    private static <T> T asSdkFailure(Supplier<T> request) {
        try {
            return request.get();
        } catch (UncheckedIOException e) {
            throw SdkClientException.builder().message("The answer broke off: " + e.getCause()).cause(e).build();
        }
    }

    /** Whether another round may start: for the per-key retries, which are rounds of their own. */
    boolean mayRetry(int round) {
        return round < ROUNDS && !budget.exhausted();
    }

    static Duration delay(int round) {
        return BACKOFF.computeDelay(round);
    }

    /** Sleeps for real: how the engine waits between rounds. */
    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
