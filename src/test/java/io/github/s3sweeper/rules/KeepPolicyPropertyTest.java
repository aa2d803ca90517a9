package io.github.s3sweeper.rules;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming keep rules against restic's own procedure, written as simply as it can be: sort a group's whole
 * history newest first, walk it once, and for each rule keep an object when its period differs from the last kept
 * one's (and the oldest object while the rule has counts left), each rule counting down from N. Thousands of random
 * histories, in four zones (two with DST, one with a half-hour offset), offered in random order.
 */
class KeepPolicyPropertyTest {

    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Paris"),
            ZoneId.of("America/New_York"), ZoneId.of("Asia/Kolkata"));

    @Test
    void streamingKeepRulesDecideAsResticsSortEverythingProcedureOnRandomHistories() {
        Random random = new Random(20261201);
        for (int history = 0; history < 3_000; history++) {
            ZoneId zone = ZONES.get(history % ZONES.size());
            KeepPolicy policy = randomPolicy(random, zone);
            List<StoredObject> objects = randomHistory(random);
            Instant cutoff = objects.get(random.nextInt(objects.size())).lastModified();
            GroupBy groupBy = random.nextBoolean() ? GroupBy.ONE : GroupBy.parse("depth:1");

            KeepRulesHarness streamed = KeepRulesHarness.run(policy, groupBy, cutoff, objects, random);
            Model model = Model.of(policy, groupBy, cutoff, objects);

            String context = "history " + history + " in " + zone + ", " + policy + ", " + groupBy + ", cutoff "
                    + cutoff + ", objects " + objects;
            assertThat(streamed.deleted).as(context).isEqualTo(model.deleted);
            assertThat(withoutOldestNote(streamed.keptBy)).as(context).isEqualTo(model.keptBy);
            assertThat(streamed.heldPeak).as(context).isLessThanOrEqualTo(bound(policy, objects, streamed.groups));
        }
    }

    /** Without a window, each group holds at most {@code last + sum(N) + 1} objects, whatever its size. */
    private static long bound(KeepPolicy policy, List<StoredObject> objects, int groups) {
        if (!policy.within().isZero()) {
            return objects.size();
        }
        long perGroup = policy.last() + 1L; // + the oldest, held while a calendar rule has fewer periods than asked
        for (int n : policy.counts().values()) {
            perGroup += n;
        }
        return groups * perGroup;
    }

    private static Map<String, List<String>> withoutOldestNote(Map<String, List<String>> keptBy) {
        Map<String, List<String>> plain = new TreeMap<>();
        keptBy.forEach((key, rules) -> plain.put(key, rules.stream()
                .map(rule -> rule.replace(" (oldest: fewer periods than asked)", "")).sorted().toList()));
        return plain;
    }

    private static KeepPolicy randomPolicy(Random random, ZoneId zone) {
        Map<Period, Integer> counts = new EnumMap<>(Period.class);
        for (Period period : Period.values()) {
            if (random.nextInt(3) == 0) {
                counts.put(period, 1 + random.nextInt(6));
            }
        }
        int last = random.nextInt(4) == 0 ? 1 + random.nextInt(4) : 0;
        Duration within = random.nextInt(4) == 0
                ? Duration.ofDays(random.nextInt(3)).plusHours(random.nextInt(30)) : Duration.ZERO;
        return new KeepPolicy(last, counts, within, zone);
    }

    /** Bursts of objects around random times over about two years, with ties, DST nights and year ends. */
    private static List<StoredObject> randomHistory(Random random) {
        int n = 1 + random.nextInt(60);
        long base = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
        long span = random.nextBoolean() ? 3 * 86_400L : 730 * 86_400L;
        List<StoredObject> objects = new ArrayList<>(n);
        long previous = base + (long) (random.nextDouble() * span);
        for (int i = 0; i < n; i++) {
            long t = switch (random.nextInt(4)) {
                case 0 -> previous; // a tie
                case 1 -> previous + random.nextInt(7_200) - 3_600;
                case 2 -> Instant.parse("2024-10-27T00:00:00Z").getEpochSecond() + random.nextInt(4 * 3_600);
                default -> base + (long) (random.nextDouble() * span);
            };
            previous = t;
            String db = "db" + random.nextInt(3) + "/";
            objects.add(new StoredObject("p/" + db + "k" + i, Instant.ofEpochSecond(t), 1));
        }
        return objects;
    }

    /** restic's ApplyPolicy, per group: sort newest first, walk once. */
    private record Model(TreeSet<String> deleted, Map<String, List<String>> keptBy) {

        static Model of(KeepPolicy policy, GroupBy groupBy, Instant cutoff, List<StoredObject> objects) {
            Map<String, List<StoredObject>> groups = new HashMap<>();
            for (StoredObject object : objects) {
                groups.computeIfAbsent(groupBy.groupOf(object.key().substring(2)), g -> new ArrayList<>()).add(object);
            }
            TreeSet<String> deleted = new TreeSet<>();
            Map<String, List<String>> keptBy = new TreeMap<>();
            for (List<StoredObject> group : groups.values()) {
                List<StoredObject> list = new ArrayList<>(group);
                list.sort(StoredObject.OLDEST_FIRST.reversed());
                Instant latest = list.get(0).lastModified();
                int lastLeft = policy.last();
                Map<Period, Integer> left = new EnumMap<>(Period.class);
                left.putAll(policy.counts());
                Map<Period, Long> lastPeriod = new EnumMap<>(Period.class);
                for (int nr = 0; nr < list.size(); nr++) {
                    StoredObject cur = list.get(nr);
                    List<String> reasons = new ArrayList<>();
                    if (lastLeft > 0) {
                        lastLeft--;
                        reasons.add("KEEP_LATEST");
                    }
                    LocalDateTime local = LocalDateTime.ofInstant(cur.lastModified(), policy.zone());
                    for (Period period : Period.values()) {
                        if (left.getOrDefault(period, 0) > 0) {
                            long val = period.of(local);
                            if (!Long.valueOf(val).equals(lastPeriod.get(period)) || nr == list.size() - 1) {
                                lastPeriod.put(period, val);
                                left.put(period, left.get(period) - 1);
                                reasons.add(period.rule());
                            }
                        }
                    }
                    if (!policy.within().isZero()) {
                        long days = policy.within().toDays();
                        Instant start = ZonedDateTime.ofInstant(latest, policy.zone()).minusDays(days).toInstant()
                                .minus(policy.within().minusDays(days));
                        if (cur.lastModified().isAfter(start)) {
                            reasons.add("KEEP_WITHIN");
                        }
                    }
                    boolean expired = cur.lastModified().isBefore(cutoff);
                    if (!expired) {
                        continue;
                    }
                    if (reasons.isEmpty()) {
                        deleted.add(cur.key());
                    } else {
                        keptBy.put(cur.key(), reasons.stream().sorted().toList());
                    }
                }
            }
            return new Model(deleted, keptBy);
        }
    }
}
