package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.SweepProgress;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.DelegatingS3Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Sub-prefixes listed concurrently against one chain, on twin buckets that hold the same keys with the same
 * LastModified: the same entries chosen in the same order, the same deleted set, the same counts.
 */
class ParallelListingIT extends FilesystemS3Test {

    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final int DAYS = 30;
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(DAYS));
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private String twin;

    @BeforeEach
    void createTwin() {
        twin = bucket + "-twin";
        admin.createBucket(b -> b.bucket(twin));
    }

    /**
     * Keys directly under the prefix between sub-prefixes, a sub-prefix of several pages, nested levels, many small
     * sub-prefixes (but not so many and so small that listing falls back to one chain), names that need URL encoding, and neighbours outside the prefix; ages random around the cutoff.
     */
    private Map<String, Instant> layout() {
        Random random = new Random(4L);
        Map<String, Instant> objects = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(List.of("logs/readme", "logs/a.txt", "logs/app.tar", "logs/z",
                "logs/sp ace/x", "logs/ü/y", "logs/a+b/c", "logs/100%/d", "logs-old/1", "logsx", "other/logs/1"));
        for (int i = 0; i < 2300; i++) {
            keys.add(String.format("logs/app/%05d.log", i));
        }
        for (int i = 0; i < 400; i++) {
            keys.add(String.format("logs/db/%04d.dump", i));
        }
        for (int i = 0; i < 150; i++) {
            keys.add(String.format("logs/db/2026/%03d.dump", i));
        }
        for (int d = 0; d < 20; d++) {
            for (int i = 0, n = 20 + random.nextInt(60); i < n; i++) {
                keys.add(String.format("logs/day-%02d/%02d.gz", d, i));
            }
        }
        for (String key : keys) {
            int pick = random.nextInt(10);
            Instant modified = pick == 0 ? CUTOFF : CUTOFF.plusSeconds(random.nextInt(7200) - 3600L);
            objects.put(key, modified);
        }
        return objects;
    }

    private void fillBoth(Map<String, Instant> objects) {
        objects.forEach((key, modified) -> {
            server.putFile(bucket, key, "body of " + key, modified);
            server.putFile(twin, key, "body of " + key, modified);
        });
    }

    private record Run(SweepSummary summary, List<String> chosen) {
    }

    private Run sweep(S3Client client, String name, int listConcurrency, UnaryOperator<SweepSettings.Builder> more) {
        List<String> chosen = Collections.synchronizedList(new ArrayList<>());
        SweepListener listener = new SweepListener() {
            @Override
            public void onExpired(Target target) {
                chosen.add(target.key());
            }
        };
        SweepSettings settings = more.apply(SweepSettings.of(name, "logs/", DAYS, false).toBuilder()
                .listConcurrency(listConcurrency)).build();
        return new Run(new Sweeper(client, CLOCK, settings, listener).run(), chosen);
    }

    /**
     * The report without what may differ between equal runs: request counts (sub-prefixes decided at once fill
     * batches of their own), duration and the bucket's name.
     */
    private static Map<String, Object> comparable(SweepSummary summary) {
        Map<String, Object> fields = new LinkedHashMap<>(summary.toMap());
        fields.remove("bucket");
        fields.remove("listRequests");
        fields.remove("deleteRequests");
        fields.remove("durationMs");
        return fields;
    }

    private Set<String> keysOf(String name) {
        return new TreeSet<>(S3TestClients.keys(admin, name));
    }

    @Test
    void concurrentSubPrefixesDeleteTheSameEntriesWithTheSameCounts() {
        fillBoth(layout());

        Run sequential = sweep(admin, bucket, 1, b -> b);
        Run parallel = sweep(watched, twin, 16, b -> b);

        assertThat(parallel.chosen()).containsExactlyInAnyOrderElementsOf(sequential.chosen()).isNotEmpty();
        assertThat(comparable(parallel.summary())).isEqualTo(comparable(sequential.summary()));
        assertThat(keysOf(twin)).isEqualTo(keysOf(bucket)).contains("logs-old/1", "logsx", "other/logs/1");
        assertThat(keysOf(twin)).noneMatch(k -> k.startsWith("logs/") && parallel.chosen().contains(k));
        assertThat(parallel.summary().deleted()).isEqualTo(parallel.chosen().size());
        // What the sub-prefixes' batches hold when they end goes out together: one request more at most.
        assertThat(parallel.summary().deleteRequests()).isBetween(sequential.summary().deleteRequests(),
                sequential.summary().deleteRequests() + 1);
    }

    @Test
    void progressReadDuringAConcurrentRunNeverGoesBackNorShowsMoreSentThanChosenAndEndsAtTheSummarysCounts()
            throws InterruptedException {
        layout().forEach((key, modified) -> server.putFile(bucket, key, "body of " + key, modified));
        SweepSettings settings = SweepSettings.of(bucket, "logs/", DAYS, false).toBuilder().listConcurrency(16).build();
        Sweeper sweeper = new Sweeper(watched, CLOCK, settings, SweepListener.NONE);
        List<SweepProgress> samples = new ArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!ended.get()) {
                samples.add(sweeper.progress());
                LockSupport.parkNanos(200_000);
            }
        });

        reader.start();
        SweepSummary summary;
        try {
            summary = sweeper.run();
        } finally {
            ended.set(true);
            reader.join();
        }

        assertThat(samples).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p.deleted() + p.failed())
                .isLessThanOrEqualTo(p.expired()).isLessThanOrEqualTo(p.scanned()));
        for (int i = 1; i < samples.size(); i++) {
            SweepProgress before = samples.get(i - 1);
            SweepProgress after = samples.get(i);
            assertThat(after.scanned()).isGreaterThanOrEqualTo(before.scanned());
            assertThat(after.expired()).isGreaterThanOrEqualTo(before.expired());
            assertThat(after.deleted()).isGreaterThanOrEqualTo(before.deleted());
        }
        assertThat(sweeper.progress()).satisfies(last -> {
            assertThat(last.scanned()).isEqualTo(summary.scanned());
            assertThat(last.expired()).isEqualTo(summary.expired()).isPositive();
            assertThat(last.deleted()).isEqualTo(summary.deleted());
            assertThat(last.failed()).isZero();
        });
        assertThat(sweeper.progress().elapsed()).as("the clock stops with the run")
                .isEqualTo(sweeper.progress().elapsed());
    }

    @Test
    void listsEverySubPrefixPagePlusOneDiscoveryRequest() {
        fillBoth(layout());

        Run sequential = sweep(admin, bucket, 1, b -> b.dryRun(true));
        Run parallel = sweep(admin, twin, 16, b -> b.dryRun(true));

        long scanned = sequential.summary().scanned();
        assertThat(sequential.summary().listRequests()).isEqualTo((scanned + 999) / 1000);
        // One delimited request for the direct keys and the 26 sub-prefix names, then per sub-prefix: app/ 3
        // pages, db/ 1 (its 2026/ inside), and one each for the 20 day-NN/ and the 4 encoded ones.
        assertThat(parallel.summary().listRequests()).isEqualTo(1 + 3 + 1 + 20 + 4);
        assertThat(comparable(parallel.summary())).isEqualTo(comparable(sequential.summary()));
    }

    @Test
    void keepNewestCapAndFiltersChooseTheSameEntries() {
        fillBoth(layout());
        UnaryOperator<SweepSettings.Builder> rules = b -> b.keepLatest(2500).maxDeletes(java.util.OptionalLong.of(300))
                .exclude(List.of(io.github.s3sweeper.rules.Glob.compile("db/2026/**")));

        Run sequential = sweep(admin, bucket, 1, rules);
        Run parallel = sweep(watched, twin, 16, rules);

        assertThat(parallel.chosen()).isEqualTo(sequential.chosen()).hasSize(300);
        assertThat(parallel.summary().keptLatest()).isPositive();
        assertThat(parallel.summary().leftByCap()).isPositive();
        assertThat(comparable(parallel.summary())).isEqualTo(comparable(sequential.summary()));
        assertThat(keysOf(twin)).isEqualTo(keysOf(bucket));
    }

    @Test
    void aRunResumedInsideASubPrefixMatchesOneChainResumedThere() {
        fillBoth(layout());
        UnaryOperator<SweepSettings.Builder> resume = b -> b.startAfter("logs/app/01234.log");

        Run sequential = sweep(admin, bucket, 1, resume);
        Run parallel = sweep(watched, twin, 16, resume);

        assertThat(parallel.chosen()).containsExactlyInAnyOrderElementsOf(sequential.chosen())
                .allMatch(k -> k.compareTo("logs/app/01234.log") > 0);
        assertThat(comparable(parallel.summary())).isEqualTo(comparable(sequential.summary()));
        assertThat(keysOf(twin)).isEqualTo(keysOf(bucket)).contains("logs/a.txt", "logs/app/00000.log");
    }

    @Test
    void runsStoppedByTheTimeBudgetAndResumedEndWhereOneFullRunEnds() {
        fillBoth(layout());
        Run full = sweep(admin, bucket, 1, b -> b);
        long scanned = 0;
        long deleted = 0;
        int runs = 0;
        String resumeAfter = null;
        do {
            AtomicInteger pages = new AtomicInteger();
            Budget threePages = () -> pages.incrementAndGet() >= 3;
            SweepSettings settings = SweepSettings.of(twin, "logs/", DAYS, false).toBuilder().startAfter(resumeAfter)
                    .build();
            SweepSummary part = new Sweeper(watched, CLOCK, settings, SweepListener.NONE, threePages).run();
            scanned += part.scanned();
            deleted += part.deleted();
            resumeAfter = part.resumeAfter();
            runs++;
            assertThat(part.complete()).isEqualTo(resumeAfter == null);
        } while (resumeAfter != null && runs < 100);

        assertThat(runs).isGreaterThan(2);
        assertThat(keysOf(twin)).isEqualTo(keysOf(bucket));
        // Sub-prefixes after the resume point that finished before the stop are listed again by the next run, which
        // finds what they deleted gone: deletions are counted once, listings may be counted twice.
        assertThat(deleted).isEqualTo(full.summary().deleted());
        assertThat(scanned).isGreaterThanOrEqualTo(full.summary().scanned());
    }

    @Test
    void aSubPrefixThatFailsToListStopsTheRunAfterEverythingBeforeIt() {
        fillBoth(layout());
        S3Client failingDb = new DelegatingS3Client(watched) {
            @Override
            public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
                if ("logs/db/".equals(request.prefix())) {
                    // Permanent: a transient one would be sent again until it succeeded.
                    throw (S3Exception) S3Exception.builder().statusCode(403).message("Access Denied")
                            .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                    .errorCode("AccessDenied").errorMessage("Access Denied").build())
                            .build();
                }
                return super.listObjectsV2(request);
            }
        };
        Run sequential = sweep(admin, bucket, 1, b -> b);
        Set<String> chosenBeforeDb = new TreeSet<>();
        sequential.chosen().stream().filter(k -> k.compareTo("logs/db/") < 0).forEach(chosenBeforeDb::add);

        SweepFailedException failure = catchThrowableOfType(SweepFailedException.class,
                () -> new Sweeper(failingDb, CLOCK, SweepSettings.of(twin, "logs/", DAYS, false), SweepListener.NONE)
                        .run());

        assertThat(failure.getMessage()).startsWith("Access denied (AccessDenied) to s3:ListBucket");
        assertThat(failure.summary().complete()).isFalse();
        assertThat(failure.summary().resumeAfter()).isEqualTo(lastKeyBefore("logs/db/"));
        Set<String> left = keysOf(twin);
        assertThat(left).doesNotContainAnyElementsOf(chosenBeforeDb);
        assertThat(left).as("nothing under db/ is touched")
                .containsAll(layout().keySet().stream().filter(k -> k.startsWith("logs/db/")).toList());
        // Sub-prefixes after db/ listed at the same time may have finished: what they deleted is what the
        // report counts, and only what one chain chooses.
        Set<String> gone = new TreeSet<>(layout().keySet());
        gone.removeAll(left);
        assertThat(gone).isSubsetOf(sequential.chosen()).containsAll(chosenBeforeDb);
        assertThat(failure.summary().deleted()).isEqualTo(gone.size());
    }

    @Test
    void manyTinySubPrefixesFallBackToOneChainWithTheSameResult() {
        Map<String, Instant> objects = new LinkedHashMap<>();
        for (int d = 0; d < 400; d++) {
            objects.put(String.format("logs/%03d/a", d), CUTOFF.minusSeconds(d % 2 == 0 ? 60 : -60));
            objects.put(String.format("logs/%03d/b", d), CUTOFF.minusSeconds(60));
        }
        fillBoth(objects);

        Run sequential = sweep(admin, bucket, 1, b -> b);
        Run parallel = sweep(watched, twin, 16, b -> b);

        assertThat(parallel.chosen()).containsExactlyInAnyOrderElementsOf(sequential.chosen()).hasSize(600);
        assertThat(comparable(parallel.summary())).isEqualTo(comparable(sequential.summary()));
        assertThat(keysOf(twin)).isEqualTo(keysOf(bucket)).hasSize(200);
        // One request per sub-prefix would be 400 and more; after a few dozen the rest goes 1,000 keys a page.
        assertThat(parallel.summary().listRequests()).isLessThan(60);
    }

    private String lastKeyBefore(String boundary) {
        String last = null;
        for (String key : layout().keySet().stream().sorted(Keys::compare).toList()) {
            if (key.startsWith("logs/") && Keys.compare(key, boundary) < 0) {
                last = key;
            }
        }
        return last;
    }
}
