package io.github.s3sweeper.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetTest {

    private final AtomicLong nanos = new AtomicLong(1_000);

    private void advanceMillis(long millis) {
        nanos.addAndGet(millis * 1_000_000L);
    }

    @Test
    void endsThirtySecondsBeforeAFifteenMinuteTimeout() {
        Budget budget = Budget.ofRemaining(900_000, nanos::get);

        advanceMillis(869_999);
        assertThat(budget.exhausted()).isFalse();
        advanceMillis(1);
        assertThat(budget.exhausted()).isTrue();
    }

    @Test
    void keepsATenthOfAMidSizedBudget() {
        Budget budget = Budget.ofRemaining(100_000, nanos::get);

        advanceMillis(89_999);
        assertThat(budget.exhausted()).isFalse();
        advanceMillis(1);
        assertThat(budget.exhausted()).isTrue();
    }

    @Test
    void keepsAtLeastTenSecondsAndIsSpentAtOnceWhenLessRemains() {
        assertThat(Budget.ofRemaining(9_000, nanos::get).exhausted()).isTrue();
        Budget budget = Budget.ofRemaining(20_000, nanos::get);
        advanceMillis(9_999);
        assertThat(budget.exhausted()).isFalse();
        advanceMillis(1);
        assertThat(budget.exhausted()).isTrue();
    }

    @Test
    void aDeadlineBudgetSaysHowLongIsLeftBeforeTheTimeoutItself() {
        Budget budget = Budget.ofRemaining(60_000, nanos::get);

        advanceMillis(20_000);

        assertThat(budget.nanosToDeadline()).isEqualTo(40_000_000_000L);
    }

    @Test
    void isAlsoSpentWhenTheDrainWouldNotLeaveTheReserveBeforeTheDeadline() {
        AtomicLong drain = new AtomicLong();
        Budget budget = Budget.ofRemaining(60_000, nanos::get).orWhenDrainExceeds(drain::get, 5_000_000_000L);
        advanceMillis(30_000);
        assertThat(budget.exhausted()).as("30 s left, nothing queued").isFalse();

        drain.set(25_000_000_000L);
        assertThat(budget.exhausted()).as("30 s left, 25 s to drain, 5 s reserve").isFalse();
        drain.set(25_000_000_001L);
        assertThat(budget.exhausted()).isTrue();
    }

    @Test
    void unlimitedHasNoDeadlineSoNoDrainSpendsIt() {
        assertThat(Budget.UNLIMITED.orWhenDrainExceeds(() -> Long.MAX_VALUE / 2, 5_000_000_000L).exhausted())
                .isFalse();
    }

    @Test
    void unlimitedIsNeverSpent() {
        assertThat(Budget.UNLIMITED.exhausted()).isFalse();
    }
}
