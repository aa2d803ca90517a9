package io.github.s3sweeper.rules;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VersionRuleTest {

    private static final Instant CUTOFF = Instant.parse("2026-06-01T00:00:00Z");

    private final List<String> decided = new ArrayList<>();
    private final VersionRule.Decisions decisions = new VersionRule.Decisions() {
        @Override
        public void current(VersionEntry entry) {
            decided.add("current " + entry.versionId());
        }

        @Override
        public void deleteNoncurrent(VersionEntry entry) {
            decided.add("delete " + entry.versionId());
        }

        @Override
        public void deleteExpiredMarker(VersionEntry entry) {
            decided.add("marker " + entry.versionId());
        }

        @Override
        public void keep(VersionEntry entry) {
            decided.add("keep " + entry.versionId());
        }
    };

    private static VersionEntry version(String key, String id, long secondsFromCutoff, boolean latest) {
        return new VersionEntry(key, id, CUTOFF.plusSeconds(secondsFromCutoff), 5, latest, false);
    }

    private static VersionEntry marker(String key, String id, long secondsFromCutoff, boolean latest) {
        return new VersionEntry(key, id, CUTOFF.plusSeconds(secondsFromCutoff), 0, latest, true);
    }

    private void run(VersionRule rule, VersionEntry... entries) {
        for (VersionEntry entry : entries) {
            rule.offer(entry, decisions);
        }
        rule.finish(decisions);
    }

    @Test
    void noncurrentAgeCountsFromTheNextNewerVersion() {
        // v2 became noncurrent when v3 was written (1 s before the cutoff): expired. v3 became noncurrent at
        // v4 (exactly at the cutoff): not noncurrent for longer than the threshold.
        run(new VersionRule(Selection.under("p/"), CUTOFF, 0),
                version("p/a", "v4", 0, true),
                version("p/a", "v3", -1, false),
                version("p/a", "v2", -500, false));

        assertThat(decided).containsExactly("current v4", "keep v3", "delete v2");
    }

    @Test
    void keepNoncurrentProtectsTheNewestNoncurrentVersionsOfEachKey() {
        run(new VersionRule(Selection.under("p/"), CUTOFF, 1),
                version("p/a", "a3", -100, true),
                version("p/a", "a2", -200, false),
                version("p/a", "a1", -300, false),
                version("p/b", "b2", -100, true),
                version("p/b", "b1", -200, false));

        assertThat(decided).containsExactly("current a3", "keep a2", "delete a1", "current b2", "keep b1");
    }

    @Test
    void aDeleteMarkerThatIsTheOnlyEntryOfItsKeyIsExpired() {
        run(new VersionRule(Selection.under("p/"), CUTOFF, 0),
                marker("p/gone", "m1", -10, true),
                marker("p/hidden", "m2", -10, true),
                version("p/hidden", "h1", -500, false));

        assertThat(decided).containsExactly("marker m1", "keep m2", "delete h1");
    }

    @Test
    void aMarkerOnTheLastKeyOfTheListingIsDecidedAtTheEnd() {
        run(new VersionRule(Selection.under("p/"), CUTOFF, 0), marker("p/z", "m", 5, true));

        assertThat(decided).containsExactly("marker m");
    }

    @Test
    void noncurrentDeleteMarkersExpireLikeVersionsButDoNotCountTowardsKeep() {
        run(new VersionRule(Selection.under("p/"), CUTOFF, 1),
                version("p/a", "v3", -100, true),
                marker("p/a", "m2", -200, false),
                version("p/a", "v1", -300, false));

        assertThat(decided).containsExactly("current v3", "delete m2", "keep v1");
    }

    @Test
    void keysOutsideTheSelectionAreLeftAlone() {
        Selection onlyLogs = new Selection("p/", Glob.compileList("*.log"), List.of(), 0, Selection.NO_MAX_SIZE);
        run(new VersionRule(onlyLogs, CUTOFF, 0),
                version("p/a.txt", "t2", -100, true),
                version("p/a.txt", "t1", -300, false),
                marker("p/b.txt", "m", -10, true));

        assertThat(decided).containsExactly("current t2", "keep t1", "keep m");
    }

    @Test
    void aListingCutShortLeavesTheLastKeysMarkerAlone() {
        VersionRule rule = new VersionRule(Selection.under("p/"), CUTOFF, 0);
        rule.offer(marker("p/a", "m", -10, true), decisions);

        rule.abandon();

        assertThat(decided).as("p/a may have versions on the page never read").isEmpty();
    }
}
