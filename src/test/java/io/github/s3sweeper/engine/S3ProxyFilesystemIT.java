package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.FailingKeysS3Client;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.DelegatingS3Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Scenarios that need exact ages or many objects: s3proxy's filesystem store reports a file's mtime as the
 * object's LastModified, so objects are written as files with the age each test wants.
 */
class S3ProxyFilesystemIT extends FilesystemS3Test {

    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final int DAYS = 30;
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(DAYS));
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private void put(String key, Instant lastModified) {
        put(key, "data of " + key, lastModified);
    }

    private SweepSummary sweep(S3Client client, String prefix, boolean dryRun) {
        return new Sweeper(client, CLOCK, SweepSettings.of(bucket, prefix, DAYS, dryRun), SweepListener.NONE).run();
    }

    @Test
    void serverReportsTheFileTimeToTheSecondAsS3Does() {
        put("logs/a", Instant.parse("2020-01-02T03:04:05.678Z"));

        assertThat(admin.listObjectsV2(b -> b.bucket(bucket)).contents().get(0).lastModified())
                .isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
    }

    @Test
    void deletesOneMillisecondOlderKeepsExactlyAtAndNewerThanCutoff() {
        Instant modified = CUTOFF.minusSeconds(3600);
        put("logs/a", modified);

        SweepSummary newer = sweepWithCutoff(modified.minusMillis(1));
        SweepSummary atCutoff = sweepWithCutoff(modified);
        assertThat(keys()).containsExactly("logs/a");
        SweepSummary older = sweepWithCutoff(modified.plusMillis(1));

        assertThat(newer.expired()).isZero();
        assertThat(atCutoff.expired()).isZero();
        assertThat(older.deleted()).isEqualTo(1);
        assertThat(keys()).isEmpty();
    }

    @Test
    void cutoffIsRetentionDaysBeforeTheClock() {
        put("logs/just-older", CUTOFF.minusSeconds(1));
        put("logs/at-cutoff", CUTOFF);
        put("logs/just-newer", CUTOFF.plusSeconds(1));

        SweepSummary summary = sweep(admin, "logs/", false);

        assertThat(keys()).containsExactly("logs/at-cutoff", "logs/just-newer");
        assertThat(summary.cutoff()).isEqualTo("2026-10-27T03:00:00Z");
        assertThat(summary.deleted()).isEqualTo(1);
    }

    private SweepSummary sweepWithCutoff(Instant cutoff) {
        Clock clock = Clock.fixed(cutoff.plus(Duration.ofDays(DAYS)), ZoneOffset.UTC);
        return new Sweeper(admin, clock, SweepSettings.of(bucket, "logs/", DAYS, false), SweepListener.NONE).run();
    }

    @Test
    void prefixWithoutSlashAlsoSweepsSiblingsAsS3Matches() {
        Instant old = CUTOFF.minusSeconds(60);
        put("logs/a", old);
        put("logs-old/b", old);
        put("log/c", old);

        sweep(admin, "logs", false);

        assertThat(keys()).containsExactly("log/c");
    }

    @ParameterizedTest(name = "{0} expired keys -> DeleteObjects of {1}")
    @CsvSource(delimiter = '|', value = {
            "0|''",
            "1|1",
            "999|999",
            "1000|1000",
            "1001|1000 1",
            "2500|1000 1000 500",
    })
    void sendsDeleteObjectsInBatchesOfAtMostOneThousand(int expired, String batches) {
        for (int i = 0; i < expired; i++) {
            put(String.format("logs/old/%05d", i), CUTOFF.minusSeconds(1 + i));
        }
        put("logs/young", NOW.minusSeconds(5));

        SweepSummary summary = sweep(watched, "logs/", false);

        List<Integer> expected = batches.isEmpty() ? List.of()
                : Arrays.stream(batches.split(" ")).map(Integer::valueOf).toList();
        assertThat(recorder.deleteBatchSizes()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(summary.deleteRequests()).isEqualTo(expected.size());
        assertThat(summary.deleted()).isEqualTo(expired);
        assertThat(summary.scanned()).isEqualTo(expired + 1);
        assertThat(keys()).containsExactly("logs/young");
    }

    @Test
    void perKeyFailuresAreCountedReportedAndEveryOtherBatchStillRuns() {
        for (int i = 0; i < 2500; i++) {
            put(String.format("logs/%05d", i), CUTOFF.minusSeconds(10));
        }
        Set<String> refused = Set.of("logs/00007", "logs/01500", "logs/02499");

        SweepFailedException failure = catchThrowableOfType(SweepFailedException.class,
                () -> sweep(new FailingKeysS3Client(watched, refused, 0, 0), "logs/", false));

        SweepSummary summary = failure.summary();
        // The refused keys never reach the server: one in each of the three batches of 1000, 1000 and 500.
        assertThat(recorder.deleteBatchSizes()).containsExactlyInAnyOrder(999, 999, 499);
        assertThat(summary.deleteRequests()).isEqualTo(3);
        assertThat(summary.expired()).isEqualTo(2500);
        assertThat(summary.deleted()).isEqualTo(2497);
        assertThat(summary.failed()).isEqualTo(3);
        // In the order S3 answered: the three batches are in flight together, so any order.
        assertThat(summary.errors()).extracting(KeyError::key).containsExactlyInAnyOrderElementsOf(refused);
        assertThat(summary.errors()).extracting(KeyError::code).containsOnly("AccessDenied");
        assertThat(summary.bytesDeleted()).isEqualTo(2497L * "data of logs/00000".length());
        assertThat(failure.getMessage()).isEqualTo("3 of the 2500 entries chosen under s3://" + bucket + "/logs/ could"
                + " not be deleted (AccessDenied ×3); the summary's errors name them; for AccessDenied the function's"
                + " role needs s3:DeleteObject on arn:aws:s3:::" + bucket + "/logs/*");
        assertThat(summary.failure()).isEqualTo(failure.getMessage());
        assertThat(keys()).isEqualTo(refused);
    }

    @Test
    void aDeleteRequestRefusedWholeCountsItsKeysAndTheOthersStillRun() {
        for (int i = 0; i < 2500; i++) {
            put(String.format("logs/%05d", i), CUTOFF.minusSeconds(10));
        }

        SweepFailedException failure = catchThrowableOfType(SweepFailedException.class,
                () -> sweep(new FailingKeysS3Client(watched, Set.of(), 2, 0), "logs/", false));

        SweepSummary summary = failure.summary();
        assertThat(summary.deleteRequests()).as("a permanent refusal is not sent again").isEqualTo(3);
        assertThat(summary.deleted()).isEqualTo(1500);
        assertThat(summary.failed()).isEqualTo(1000);
        assertThat(summary.errors()).hasSize(SweepSummary.MAX_ERRORS)
                .extracting(KeyError::code).containsOnly("AccessDenied");
        assertThat(keys()).hasSize(1000).allMatch(k -> k.compareTo("logs/01000") >= 0 && k.compareTo("logs/02000") < 0);
    }

    /** Fails the {@code n}th call of one kind once with a transient 5xx, then lets every call through. */
    private S3Client failingOnce(String kind, int n, int status, String code) {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        S3Exception transientError = (S3Exception) S3Exception.builder().statusCode(status).message(code)
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder().errorCode(code)
                        .errorMessage(code).build()).build();
        return new DelegatingS3Client(watched) {
            @Override
            public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
                if (kind.equals("delete") && calls.incrementAndGet() == n) {
                    throw transientError;
                }
                return super.deleteObjects(request);
            }

            @Override
            public software.amazon.awssdk.services.s3.model.ListObjectsV2Response listObjectsV2(
                    software.amazon.awssdk.services.s3.model.ListObjectsV2Request request) {
                if (kind.equals("list") && calls.incrementAndGet() == n) {
                    throw transientError;
                }
                return super.listObjectsV2(request);
            }
        };
    }

    @Test
    void aDeleteRequestThatFailsTransientlyIsSentAgainAndEveryKeyIsDeleted() {
        for (int i = 0; i < 2500; i++) {
            put(String.format("logs/%05d", i), CUTOFF.minusSeconds(10));
        }

        SweepSummary summary = sweep(failingOnce("delete", 2, 500, "InternalError"), "logs/", false);

        assertThat(summary.deleteRequests()).as("three batches, one of them twice").isEqualTo(4);
        assertThat(summary.deleted()).isEqualTo(2500);
        assertThat(summary.failed()).isZero();
        assertThat(keys()).isEmpty();
    }

    @Test
    void aListingPageThatFailsTransientlyIsRequestedAgainAndTheRunCompletes() {
        for (int i = 0; i < 2500; i++) {
            put(String.format("logs/%05d", i), i % 2 == 0 ? CUTOFF.minusSeconds(10) : NOW);
        }

        SweepSummary summary = sweep(failingOnce("list", 2, 503, "SlowDown"), "logs/", false);

        assertThat(summary.complete()).isTrue();
        assertThat(summary.scanned()).isEqualTo(2500);
        assertThat(summary.deleted()).isEqualTo(1250);
        assertThat(keys()).hasSize(1250);
    }

    @Test
    void aListingThatKeepsFailingTransientlyStopsAtTheBudgetInsteadOfFailing() {
        for (int i = 0; i < 2500; i++) {
            put(String.format("logs/%05d", i), CUTOFF.minusSeconds(10));
        }
        java.util.concurrent.atomic.AtomicInteger lists = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean spent = new java.util.concurrent.atomic.AtomicBoolean();
        S3Client slowingDown = new DelegatingS3Client(watched) {
            @Override
            public software.amazon.awssdk.services.s3.model.ListObjectsV2Response listObjectsV2(
                    software.amazon.awssdk.services.s3.model.ListObjectsV2Request request) {
                if (lists.incrementAndGet() >= 2) {
                    spent.set(lists.get() >= 4); // the budget runs out while the second page is being retried
                    throw (S3Exception) S3Exception.builder().statusCode(503).message("SlowDown")
                            .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                    .errorCode("SlowDown").errorMessage("Please reduce your request rate.").build())
                            .build();
                }
                return super.listObjectsV2(request);
            }
        };

        SweepSummary summary = new Sweeper(slowingDown, CLOCK, SweepSettings.of(bucket, "logs/", DAYS, false),
                SweepListener.NONE, spent::get, d -> { }).run();

        assertThat(summary.complete()).isFalse();
        assertThat(summary.stoppedBy()).isEqualTo(SweepSummary.TIME_BUDGET);
        assertThat(summary.failure()).isNull();
        assertThat(summary.resumeAfter()).isEqualTo("logs/00999");
        assertThat(summary.deleted()).isEqualTo(1000);
        assertThat(keys()).hasSize(1500).allMatch(k -> k.compareTo("logs/00999") > 0);
    }

    @Test
    void listingFailureHalfwayDeletesWhatWasDecidedAndReportsIt() {
        for (int i = 0; i < 2500; i++) {
            put(String.format("logs/%05d", i), i % 2 == 0 ? CUTOFF.minusSeconds(10) : NOW);
        }

        SweepFailedException failure = catchThrowableOfType(SweepFailedException.class,
                () -> sweep(new FailingKeysS3Client(watched, Set.of(), 0, 3), "logs/", false));

        SweepSummary summary = failure.summary();
        assertThat(failure.getMessage())
                .startsWith("Access denied (AccessDenied) to s3:ListBucket on arn:aws:s3:::" + bucket + ": the"
                        + " function's role needs s3:ListBucket for keys under \"logs/\"")
                .contains("Listing s3://" + bucket + "/logs/ stopped there: ")
                .contains("deleted 1000 of the 1000 entries chosen before it");
        assertThat(summary.listRequests()).as("two pages and the request that failed").isEqualTo(3);
        assertThat(summary.complete()).isFalse();
        assertThat(summary.resumeAfter()).isEqualTo("logs/01999");
        assertThat(summary.scanned()).isEqualTo(2000);
        assertThat(summary.deleted()).isEqualTo(1000);
        assertThat(recorder.deleteBatchSizes()).containsExactly(1000);
        assertThat(keys()).hasSize(1500).noneMatch(k -> k.compareTo("logs/02000") < 0 && Integer.parseInt(k.substring(5)) % 2 == 0);
    }

    @Test
    void failedKeysReportAtMostOneHundredErrorsButCountThemAll() {
        Set<String> refused = new TreeSet<>();
        for (int i = 0; i < 150; i++) {
            String key = String.format("logs/%03d", i);
            put(key, CUTOFF.minusSeconds(10));
            refused.add(key);
        }

        SweepFailedException failure = catchThrowableOfType(SweepFailedException.class,
                () -> sweep(new FailingKeysS3Client(watched, refused, 0, 0), "logs/", false));

        assertThat(failure.summary().failed()).isEqualTo(150);
        assertThat(failure.summary().errors()).hasSize(100);
        assertThat(failure.summary().deleted()).isZero();
    }

    @Test
    void anErrorForAKeyThatWasNotSentLeavesTheWholeBatchUnconfirmed() {
        for (int i = 0; i < 10; i++) {
            put(String.format("logs/%02d", i), CUTOFF.minusSeconds(10));
        }
        // A server that echoes a key in another form (here URL-encoded) must not make a failure disappear.
        S3Client rewriting = new DelegatingS3Client(watched) {
            @Override
            public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
                DeleteObjectsResponse real = super.deleteObjects(request);
                return real.toBuilder().errors(S3Error.builder().key("logs%2F03").code("InternalError")
                        .message("rewritten").build()).build();
            }
        };

        SweepFailedException failure = catchThrowableOfType(SweepFailedException.class,
                () -> sweep(rewriting, "logs/", false));

        SweepSummary summary = failure.summary();
        assertThat(summary.expired()).isEqualTo(10);
        assertThat(summary.deleted()).isZero();
        assertThat(summary.failed()).isEqualTo(10);
        assertThat(summary.bytesDeleted()).isZero();
        assertThat(summary.errors()).hasSize(10).extracting(KeyError::code).containsOnly("Unconfirmed");
        assertThat(summary.errors()).allSatisfy(error -> assertThat(error.message())
                .contains("error(s) for keys this request did not hold (first: logs%2F03 InternalError)"));
    }

    @Test
    void keysAServerListsOutsideThePrefixOrTwiceAreNeitherDeletedNorCountedTwice() {
        put("logs/a", CUTOFF.minusSeconds(10));
        put("logs-old/x", CUTOFF.minusSeconds(10));
        // A misbehaving server: page one also carries a key outside the prefix and the same key twice.
        S3Client misbehaving = new DelegatingS3Client(watched) {
            @Override
            public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
                ListObjectsV2Response real = super.listObjectsV2(request);
                List<S3Object> contents = new java.util.ArrayList<>(real.contents());
                contents.add(S3Object.builder().key("logs-old/x").lastModified(CUTOFF.minusSeconds(10)).size(1L).build());
                contents.add(contents.get(0));
                return real.toBuilder().contents(contents).build();
            }
        };

        SweepSummary summary = sweep(misbehaving, "logs/", false);

        assertThat(keys()).containsExactly("logs-old/x");
        assertThat(summary.expired()).isEqualTo(1);
        assertThat(summary.deleted()).isEqualTo(1);
        assertThat(recorder.deleteBatchSizes()).containsExactly(1);
    }

    @ParameterizedTest(name = "listConcurrency={0}")
    @ValueSource(ints = {1, 16})
    void aRunOutOfTimeStopsAfterAPageAndTheResumedRunFinishesWithoutDoubleCounting(int listConcurrency) {
        for (int i = 0; i < 2500; i++) {
            put(String.format("logs/%05d", i), i % 3 == 0 ? NOW : CUTOFF.minusSeconds(10));
        }
        java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
        Budget onePage = () -> checks.incrementAndGet() >= 1;
        SweepSettings settings = SweepSettings.of(bucket, "logs/", DAYS, false).toBuilder()
                .listConcurrency(listConcurrency).build();

        SweepSummary first = new Sweeper(watched, CLOCK, settings, SweepListener.NONE, onePage).run();

        assertThat(first.complete()).isFalse();
        assertThat(first.resumeAfter()).isEqualTo("logs/00999");
        // Listing ahead may have sent the next requests too; one chain sends only the one it used.
        assertThat(first.listRequests()).isBetween(1L, listConcurrency == 1 ? 1L : 1L + OrderedListing.PAGES_AHEAD + 1);
        assertThat(first.scanned()).isEqualTo(1000);
        assertThat(first.deleted()).isEqualTo(666);
        assertThat(keys()).filteredOn(k -> k.compareTo("logs/00999") <= 0).hasSize(334);

        SweepSummary rest = new Sweeper(watched, CLOCK, settings.toBuilder().startAfter(first.resumeAfter()).build(),
                SweepListener.NONE).run();

        assertThat(rest.complete()).isTrue();
        assertThat(rest.resumeAfter()).isNull();
        assertThat(rest.scanned()).isEqualTo(1500);
        assertThat(first.deleted() + rest.deleted()).isEqualTo(1666);
        assertThat(keys()).hasSize(834).allMatch(k -> Integer.parseInt(k.substring(5)) % 3 == 0);
    }

    @Test
    void aBudgetSpentOnTheLastPageStillCompletesTheRun() {
        put("logs/a", CUTOFF.minusSeconds(10));

        SweepSummary summary = new Sweeper(watched, CLOCK, SweepSettings.of(bucket, "logs/", DAYS, false),
                SweepListener.NONE, () -> true).run();

        assertThat(summary.complete()).isTrue();
        assertThat(summary.deleted()).isEqualTo(1);
    }

    @Test
    void keysRefusedWithSlowDownAreSentAgainWithBackoffUntilDeleted() {
        for (int i = 0; i < 1500; i++) {
            put(String.format("logs/%05d", i), CUTOFF.minusSeconds(10));
        }
        List<Duration> pauses = new java.util.ArrayList<>();
        S3Client throttling = new FailingKeysS3Client(watched, Set.of(),
                java.util.Map.of("logs/00007", 2, "logs/01200", 1), 0, 0);

        SweepSummary summary = new Sweeper(throttling, CLOCK, SweepSettings.of(bucket, "logs/", DAYS, false),
                SweepListener.NONE, Budget.UNLIMITED, pauses::add).run();

        assertThat(summary.deleted()).isEqualTo(1500);
        assertThat(summary.failed()).isZero();
        assertThat(summary.deleteRequests()).as("two batches, two retries of one key, one of another").isEqualTo(5);
        assertThat(recorder.deleteBatchSizes()).containsExactlyInAnyOrder(999, 1, 499, 1);
        assertThat(pauses).hasSize(3).allMatch(d -> !d.isNegative() && d.compareTo(Duration.ofSeconds(5)) <= 0);
        assertThat(keys()).isEmpty();
    }

    @Test
    void aKeyStillThrottledAfterTheRetriesIsReportedAsFailed() {
        put("logs/a", CUTOFF.minusSeconds(10));
        put("logs/b", CUTOFF.minusSeconds(10));
        S3Client throttling = new FailingKeysS3Client(watched, Set.of(), java.util.Map.of("logs/a", 100), 0, 0);

        SweepFailedException failure = catchThrowableOfType(SweepFailedException.class,
                () -> new Sweeper(throttling, CLOCK, SweepSettings.of(bucket, "logs/", DAYS, false),
                        SweepListener.NONE, Budget.UNLIMITED, d -> { }).run());

        assertThat(failure.summary().deleted()).isEqualTo(1);
        assertThat(failure.summary().failed()).isEqualTo(1);
        assertThat(failure.summary().errors()).extracting(KeyError::code).containsExactly("SlowDown");
        assertThat(failure.summary().deleteRequests()).as("the first request and a round for each retry")
                .isEqualTo(Retrying.ROUNDS);
        assertThat(keys()).containsExactly("logs/a");
    }

    @Test
    void overlappedDeletesLeaveExactlyWhatASequentialRunLeaves() {
        String sequentialBucket = bucket + "-seq";
        admin.createBucket(b -> b.bucket(sequentialBucket));
        for (int i = 0; i < 3500; i++) {
            String key = String.format("logs/%05d", i);
            Instant modified = i % 4 == 0 ? NOW : CUTOFF.minusSeconds(10 + i);
            server.putFile(bucket, key, "data " + i, modified);
            server.putFile(sequentialBucket, key, "data " + i, modified);
        }
        SweepSettings overlapped = SweepSettings.of(bucket, "logs/", DAYS, false).toBuilder().deleteConcurrency(8).build();
        SweepSettings sequential = SweepSettings.of(sequentialBucket, "logs/", DAYS, false).toBuilder()
                .deleteConcurrency(1).build();

        SweepSummary parallel = new Sweeper(watched, CLOCK, overlapped, SweepListener.NONE).run();
        SweepSummary plain = new Sweeper(admin, CLOCK, sequential, SweepListener.NONE).run();

        assertThat(keys()).isEqualTo(new java.util.TreeSet<>(S3TestClients.keys(admin, sequentialBucket)));
        java.util.Map<String, Object> parallelCounts = new java.util.HashMap<>(parallel.toMap());
        java.util.Map<String, Object> plainCounts = new java.util.HashMap<>(plain.toMap());
        for (String differs : List.of("bucket", "durationMs")) {
            parallelCounts.remove(differs);
            plainCounts.remove(differs);
        }
        assertThat(parallelCounts).isEqualTo(plainCounts);
        assertThat(parallel.deleted()).isEqualTo(2625);
        assertThat(recorder.deleteBatchSizes()).containsExactlyInAnyOrder(1000, 1000, 625);
    }

    @Test
    void noSenderOutlivesARunThatFailsOtherThanByS3() throws Exception {
        for (int i = 0; i < 2500; i++) {
            put(String.format("logs/%05d", i), CUTOFF.minusSeconds(10));
        }
        SweepListener failing = new SweepListener() {
            @Override
            public void onExpired(Target target) {
                if (target.key().equals("logs/02100")) {
                    throw new IllegalStateException("listener failed");
                }
            }
        };
        SweepSettings settings = SweepSettings.of(bucket, "logs/", DAYS, false).toBuilder().deleteConcurrency(4).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new Sweeper(watched, CLOCK, settings, failing).run()).hasMessage("listener failed");

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (senderThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(senderThreads()).isZero();
    }

    private static long senderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("s3-sweeper-delete") && t.isAlive()).count();
    }
}
