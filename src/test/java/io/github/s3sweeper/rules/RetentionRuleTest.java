package io.github.s3sweeper.rules;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionRuleTest {

    private static final Instant CUTOFF = Instant.parse("2026-06-01T00:00:00Z");

    private final List<String> deleted = new ArrayList<>();
    private final List<String> kept = new ArrayList<>();
    private final RetentionRule.Decisions decisions = new RetentionRule.Decisions() {
        @Override
        public void delete(StoredObject object) {
            deleted.add(object.key());
        }

        @Override
        public void keep(StoredObject object, RetentionRule.Keep reason) {
            kept.add(object.key() + ":" + reason);
        }
    };

    private static StoredObject at(String key, long secondsFromCutoff) {
        return new StoredObject(key, CUTOFF.plusSeconds(secondsFromCutoff), 1);
    }

    private void run(RetentionRule rule, StoredObject... objects) {
        for (StoredObject object : objects) {
            rule.offer(object, decisions);
        }
        rule.finish(decisions);
    }

    @Test
    void withoutKeepLatestDeletesEveryExpiredSelectedObject() {
        run(new RetentionRule(Selection.under("p/"), CUTOFF, 0), at("p/old", -1), at("p/at", 0), at("q/old", -9));

        assertThat(deleted).containsExactly("p/old");
        assertThat(kept).containsExactly("p/at:NEWER", "q/old:NOT_SELECTED");
    }

    @Test
    void keepLatestProtectsTheNewestEvenWhenAllAreExpired() {
        run(new RetentionRule(Selection.under("p/"), CUTOFF, 2), at("p/a", -30), at("p/b", -10), at("p/c", -20));

        assertThat(deleted).containsExactly("p/a");
        assertThat(kept).containsExactlyInAnyOrder("p/b:KEPT_LATEST", "p/c:KEPT_LATEST");
    }

    @Test
    void keepLatestCountsYoungObjectsToo() {
        run(new RetentionRule(Selection.under("p/"), CUTOFF, 1), at("p/old", -30), at("p/young", 10));

        assertThat(deleted).containsExactly("p/old");
        assertThat(kept).containsExactly("p/young:NEWER");
    }

    @Test
    void keepLatestLargerThanTheCandidatesKeepsThemAll() {
        run(new RetentionRule(Selection.under("p/"), CUTOFF, 5), at("p/a", -30), at("p/b", -20));

        assertThat(deleted).isEmpty();
    }

    @Test
    void unselectedObjectsDoNotTakeAPlaceAmongTheNewest() {
        run(new RetentionRule(Selection.under("p/"), CUTOFF, 1), at("p/old", -30), at("q/newest", 100));

        assertThat(deleted).isEmpty();
        assertThat(kept).contains("p/old:KEPT_LATEST");
    }

    @Test
    void tiesOnLastModifiedAreBrokenByKey() {
        run(new RetentionRule(Selection.under("p/"), CUTOFF, 1), at("p/b", -10), at("p/a", -10));

        assertThat(deleted).as("p/b counts as the newer of two equally old objects").containsExactly("p/a");
    }
}
