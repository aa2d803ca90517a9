package io.github.s3sweeper.rules;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming keep-newest-N decision equals the simple model: sort every selected object newest first, keep the
 * first N, delete the expired rest. Listings are random (a fixed seed per case, printed on failure), in any
 * order, with few distinct LastModified values so ties are common, and N from 0 to beyond the candidates.
 */
class KeepNewestPropertyTest {

    private static final Instant CUTOFF = Instant.parse("2026-06-01T00:00:00Z");

    private static List<StoredObject> randomListing(Random random) {
        Map<String, StoredObject> byKey = new LinkedHashMap<>();
        int size = random.nextInt(61);
        while (byKey.size() < size) {
            StringBuilder key = new StringBuilder("p/");
            for (int i = random.nextInt(4); i >= 0; i--) {
                key.append((char) ('a' + random.nextInt(5)));
            }
            Instant modified = CUTOFF.plusSeconds(random.nextInt(11) - 5);
            byKey.putIfAbsent(key.toString(), new StoredObject(key.toString(), modified, random.nextInt(11)));
        }
        List<StoredObject> listing = new ArrayList<>(byKey.values());
        Collections.shuffle(listing, random);
        return listing;
    }

    @Test
    void streamingDecisionEqualsSortEverythingModel() {
        for (long seed = 1; seed <= 2000; seed++) {
            Random random = new Random(seed);
            List<StoredObject> listing = randomListing(random);
            int keep = random.nextInt(71);

            assertThat(streamed(listing, keep)).as("seed %d, keep %d, listing %s", seed, keep, listing)
                    .isEqualTo(model(listing, keep));
        }
    }

    @Test
    void outcomeDoesNotDependOnListingOrder() {
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            List<StoredObject> listing = randomListing(random);
            int keep = random.nextInt(11);
            List<StoredObject> reversed = new ArrayList<>(listing);
            Collections.reverse(reversed);

            assertThat(streamed(reversed, keep)).as("seed %d", seed).isEqualTo(streamed(listing, keep));
        }
    }

    private static Set<String> streamed(List<StoredObject> listing, int keep) {
        Set<String> deleted = new HashSet<>();
        RetentionRule rule = new RetentionRule(Selection.under("p/"), CUTOFF, keep);
        RetentionRule.Decisions decisions = new RetentionRule.Decisions() {
            @Override
            public void delete(StoredObject object) {
                assertThat(deleted.add(object.key())).as("decided once").isTrue();
            }

            @Override
            public void keep(StoredObject object, RetentionRule.Keep reason) {
            }
        };
        listing.forEach(object -> rule.offer(object, decisions));
        rule.finish(decisions);
        return deleted;
    }

    private static Set<String> model(List<StoredObject> listing, int keep) {
        List<StoredObject> newestFirst = new ArrayList<>(listing);
        // Written out here rather than reusing the production comparator, so a mistake there cannot hide.
        newestFirst.sort((a, b) -> a.lastModified().equals(b.lastModified())
                ? b.key().compareTo(a.key()) : b.lastModified().compareTo(a.lastModified()));
        Set<String> deleted = new HashSet<>();
        for (int i = keep; i < newestFirst.size(); i++) {
            if (newestFirst.get(i).lastModified().isBefore(CUTOFF)) {
                deleted.add(newestFirst.get(i).key());
            }
        }
        return deleted;
    }
}
