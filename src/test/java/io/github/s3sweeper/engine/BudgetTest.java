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
    void unlimitedIsNeverSpent() {
        assertThat(Budget.UNLIMITED.exhausted()).isFalse();
    }
}
