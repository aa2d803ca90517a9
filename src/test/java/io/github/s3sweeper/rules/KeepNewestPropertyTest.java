package io.github.s3sweeper.rules;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming keep-newest-N decision equals the simple model: sort every selected object newest first, keep the
 * first N, delete the expired rest. Listings are random, in any order, with many ties on LastModified.
 */
class KeepNewestPropertyTest {

    private static final Instant CUTOFF = Instant.parse("2026-06-01T00:00:00Z");

    @Provide
    Arbitrary<List<StoredObject>> listings() {
        // Few distinct instants around the cutoff, so ties on LastModified are common; unique keys.
        Arbitrary<Instant> times = Arbitraries.integers().between(-5, 5).map(s -> CUTOFF.plusSeconds(s));
        Arbitrary<StoredObject> objects = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(4),
                times,
                Arbitraries.longs().between(0, 10))
                .as((key, time, size) -> new StoredObject("p/" + key, time, size));
        return objects.list().ofMaxSize(60).uniqueElements(StoredObject::key);
    }

    @Property(tries = 2000)
    void streamingDecisionEqualsSortEverythingModel(@ForAll("listings") List<StoredObject> listing,
                                                    @ForAll @IntRange(min = 0, max = 70) int keep) {
        assertThat(streamed(listing, keep)).isEqualTo(model(listing, keep));
    }

    @Property(tries = 300)
    void outcomeDoesNotDependOnListingOrder(@ForAll("listings") List<StoredObject> listing,
                                            @ForAll @IntRange(min = 0, max = 10) int keep) {
        List<StoredObject> reversed = new ArrayList<>(listing);
        java.util.Collections.reverse(reversed);
        assertThat(streamed(reversed, keep)).isEqualTo(streamed(listing, keep));
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
        newestFirst.sort(StoredObject.OLDEST_FIRST.reversed());
        Set<String> deleted = new HashSet<>();
        for (int i = keep; i < newestFirst.size(); i++) {
            if (newestFirst.get(i).lastModified().isBefore(CUTOFF)) {
                deleted.add(newestFirst.get(i).key());
            }
        }
        return deleted;
    }
}
