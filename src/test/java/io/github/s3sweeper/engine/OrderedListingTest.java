package io.github.s3sweeper.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The merge of concurrent chains against an in-memory model of ListObjectsV2 with small pages, where thousands of
 * random key trees can be tried in seconds. The embedded-server tests prove the same on real HTTP listings.
 */
class OrderedListingTest {

    /** ListObjectsV2 over a sorted key set: prefix, '/' delimiter, start-after and pages of {@code pageSize}. */
    static class ModelBucket implements OrderedListing.Source<String> {
        final NavigableSet<String> keys = new TreeSet<>(Keys::compare);
        final int pageSize;
        final AtomicInteger requests = new AtomicInteger();
        /** Names the last common prefix of a page again at the start of the next, as some servers do. */
        boolean repeatsCommonPrefixes;
        String failingPrefix;

        ModelBucket(int pageSize) {
            this.pageSize = pageSize;
        }

        @Override
        public OrderedListing.Page<String> fetch(String prefix, boolean delimited, String startAfter,
                                                 OrderedListing.Page<String> previous) {
            requests.incrementAndGet();
            if (prefix.equals(failingPrefix)) {
                throw new IllegalStateException("listing " + prefix + " failed");
            }
            String after = previous != null ? previous.next() : startAfter;
            List<String> entries = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            int repeated = 0;
            if (repeatsCommonPrefixes && previous != null && !previous.commonPrefixes().isEmpty()) {
                prefixes.add(previous.commonPrefixes().get(previous.commonPrefixes().size() - 1));
                repeated = 1;
            }
            String last = null;
            for (String key : after == null ? keys : keys.tailSet(after, false)) {
                if (!key.startsWith(prefix)) {
                    if (Keys.compare(key, prefix) > 0) {
                        break;
                    }
                    continue;
                }
                if (entries.size() + prefixes.size() - repeated == pageSize) {
                    return new OrderedListing.Page<>(entries, prefixes, last, null);
                }
                int slash = delimited ? key.indexOf('/', prefix.length()) : -1;
                if (slash >= 0) {
                    String common = key.substring(0, slash + 1);
                    if (prefixes.isEmpty() || !prefixes.get(prefixes.size() - 1).equals(common)) {
                        prefixes.add(common);
                    }
                    last = lastKeyUnder(common);
                } else {
                    entries.add(key);
                    last = key;
                }
            }
            return new OrderedListing.Page<>(entries, prefixes, null, null);
        }

        private String lastKeyUnder(String common) {
            String lastUnder = common;
            for (String key : keys.tailSet(common, true)) {
                if (!key.startsWith(common)) {
                    break;
                }
                lastUnder = key;
            }
            return lastUnder;
        }

        List<String> sequential(String prefix, String startAfter) {
            List<String> listed = new ArrayList<>();
            for (String key : startAfter == null ? keys : keys.tailSet(startAfter, false)) {
                if (key.startsWith(prefix)) {
                    listed.add(key);
                }
            }
            return listed;
        }
    }

    static List<String> drain(OrderedListing<String> listing) {
        List<String> listed = new ArrayList<>();
        try (listing) {
            for (List<String> page = listing.next(); page != null; page = listing.next()) {
                listed.addAll(page);
            }
        }
        return listed;
    }

    private static final String[] SEGMENTS = {"a", "b", "ab", "a.b", "a-", "z", "é", "😀", "0", "~"};

    private static void randomTree(ModelBucket bucket, Random random, int keys) {
        for (int i = 0; i < keys; i++) {
            StringBuilder key = new StringBuilder(random.nextInt(4) == 0 ? "other" : "p/");
            int depth = random.nextInt(4);
            for (int d = 0; d < depth; d++) {
                key.append(SEGMENTS[random.nextInt(SEGMENTS.length)]).append('/');
            }
            key.append(SEGMENTS[random.nextInt(SEGMENTS.length)]).append(random.nextInt(50));
            bucket.keys.add(key.toString());
        }
    }

    @ParameterizedTest(name = "concurrency={0}")
    @ValueSource(ints = {1, 2, 3, 16})
    void returnsExactlyTheSequentialListingForRandomKeyTrees(int concurrency) {
        Random random = new Random(20261126L + concurrency);
        for (int trial = 0; trial < 300; trial++) {
            ModelBucket bucket = new ModelBucket(1 + random.nextInt(7));
            bucket.repeatsCommonPrefixes = random.nextBoolean();
            randomTree(bucket, random, random.nextInt(200));
            List<String> all = new ArrayList<>(bucket.keys);
            String startAfter = random.nextInt(3) == 0 && !all.isEmpty() ? all.get(random.nextInt(all.size())) : null;

            List<String> listed = drain(new OrderedListing<>(bucket, k -> k, "p/", startAfter, concurrency));

            assertThat(listed).as("trial %d, start after %s", trial, startAfter)
                    .isEqualTo(bucket.sequential("p/", startAfter));
        }
    }

