package io.github.s3sweeper.engine;

import io.github.s3sweeper.engine.OrderedListingTest.ModelBucket;
import io.github.s3sweeper.rules.DeleteCap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sub-prefixes decided at once, against the in-memory model of ListObjectsV2 with small pages: every entry decided
 * exactly once, each listing's entries in key order, and a resume point before which everything was decided, for
 * thousands of random key trees. The embedded-server tests (ParallelListingIT, SweepScenarios) prove the same
 * through real HTTP listings and deletions.
 */
class SubPrefixWalkTest {

    /** What the deciders saw: every listing's entries, in the order each was given them. */
    private static final class Seen {
        final List<List<String>> listings = Collections.synchronizedList(new ArrayList<>());

        SubPrefixWalk.Decider<String> decider() {
            List<String> mine = Collections.synchronizedList(new ArrayList<>());
            listings.add(mine);
            return new SubPrefixWalk.Decider<>() {
                @Override
                public void decide(List<String> entries) {
                    mine.addAll(entries);
                }

                @Override
                public void end(boolean listedAll) {
                }
            };
        }

        List<String> all() {
            List<String> all = new ArrayList<>();
            synchronized (listings) {
                for (List<String> listing : listings) {
                    all.addAll(listing);
                }
            }
            return all;
        }
    }

    /** A deleter these tests never reach: the deciders only record what they see. */
    private static Deleter unusedDeleter() {
        BatchSender never = new BatchSender(null, "unused", false, new Retrying(Budget.UNLIMITED, d -> {
        }), d -> {
        }, () -> {
        });
        return new Deleter(never, new DeleteCap(OptionalLong.empty(), true), new DecisionCounts(new Object()),
                new OutcomeCounts(), SweepListener.NONE, 1);
    }

    private static SubPrefixWalk.Result walk(ModelBucket bucket, String startAfter, int concurrency, Budget budget,
                                             Seen seen) {
        return new SubPrefixWalk<>(bucket, k -> k, "p/", startAfter, concurrency, budget, stream -> seen.decider(),
                unusedDeleter()).run();
    }

    private static final String[] SEGMENTS = {"a", "b", "ab", "a.b", "a-", "z", "é", "😀", "0", "~"};

    /** Keys up to four levels deep under p/ and neighbours outside it, some sub-prefixes much larger than others. */
    private static void randomTree(ModelBucket bucket, Random random, int keys) {
        for (int i = 0; i < keys; i++) {
            StringBuilder key = new StringBuilder(random.nextInt(5) == 0 ? "other" : "p/");
            int depth = random.nextInt(5);
            String first = random.nextInt(3) == 0 ? "big" : SEGMENTS[random.nextInt(SEGMENTS.length)];
            for (int d = 0; d < depth; d++) {
                key.append(d == 0 ? first : SEGMENTS[random.nextInt(SEGMENTS.length)]).append('/');
            }
            key.append(SEGMENTS[random.nextInt(SEGMENTS.length)]).append(random.nextInt(50));
            bucket.keys.add(key.toString());
        }
    }

    @ParameterizedTest(name = "concurrency={0}")
    @ValueSource(ints = {2, 3, 16})
    void decidesEveryEntryOnceAndEachListingInKeyOrderForRandomKeyTrees(int concurrency) {
        Random random = new Random(20261201L + concurrency);
        for (int trial = 0; trial < 300; trial++) {
            ModelBucket bucket = new ModelBucket(1 + random.nextInt(7));
            bucket.repeatsCommonPrefixes = random.nextBoolean();
            randomTree(bucket, random, random.nextInt(300));
            List<String> keys = new ArrayList<>(bucket.keys);
            String startAfter = random.nextInt(3) == 0 && !keys.isEmpty() ? keys.get(random.nextInt(keys.size())) : null;
            Seen seen = new Seen();

            SubPrefixWalk.Result result = walk(bucket, startAfter, concurrency, Budget.UNLIMITED, seen);

            assertThat(result.failure()).isNull();
            assertThat(result.complete()).as("trial %d: %s", trial, result).isTrue();
            assertThat(seen.all()).as("trial %d, start after %s", trial, startAfter)
                    .containsExactlyInAnyOrderElementsOf(bucket.sequential("p/", startAfter));
            for (List<String> listing : seen.listings) {
                assertThat(listing).as("trial %d", trial).isSortedAccordingTo(Keys::compare);
            }
            assertThat(result.requests()).isEqualTo(bucket.requests.get());
        }
    }

