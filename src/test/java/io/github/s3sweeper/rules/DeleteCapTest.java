package io.github.s3sweeper.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeleteCapTest {

    private static List<DeleteCap.Verdict> verdicts(DeleteCap cap, int entries) {
        List<DeleteCap.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            verdicts.add(cap.next());
        }
        return verdicts;
    }

    @Test
    void withoutACapEveryChosenEntryIsDeleted() {
        assertThat(verdicts(new DeleteCap(OptionalLong.empty(), false), 5_000)).containsOnly(DeleteCap.Verdict.DELETE);
    }

    @ParameterizedTest(name = "MAX_DELETES={0}, {1} chosen: {2} deleted")
    @CsvSource({"1, 0, 0", "1, 1, 1", "1, 2, 1", "999, 1000, 999", "1000, 1000, 1000", "1000, 1001, 1000"})
    void theCapLetsExactlyTheFirstEntriesThrough(long max, int chosen, int deleted) {
        List<DeleteCap.Verdict> verdicts = verdicts(new DeleteCap(OptionalLong.of(max), false), chosen);

        assertThat(verdicts).hasSize(chosen);
        assertThat(verdicts.subList(0, deleted)).allMatch(v -> v == DeleteCap.Verdict.DELETE);
        assertThat(verdicts.subList(deleted, chosen)).allMatch(v -> v == DeleteCap.Verdict.LEFT_BY_CAP);
    }

    @Test
    void aDryRunSendsNothingAndCountsUnderTheSameCap() {
        List<DeleteCap.Verdict> verdicts = verdicts(new DeleteCap(OptionalLong.of(3), true), 5);

        assertThat(verdicts).containsExactly(DeleteCap.Verdict.WOULD_DELETE, DeleteCap.Verdict.WOULD_DELETE,
                DeleteCap.Verdict.WOULD_DELETE, DeleteCap.Verdict.LEFT_BY_CAP, DeleteCap.Verdict.LEFT_BY_CAP);
    }

    @Test
    void aNegativeCapIsRefused() {
        assertThatThrownBy(() -> new DeleteCap(OptionalLong.of(-1), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCapOfZeroLeavesEverything() {
        // What a rule of RULES gets once the rules before it used the invocation's whole MAX_DELETES.
        assertThat(verdicts(new DeleteCap(OptionalLong.of(0), false), 3)).containsOnly(DeleteCap.Verdict.LEFT_BY_CAP);
        assertThat(verdicts(new DeleteCap(OptionalLong.of(0), true), 3)).containsOnly(DeleteCap.Verdict.LEFT_BY_CAP);
    }

    /** Against the model "the first min(cap, n) are sent, the rest left", for 2,000 seeded random runs. */
    @Test
    void matchesTheFirstNModel() {
        Random random = new Random(20261201);
        for (int run = 0; run < 2_000; run++) {
            long max = 1 + random.nextInt(50);
            int chosen = random.nextInt(120);
            boolean dry = random.nextBoolean();
            List<DeleteCap.Verdict> verdicts = verdicts(new DeleteCap(OptionalLong.of(max), dry), chosen);
            for (int i = 0; i < chosen; i++) {
                DeleteCap.Verdict expected = i < max ? (dry ? DeleteCap.Verdict.WOULD_DELETE : DeleteCap.Verdict.DELETE)
                        : DeleteCap.Verdict.LEFT_BY_CAP;
                assertThat(verdicts.get(i)).as("seed 20261201, run %d, entry %d of %d, cap %d", run, i, chosen, max)
                        .isEqualTo(expected);
            }
        }
    }
}