    @Test
    void listsFlatKeysAsOneChainWithoutExtraRequests() {
        ModelBucket bucket = new ModelBucket(10);
        for (int i = 0; i < 95; i++) {
            bucket.keys.add(String.format("p/%03d", i));
        }

        List<String> listed = drain(new OrderedListing<>(bucket, k -> k, "p/", null, 8));

        assertThat(listed).isEqualTo(bucket.sequential("p/", null));
        assertThat(bucket.requests).hasValue(10);
    }

    @Test
    void listsEachSubPrefixOnceAfterOneDiscoveryRequest() {
        ModelBucket bucket = new ModelBucket(10);
        for (int d = 0; d < 6; d++) {
            for (int i = 0; i < 20; i++) {
                bucket.keys.add(String.format("p/%d/%03d", d, i));
            }
        }

        OrderedListing<String> listing = new OrderedListing<>(bucket, k -> k, "p/", null, 4);
        List<String> listed = drain(listing);

        assertThat(listed).isEqualTo(bucket.sequential("p/", null));
        assertThat(listing.requests()).isEqualTo(1 + 6 * 2).isEqualTo(bucket.requests.get());
    }

    @Test
    void holdsNoMoreChainsThanItsWindowHoweverManySubPrefixesItWalks() {
        ModelBucket bucket = new ModelBucket(100);
        for (int d = 0; d < 300; d++) {
            for (int i = 0; i < 150; i++) {
                bucket.keys.add(String.format("p/%03d/%03d", d, i));
            }
        }
        int most = 0;
        long listed = 0;

        try (OrderedListing<String> listing = new OrderedListing<>(bucket, k -> k, "p/", null, 4)) {
            for (List<String> page = listing.next(); page != null; page = listing.next()) {
                listed += page.size();
                most = Math.max(most, listing.chainsHeld());
            }
            assertThat(listing.chainsHeld()).isZero();
        }

        assertThat(listed).isEqualTo(300 * 150);
        assertThat(most).isBetween(2, 4 + 1);
    }

    @Test
    void goesBackToOneChainWhenSubPrefixesHoldTooFewKeysForARequestEach() {
        ModelBucket bucket = new ModelBucket(1000);
        for (int d = 0; d < 5000; d++) {
            bucket.keys.add(String.format("p/%04d/only", d));
        }

        OrderedListing<String> listing = new OrderedListing<>(bucket, k -> k, "p/", null, 4);
        List<String> listed = drain(listing);

        assertThat(listed).isEqualTo(bucket.sequential("p/", null));
        // A request per sub-prefix would be 5,000; after the first few it lists the rest 1,000 keys a page.
        assertThat(listing.requests()).isLessThan(50);
    }

    @Test
    void aFailedSubPrefixSurfacesAfterEverythingBeforeItAndNothingAfter() {
        ModelBucket bucket = new ModelBucket(5);
        for (String d : List.of("a", "b", "c", "d")) {
            for (int i = 0; i < 12; i++) {
                bucket.keys.add("p/" + d + "/" + i);
            }
        }
        bucket.failingPrefix = "p/c/";
        List<String> listed = new ArrayList<>();

        Throwable failure;
        try (OrderedListing<String> listing = new OrderedListing<>(bucket, k -> k, "p/", null, 4)) {
            failure = catchThrowable(() -> {
                for (List<String> page = listing.next(); page != null; page = listing.next()) {
                    listed.addAll(page);
                }
            });
        }

        assertThat(failure).hasMessage("listing p/c/ failed");
        assertThat(listed).isEqualTo(bucket.sequential("p/", null).stream()
                .filter(k -> k.startsWith("p/a/") || k.startsWith("p/b/")).toList());
    }

    @Test
    void saysWhetherMoreFollowsOnlyWhenItDoes() {
        ModelBucket bucket = new ModelBucket(3);
        bucket.keys.addAll(List.of("p/a/1", "p/a/2", "p/b", "p/c/1"));

        try (OrderedListing<String> listing = new OrderedListing<>(bucket, k -> k, "p/", null, 4)) {
            assertThat(listing.next()).containsExactly("p/a/1", "p/a/2");
            assertThat(listing.more()).isTrue();
            assertThat(listing.next()).containsExactly("p/b");
            assertThat(listing.next()).containsExactly("p/c/1");
            assertThat(listing.more()).isFalse();
            assertThat(listing.next()).isNull();
        }
    }
}