    @ParameterizedTest(name = "concurrency={0}")
    @ValueSource(ints = {2, 16})
    void runsCutByTheBudgetDecideEverythingUpToTheirResumePointAndResumedRunsFinishTheRest(int concurrency) {
        Random random = new Random(7L + concurrency);
        for (int trial = 0; trial < 200; trial++) {
            ModelBucket bucket = new ModelBucket(1 + random.nextInt(5));
            randomTree(bucket, random, 50 + random.nextInt(300));
            List<String> expected = bucket.sequential("p/", null);
            List<String> decided = new ArrayList<>();
            List<String> history = new ArrayList<>();
            String resumeAfter = null;
            int runs = 0;
            boolean complete;
            do {
                int checks = 1 + random.nextInt(6);
                AtomicInteger asked = new AtomicInteger();
                Seen seen = new Seen();
                String from = resumeAfter;

                SubPrefixWalk.Result result = walk(bucket, from, concurrency, () -> asked.incrementAndGet() >= checks,
                        seen);

                complete = result.complete();
                resumeAfter = result.resumeAfter();
                history.add(from + " -> " + resumeAfter + " " + complete + " " + seen.listings);
                decided.addAll(seen.all());
                List<String> upToResume = bucket.sequential("p/", from).stream()
                        .filter(k -> result.resumeAfter() != null && Keys.compare(k, result.resumeAfter()) <= 0)
                        .toList();
                assertThat(seen.all()).as("trial %d run %d: everything up to %s", trial, runs, resumeAfter)
                        .containsAll(upToResume);
                assertThat(complete || result.outOfTime()).isTrue();
                if (!complete) {
                    assertThat(resumeAfter).as("every run moves the resume point on").isNotEqualTo(from);
                }
                runs++;
            } while (!complete && runs < 1000);

            assertThat(complete).as("trial %d ended", trial).isTrue();
            assertThat(decided).as("trial %d %s", trial, String.join("\n", history)).containsAll(expected);
            assertThat(decided).as("nothing outside the prefix").allMatch(k -> k.startsWith("p/"));
        }
    }

    @Test
    void aFailedSubPrefixStopsTheOnesAfterItAndLetsTheOnesBeforeItFinish() {
        ModelBucket bucket = new ModelBucket(5);
        for (String d : List.of("a", "b", "c", "d", "e")) {
            for (int i = 0; i < 40; i++) {
                bucket.keys.add("p/" + d + "/" + String.format("%02d", i));
            }
        }
        bucket.failingPrefix = "p/c/";
        Seen seen = new Seen();

        SubPrefixWalk.Result result = walk(bucket, null, 4, Budget.UNLIMITED, seen);

        assertThat(result.complete()).isFalse();
        assertThat(result.failure()).hasMessage("listing p/c/ failed");
        assertThat(result.resumeAfter()).isEqualTo("p/b/39");
        assertThat(seen.all()).containsAll(bucket.sequential("p/", null).stream()
                .filter(k -> k.startsWith("p/a/") || k.startsWith("p/b/")).toList())
                .noneMatch(k -> k.startsWith("p/c/"));
    }

    @Test
    void listsEverySubPrefixAtFullConcurrencyWithOneRequestPerPagePlusDiscovery() {
        ModelBucket bucket = new SlowBucket(10, 20);
        for (int d = 0; d < 64; d++) {
            for (int i = 0; i < 70; i++) {
                bucket.keys.add(String.format("p/%02d/%03d", d, i));
            }
        }
        Seen seen = new Seen();

        SubPrefixWalk.Result result = walk(bucket, null, 16, Budget.UNLIMITED, seen);

        assertThat(seen.all()).hasSize(64 * 70);
        // The discovery names the 64 sub-prefixes on 7 pages of 10; each then takes 7 pages. The last one is
        // listed with the delimiter again (it might hold sub-prefixes), which costs no page more.
        assertThat(result.requests()).isEqualTo(7 + 64 * 7);
        assertThat(((SlowBucket) bucket).mostInFlight.get()).as("requests in flight at once").isBetween(16, 16 + 2);
    }

    @Test
    void listsAPrefixWhoseKeysSitUnderOneSubPrefixAsItsSubPrefixesAtOnce() {
        SlowBucket bucket = new SlowBucket(10, 20);
        for (int d = 0; d < 16; d++) {
            for (int i = 0; i < 30; i++) {
                bucket.keys.add(String.format("p/2026/%02d/%03d", d, i));
            }
        }
        Seen seen = new Seen();

        SubPrefixWalk.Result result = walk(bucket, null, 8, Budget.UNLIMITED, seen);

        assertThat(seen.all()).containsExactlyInAnyOrderElementsOf(bucket.sequential("p/", null));
        assertThat(bucket.mostInFlight.get()).as("2026/'s sub-prefixes listed at once").isGreaterThanOrEqualTo(8);
        assertThat(result.requests()).isEqualTo(1 + 2 + 16 * 3);
    }

    @Test
    void goesBackToOneChainWhenSubPrefixesHoldTooFewKeysForARequestEach() {
        ModelBucket bucket = new ModelBucket(1000);
        for (int d = 0; d < 5000; d++) {
            bucket.keys.add(String.format("p/%04d/only", d));
        }
        Seen seen = new Seen();

        SubPrefixWalk.Result result = walk(bucket, null, 4, Budget.UNLIMITED, seen);

        assertThat(seen.all()).containsExactlyInAnyOrderElementsOf(bucket.sequential("p/", null));
        // A request per sub-prefix would be 5,000; after the first few it lists the rest 1,000 keys a page.
        assertThat(result.requests()).isLessThan(50);
    }

    /** The model with a pause per request, to see how many are in flight at once. */
    private static final class SlowBucket extends ModelBucket {
        private final long pauseMs;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();

        SlowBucket(int pageSize, long pauseMs) {
            super(pageSize);
            this.pauseMs = pauseMs;
        }

        @Override
        public OrderedListing.Page<String> fetch(String prefix, boolean delimited, String startAfter,
                                                 OrderedListing.Page<String> previous) {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(pauseMs);
                return super.fetch(prefix, delimited, startAfter, previous);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }
}
