package io.github.s3sweeper.bench;

import io.github.s3sweeper.rules.GroupBy;
import io.github.s3sweeper.rules.KeepPolicy;
import io.github.s3sweeper.rules.Period;
import io.github.s3sweeper.rules.RetentionRule;
import io.github.s3sweeper.rules.Selection;
import io.github.s3sweeper.rules.StoredObject;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * What the keep rules hold while a listing streams through them: GROUPS databases of PER nightly backups each,
 * KEEP_DAILY=7 and KEEP_MONTHLY=3 per group, offered in key order as S3 lists them. Prints the most objects held at
 * once and the heap they take, so the memory per group can be read off without a server's cost in the figure.
 *
 * <pre>java -cp target/classes:target/test-classes io.github.s3sweeper.bench.KeepRulesMemory GROUPS PER</pre>
 */
public final class KeepRulesMemory {

    private KeepRulesMemory() {
    }

    public static void main(String[] args) {
        int groups = Integer.parseInt(args[0]);
        int perGroup = Integer.parseInt(args[1]);
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        KeepPolicy policy = new KeepPolicy(0, Map.of(Period.DAILY, 7, Period.MONTHLY, 3), Duration.ZERO,
                ZoneOffset.UTC);
        RetentionRule rule = new RetentionRule(Selection.under("big/"), now.minus(Duration.ofDays(1)), policy,
                GroupBy.parse("depth:1"), Long.MAX_VALUE);
        long[] deleted = {0};
        RetentionRule.Decisions decisions = new RetentionRule.Decisions() {
            @Override
            public void delete(StoredObject object) {
                deleted[0]++;
            }

            @Override
            public void keep(StoredObject object, RetentionRule.Keep reason) {
            }
        };
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        for (int g = 0; g < groups; g++) {
            for (int d = 0; d < perGroup; d++) {
                String key = String.format("big/db%06d/%05d.dump", g, d);
                rule.offer(new StoredObject(key, now.minus(Duration.ofDays(d)).minus(Duration.ofMinutes(g % 1000)), 0),
                        decisions);
            }
        }
        System.gc();
        long after = runtime.totalMemory() - runtime.freeMemory();
        System.out.printf("groups=%d perGroup=%d objects=%d heldPeak=%d deletedWhileListing=%d heldHeap=%.1f MB"
                        + " (%.0f bytes per held object)%n", groups, perGroup, (long) groups * perGroup,
                rule.heldPeak(), deleted[0], (after - before) / 1e6, (after - before) / (double) rule.heldPeak());
    }
}
