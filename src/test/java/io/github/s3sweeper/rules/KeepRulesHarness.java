package io.github.s3sweeper.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/** Runs objects through {@link RetentionRule} with keep rules, in a given order, and records every decision. */
final class KeepRulesHarness {

    final TreeSet<String> deleted = new TreeSet<>();
    final TreeMap<String, List<String>> keptBy = new TreeMap<>();
    final TreeMap<String, String> groupOf = new TreeMap<>();
    long heldPeak;
    int groups;

    static KeepRulesHarness run(KeepPolicy policy, GroupBy groupBy, Instant cutoff, List<StoredObject> objects,
                                Random order) {
        List<StoredObject> shuffled = new ArrayList<>(objects);
        if (order != null) {
            Collections.shuffle(shuffled, order);
        }
        KeepRulesHarness harness = new KeepRulesHarness();
        RetentionRule rule = new RetentionRule(Selection.under("p/"), cutoff, policy, groupBy, Long.MAX_VALUE);
        RetentionRule.Decisions decisions = new RetentionRule.Decisions() {
            @Override
            public void delete(StoredObject object) {
                harness.deleted.add(object.key());
            }

            @Override
            public void keep(StoredObject object, RetentionRule.Keep reason) {
            }

            @Override
            public void keptBy(StoredObject object, String group, List<String> rules) {
                harness.keptBy.put(object.key(), rules.stream().sorted().toList());
                harness.groupOf.put(object.key(), group);
            }
        };
        for (StoredObject object : shuffled) {
            rule.offer(object, decisions);
        }
        harness.heldPeak = rule.heldPeak();
        harness.groups = rule.groups();
        rule.finish(decisions);
        return harness;
    }

    /** The keys kept by a rule, whatever else keeps them. */
    List<String> keptByRule(String rule) {
        return keptBy.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(r -> r.startsWith(rule)))
                .map(Map.Entry::getKey).toList();
    }
}
