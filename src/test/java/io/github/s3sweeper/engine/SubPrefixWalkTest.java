package io.github.s3sweeper.engine;

import io.github.s3sweeper.engine.OrderedListingTest.ModelBucket;
import io.github.s3sweeper.report.FrontierEntry;
import io.github.s3sweeper.rules.DeleteCap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private static SubPrefixWalk.Result resumed(ModelBucket bucket, String startAfter, ResumeFrontier frontier,
                                                int concurrency, Budget budget, Seen seen) {
        return new SubPrefixWalk<>(bucket, k -> k, "p/", startAfter, concurrency, budget, stream -> seen.decider(),
                unusedDeleter()).resuming(frontier).run();
    }

    /**
     * A tree of the shapes a chain meets: levels of sub-prefixes, some holding many pages and some a key or two, and
     * keys directly under every level between them.
     */
    private static void nestedTree(ModelBucket bucket, Random random, String prefix, int depth) {
        int children = depth == 0 ? 3 + random.nextInt(10) : random.nextInt(8);
        for (int c = 0; c < children; c++) {
            String name = SEGMENTS[random.nextInt(SEGMENTS.length)] + c;
            if (random.nextInt(4) == 0) {
                bucket.keys.add(prefix + name); // a direct key
            } else if (depth < 4 && random.nextInt(3) == 0) {
                nestedTree(bucket, random, prefix + name + "/", depth + 1);
            } else {
                int keys = switch (random.nextInt(3)) {
                    case 0 -> 1 + random.nextInt(2);
                    case 1 -> 5 + random.nextInt(20);
                    default -> 40 + random.nextInt(200);
                };
                for (int i = 0; i < keys; i++) {
                    bucket.keys.add(prefix + name + "/" + SEGMENTS[random.nextInt(SEGMENTS.length)] + i);
                }
            }
        }
    }

    /** What a chain of runs cut after a few pages each decided, and what it cost. */
    private record Chain(List<String> decided, long requests, int links, boolean complete) {
    }

    /** Runs resumed one after the other, each with the previous one's resume point and, if asked, its frontier. */
    private static Chain chain(ModelBucket bucket, int concurrency, int pagesPerRun, boolean withFrontier) {
        Seen seen = new Seen();
        String resumeAfter = null;
        ResumeFrontier frontier = ResumeFrontier.NONE;
        long requests = 0;
        int links = 0;
        SubPrefixWalk.Result result;
        do {
            // The budget is asked once a page: it runs out after that many pages.
            AtomicInteger pages = new AtomicInteger();
            result = resumed(bucket, resumeAfter, frontier, concurrency,
                    () -> pages.incrementAndGet() >= pagesPerRun, seen);
            assertThat(result.failure()).isNull();
            requests += result.requests();
            resumeAfter = result.resumeAfter();
            frontier = withFrontier ? result.frontier() : ResumeFrontier.NONE;
            links++;
        } while (!result.complete() && links < 10_000);
        return new Chain(seen.all(), requests, links, result.complete());
    }

    /** The model, noting the keys its delimited listings return as direct keys. */
    private static final class NotingBucket extends ModelBucket {
        final Set<String> directKeys = ConcurrentHashMap.newKeySet();
        final List<String> requested = Collections.synchronizedList(new ArrayList<>());

        NotingBucket(int pageSize) {
            super(pageSize);
        }

        @Override
        public OrderedListing.Page<String> fetch(String prefix, boolean delimited, String startAfter,
                                                 OrderedListing.Page<String> previous) {
            OrderedListing.Page<String> page = super.fetch(prefix, delimited, startAfter, previous);
            if (delimited) {
                directKeys.addAll(page.entries());
            }
            requested.add(prefix + (delimited ? " delimited" : "") + (previous == null ? " after " + startAfter : ""));
            return page;
        }
    }

    @ParameterizedTest(name = "concurrency={0}")
    @ValueSource(ints = {2, 4, 16})
    void aChainOfCutRunsResumedWithTheirFrontiersDecidesEveryKeyUnderASubPrefixOnceAndListsLessThanWithout(
            int concurrency) {
        Random random = new Random(4242L + concurrency);
        long withFrontier = 0;
        long without = 0;
        for (int trial = 0; trial < 40; trial++) {
            NotingBucket bucket = new NotingBucket(3 + random.nextInt(8));
            nestedTree(bucket, random, "p/", 0);
            bucket.keys.add("other/k");
            List<String> expected = bucket.sequential("p/", null);
            int pagesPerRun = 1 + random.nextInt(random.nextBoolean() ? 6 : 60);
            long one = walk(bucket, null, concurrency, Budget.UNLIMITED, new Seen()).requests();

            Chain chain = chain(bucket, concurrency, pagesPerRun, true);
            Chain relisting = chain(bucket, concurrency, pagesPerRun, false);

            assertThat(chain.complete()).isTrue();
            assertThat(chain.decided()).as("trial %d: every key decided", trial).containsAll(expected);
            // A key a delimited listing returns directly may be decided again by a resumed run when it was decided
            // after the last sub-prefix the frontier names in that listing; every other key once.
            assertThat(chain.decided().stream().filter(k -> !bucket.directKeys.contains(k)).toList())
                    .as("trial %d: keys under a sub-prefix decided exactly once", trial)
                    .containsExactlyInAnyOrderElementsOf(
                            expected.stream().filter(k -> !bucket.directKeys.contains(k)).toList());
            // Each run starts its delimited listings again and drops the pages its chains had fetched ahead.
            long overheadPerRun = 2L * concurrency + 6;
            assertThat(chain.requests()).as("trial %d", trial)
                    .isLessThanOrEqualTo(one + chain.links() * overheadPerRun);
            withFrontier += chain.requests();
            without += relisting.requests();
        }
        assertThat(withFrontier).as("requests of all chains with the frontier, and without").isLessThan(without);
    }

    @Test
    void aChainOverLargeSubPrefixesListsEachOfTheirPagesOnceWithTheFrontierAndManyAgainWithout() {
        // 48 sub-prefixes of 20 pages each, 16 at a time, runs cut after 40 pages: without the frontier each run
        // lists again what the 15 sub-prefixes after its first unfinished one got through.
        ModelBucket bucket = new ModelBucket(10);
        for (int d = 0; d < 48; d++) {
            for (int i = 0; i < 200; i++) {
                bucket.keys.add(String.format("p/%02d/%03d", d, i));
            }
        }
        long one = walk(bucket, null, 16, Budget.UNLIMITED, new Seen()).requests();

        Chain chain = chain(bucket, 16, 40, true);
        Chain relisting = chain(bucket, 16, 40, false);

        assertThat(one).isEqualTo(5 + 48 * 20);
        assertThat(chain.decided()).containsExactlyInAnyOrderElementsOf(bucket.sequential("p/", null));
        assertThat(chain.requests()).as("%d runs", chain.links())
                .isLessThanOrEqualTo(one + chain.links() * (2L * 16 + 2));
        // How much the chain without the frontier lists again depends on which sub-prefixes were in hand at each cut
        // (a busy machine cuts later, and 1.5x once failed under load): only that it lists more is certain.
        assertThat(relisting.requests()).as("without the frontier, %d runs; with it %d in %d runs",
                        relisting.links(), chain.requests(), chain.links())
                .isGreaterThan(chain.requests());
    }

    @Test
    void aResumedWalkListsNothingUnderASubPrefixTheFrontierSaysIsDoneAndAPartWayOneFromItsKey() {
        NotingBucket bucket = new NotingBucket(5);
        for (String d : List.of("a", "b", "c", "d")) {
            for (int i = 0; i < 20; i++) {
                bucket.keys.add("p/" + d + "/" + String.format("%02d", i));
            }
        }
        ResumeFrontier frontier = ResumeFrontier.of(List.of(FrontierEntry.done("p/b/"),
                new FrontierEntry("p/c/", "p/c/14")));
        Seen seen = new Seen();

        SubPrefixWalk.Result result = resumed(bucket, "p/a/09", frontier, 2, Budget.UNLIMITED, seen);

        assertThat(result.complete()).isTrue();
        assertThat(result.frontier().isEmpty()).isTrue();
        assertThat(bucket.requested).noneMatch(r -> r.startsWith("p/b/"))
                .contains("p/a/ after p/a/09", "p/c/ after p/c/14");
        assertThat(seen.all()).containsExactlyInAnyOrderElementsOf(bucket.sequential("p/", "p/a/09").stream()
                .filter(k -> !k.startsWith("p/b/") && Keys.compare(k, "p/c/") < 0 || Keys.compare(k, "p/c/14") > 0)
                .toList());
    }

    @Test
    void aWalkCutShortReportsTheSubPrefixesAfterItsResumePointThatFinishedOrGotPartWay() {
        ModelBucket bucket = new ModelBucket(5);
        for (String d : List.of("a", "b", "c", "d", "e", "f")) {
            for (int i = 0; i < 30; i++) {
                bucket.keys.add("p/" + d + "/" + String.format("%02d", i));
            }
        }
        // Which sub-prefixes get ahead of the resume point depends on how the four listings interleave, which a busy
        // machine can serialise: every cut-short walk's frontier must be right, and some walk must have one.
        int withFrontier = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            AtomicInteger pages = new AtomicInteger();
            Seen seen = new Seen();

            SubPrefixWalk.Result result = walk(bucket, null, 4, () -> pages.incrementAndGet() >= 12, seen);

            assertThat(result.complete()).isFalse();
            if (!result.frontier().entries().isEmpty()) {
                withFrontier++;
            }
            assertThat(result.frontier().entries()).allSatisfy(entry -> {
                assertThat(Keys.compare(entry.prefix(), result.resumeAfter())).isPositive();
                List<String> under = bucket.sequential(entry.prefix(), null).stream()
                        .filter(k -> k.startsWith(entry.prefix()))
                        .filter(k -> entry.after() == null || Keys.compare(k, entry.after()) <= 0).toList();
                assertThat(seen.all()).as("what %s says is decided", entry).containsAll(under);
            });
        }
        assertThat(withFrontier).as("walks cut short with sub-prefixes decided beyond the resume point").isPositive();
    }

    @Test
    void aFrontierKeepsItsEarliestEntriesWithinItsBoundsAndAResumedWalkStillDecidesTheRest() {
        List<FrontierEntry> many = new ArrayList<>();
        for (int d = 1499; d >= 0; d--) {
            many.add(FrontierEntry.done(String.format("p/%04d/", d)));
        }
        ResumeFrontier bounded = ResumeFrontier.of(many);
        String longKey = "p/x/" + "é".repeat(20_000);
        ResumeFrontier byText = ResumeFrontier.of(List.of(new FrontierEntry("p/w/", "p/w/k"),
                new FrontierEntry("p/x/", longKey), new FrontierEntry("p/y/", longKey.replace("p/x/", "p/y/"))));

        assertThat(bounded.entries()).hasSize(ResumeFrontier.MAX_ENTRIES)
                .first().isEqualTo(FrontierEntry.done("p/0000/"));
        assertThat(bounded.entries().get(999).prefix()).isEqualTo("p/0999/");
        assertThat(byText.entries()).extracting(FrontierEntry::prefix).containsExactly("p/w/", "p/x/");

        // The entries dropped are merely listed again: every key once, none of those the kept entries name.
        ModelBucket bucket = new ModelBucket(7);
        for (int d = 0; d < 1500; d++) {
            bucket.keys.add(String.format("p/%04d/k", d));
        }
        bucket.keys.add("p/9999/k");
        Seen seen = new Seen();

        SubPrefixWalk.Result result = resumed(bucket, null, bounded, 4, Budget.UNLIMITED, seen);

        assertThat(result.complete()).isTrue();
        assertThat(seen.all()).containsExactlyInAnyOrderElementsOf(bucket.sequential("p/", "p/0999/k"));
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
