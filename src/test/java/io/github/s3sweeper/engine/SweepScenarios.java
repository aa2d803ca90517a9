package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.lambda.SweepHandler;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.RequestRecorder;
import io.github.s3sweeper.testing.S3TestClients;
import io.github.s3sweeper.testing.TwoAges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The S3 scenarios every server must pass: s3proxy in the test JVM, moto's standalone server, MinIO, LocalStack. Ages
 * come from upload rounds and the injectable clock ({@link TwoAges}), which works on any server.
 */
public abstract class SweepScenarios {

    protected static final int DAYS = 7;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    protected String bucket;
    protected S3Client admin;

    /** A client for this server, signed with credentials it accepts, carrying the given interceptors. */
    protected abstract S3Client client(ExecutionInterceptor... interceptors);

    /** The endpoint URL, as a user would put it in AWS_ENDPOINT_URL_S3. */
    protected abstract URI endpoint();

    @BeforeEach
    void createBucket() {
        admin = client();
        bucket = "sweep-" + getClass().getSimpleName().toLowerCase().replaceAll("[^a-z0-9]", "") + "-"
                + BUCKETS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
        admin.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    protected Set<String> keysInBucket() {
        return new TreeSet<>(S3TestClients.keys(admin, bucket));
    }

    protected SweepSummary sweep(String prefix, Clock clock, boolean dryRun, S3Client client, SweepListener listener) {
        return new Sweeper(client, clock, SweepSettings.of(bucket, prefix, DAYS, dryRun), listener).run();
    }

    private static Map<String, String> objects(String pattern, int count) {
        Map<String, String> objects = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            objects.put(String.format(pattern, i), "body of " + String.format(pattern, i));
        }
        return objects;
    }

    private static Map<String, String> merge(List<Map<String, String>> parts) {
        Map<String, String> all = new LinkedHashMap<>();
        parts.forEach(all::putAll);
        return all;
    }

    @Test
    void deletesExactlyTheExpiredObjectsUnderThePrefixAcrossPages() {
        Map<String, String> oldInside = merge(List.of(objects("logs/app/%04d.log", 900), objects("logs/db/%04d.log", 400)));
        Map<String, String> oldOutside = merge(List.of(objects("logs-old/%02d.log", 20), objects("other/logs/%02d", 5),
                Map.of("logsx", "x", "LOGS/upper", "u", "log", "l")));
        Map<String, String> young = merge(List.of(objects("logs/app/new-%04d.log", 1250), objects("logs-old/new-%02d", 5)));
        TwoAges ages = new TwoAges(admin, bucket).old(merge(List.of(oldInside, oldOutside))).young(young);
        Set<String> expectedLeft = new TreeSet<>(keysInBucket());
        expectedLeft.removeAll(oldInside.keySet());
        RequestRecorder recorder = new RequestRecorder();

        SweepSummary summary;
        try (S3Client client = client(recorder)) {
            summary = sweep("logs/", ages.clockFor(DAYS), false, client, SweepListener.NONE);
        }

        assertThat(keysInBucket()).isEqualTo(expectedLeft);
        assertThat(summary.scanned()).isEqualTo(2550);
        assertThat(summary.expired()).isEqualTo(1300);
        assertThat(summary.deleted()).isEqualTo(1300);
        assertThat(summary.failed()).isZero();
        assertThat(summary.bytesDeleted()).isEqualTo(TwoAges.totalBytes(oldInside.values()));
        // One delimited listing names app/ and db/; app/ takes 3 pages of its own and db/ one.
        assertThat(summary.listRequests()).isEqualTo(1 + 3 + 1);
        // Each sub-prefix fills batches of its own, so that deletes in flight reach different S3 partitions; what
        // is left in them at their end (app/ 900, db/ 400) goes out together.
        assertThat(recorder.deleteBatchSizes()).containsExactlyInAnyOrder(1000, 300);
        assertThat(summary.deleteRequests()).isEqualTo(2);
        assertThat(summary.cutoff()).isEqualTo(ages.cutoff().toString());
    }

    /**
     * A key of exactly {@code bytes} bytes for the scenario of keys that need care: one segment by default. A server
     * that caps the bytes between two slashes (MinIO stores each segment as a folder name) splits it into segments.
     */
    protected String longKey(int bytes) {
        return "k".repeat(bytes);
    }

    @Test
    void deletesKeysThatNeedCareExactly() {
        List<String> awkward = List.of("with space.txt", "plus+sign", "percent%20literal", "100%", "equals=sign&amp",
                "données/été ☃.txt", "folder/", "tilde~and'quote", "carriage\rreturn",
                longKey(1024 - "logs/".length()));
        Map<String, String> old = new LinkedHashMap<>();
        Map<String, String> young = new LinkedHashMap<>();
        for (String key : awkward) {
            old.put("logs/" + key, key);
            young.put("logs/n" + key.substring(1), key);
        }
        assertThat(old.keySet()).anyMatch(k -> k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length == 1024);
        TwoAges ages = new TwoAges(admin, bucket).old(old).young(young);

        SweepSummary summary = sweep("logs/", ages.clockFor(DAYS), false, admin, SweepListener.NONE);

        assertThat(keysInBucket()).isEqualTo(new TreeSet<>(young.keySet()));
        assertThat(summary.deleted()).isEqualTo(awkward.size());
        assertThat(summary.failed()).isZero();
    }

    @Test
    void deletesKeysThatXmlCannotCarryOneByOne() {
        Map<String, String> old = Map.of("logs/control\u0001char", "x", "logs/plain", "y");
        TwoAges ages = new TwoAges(admin, bucket).old(old).young(Map.of("logs/young\u0001key", "z"));
        RequestRecorder recorder = new RequestRecorder();

        SweepSummary summary;
        try (S3Client client = client(recorder)) {
            summary = sweep("logs/", ages.clockFor(DAYS), false, client, SweepListener.NONE);
        }

        assertThat(keysInBucket()).containsExactly("logs/young\u0001key");
        assertThat(summary.deleted()).isEqualTo(2);
        assertThat(recorder.operations()).containsSubsequence("DeleteObject", "DeleteObjects");
        assertThat(recorder.deleteBatchSizes()).containsExactly(1);
    }

    @Test
    void dryRunDeletesNothingAndReportsTheSetARealRunDeletes() {
        TwoAges ages = new TwoAges(admin, bucket)
                .old(merge(List.of(objects("logs/%03d", 120), objects("logs-old/%02d", 10))))
                .young(objects("logs/new-%03d", 30));
        Set<String> before = keysInBucket();
        Set<String> wouldDelete = new ConcurrentSkipListSet<>();
        SweepListener collect = new SweepListener() {
            @Override
            public void onExpired(Target target) {
                wouldDelete.add(target.key());
            }
        };
        RequestRecorder recorder = new RequestRecorder();

        SweepSummary dry;
        try (S3Client client = client(recorder)) {
            dry = sweep("logs/", ages.clockFor(DAYS), true, client, collect);
        }

        assertThat(keysInBucket()).isEqualTo(before);
        assertThat(recorder.operations()).doesNotContain("DeleteObjects", "DeleteObject");
        assertThat(dry.deleted()).isZero();
        assertThat(dry.deleteRequests()).isZero();
        assertThat(dry.expired()).isEqualTo(120).isEqualTo(wouldDelete.size());

        SweepSummary real = sweep("logs/", ages.clockFor(DAYS), false, admin, SweepListener.NONE);

        Set<String> removed = new TreeSet<>(before);
        removed.removeAll(keysInBucket());
        assertThat(removed).isEqualTo(wouldDelete);
        assertThat(real.deleted()).isEqualTo(dry.expired());
        assertThat(real.scanned()).isEqualTo(dry.scanned());
    }

    @Test
    void missingBucketFailsNamingBucketPrefixAndErrorCode() {
        new TwoAges(admin, bucket).old(objects("logs/%02d", 3));
        String missing = bucket + "-missing";
        RequestRecorder recorder = new RequestRecorder();

        SweepFailedException failure;
        try (S3Client client = client(recorder)) {
            failure = catchThrowableOfType(SweepFailedException.class, () -> new Sweeper(client, Clock.systemUTC(),
                    SweepSettings.of(missing, "logs/", 1, false), SweepListener.NONE).run());
        }

        assertThat(failure.getMessage()).contains("s3://" + missing + "/logs/").contains("NoSuchBucket");
        assertThat(failure.summary().deleted()).isZero();
        assertThat(recorder.operations()).doesNotContain("DeleteObjects");
        assertThat(keysInBucket()).hasSize(3);
    }

    @Test
    void emptyPrefixWithoutAllowWholeBucketFailsBeforeAnyRequest() {
        new TwoAges(admin, bucket).old(objects("logs/%02d", 3));
        Map<String, String> env = handlerEnv("");
        AtomicInteger clientsBuilt = new AtomicInteger();
        SweepHandler handler = new SweepHandler(env, Clock.systemUTC(), settings -> {
            clientsBuilt.incrementAndGet();
            return admin;
        }, new io.github.s3sweeper.testing.LogLines());

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), new io.github.s3sweeper.testing.TestContext()))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("PREFIX=\"\": empty, which would sweep the whole bucket");
        assertThat(clientsBuilt).hasValue(0);
        assertThat(keysInBucket()).hasSize(3);
    }

    @Test
    void wholeBucketSweepWhenExplicitlyAllowed() {
        TwoAges ages = new TwoAges(admin, bucket).old(objects("a/%02d", 4)).young(objects("b/%02d", 2));

        SweepSummary summary = sweep("", ages.clockFor(DAYS), false, admin, SweepListener.NONE);

        assertThat(keysInBucket()).containsExactly("b/00", "b/01");
        assertThat(summary.deleted()).isEqualTo(4);
    }

    /** Whether this server enforces Object Lock; no server inside the JVM does. */
    protected boolean enforcesObjectLock() {
        return true;
    }

    /** Places a cutoff just after everything written so far, and waits until S3's clock is a second past it. */
    private static Instant cutoffAfterNow() {
        Instant cutoff = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusMillis(1);
        try {
            Thread.sleep(Math.max(0, java.time.Duration.between(Instant.now(), cutoff.plusMillis(1050)).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return cutoff;
    }

    private String put(String key) {
        return admin.putObject(b -> b.bucket(bucket).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromString("body of " + key)).versionId();
    }

    private String deleteByKey(String key) {
        return admin.deleteObject(b -> b.bucket(bucket).key(key)).versionId();
    }

    /** Every version and delete marker as key@id, sorted. */
    private Set<String> versions() {
        Set<String> all = new TreeSet<>();
        admin.listObjectVersionsPaginator(b -> b.bucket(bucket)).forEach(page -> {
            page.versions().forEach(v -> all.add(v.key() + "@" + v.versionId()));
            page.deleteMarkers().forEach(m -> all.add(m.key() + "@" + m.versionId()));
        });
        return all;
    }

    private SweepSummary sweepVersions(Clock clock, int keepNoncurrent, boolean bypass, S3Client client) {
        return sweepVersions(clock, DAYS, keepNoncurrent, bypass, client);
    }

    private SweepSummary sweepVersions(Clock clock, int currentDays, int keepNoncurrent, boolean bypass,
                                       S3Client client) {
        SweepSettings settings = SweepSettings.builder(bucket, "logs/", io.github.s3sweeper.config.Age.ofDays(currentDays))
                .noncurrentDays(java.util.OptionalInt.of(DAYS))
                .keepNoncurrent(keepNoncurrent)
                .bypassGovernance(bypass)
                .build();
        return new Sweeper(client, clock, settings, SweepListener.NONE).run();
    }

    @Test
    void versionsListedBySubPrefixAreChosenAsByOneChain() {
        admin.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        for (String dir : List.of("a", "b", "c")) {
            for (int i = 0; i < 4; i++) {
                String key = "logs/" + dir + "/" + i;
                put(key);
                put(key);
                if (i % 2 == 0) {
                    deleteByKey(key);
                }
            }
        }
        put("logs/b.txt");
        put("logs/b.txt");
        put("other/x");
        Instant cutoff = cutoffAfterNow();
        put("logs/a/1");
        put("logs/c/3");
        Clock clock = Clock.fixed(cutoff.plus(java.time.Duration.ofDays(DAYS)), java.time.ZoneOffset.UTC);
        Map<Integer, List<String>> chosen = new LinkedHashMap<>();
        Map<Integer, SweepSummary> summaries = new LinkedHashMap<>();

        for (int listConcurrency : List.of(1, 8)) {
            List<String> ids = new java.util.ArrayList<>();
            SweepSettings settings = SweepSettings.builder(bucket, "logs/", io.github.s3sweeper.config.Age.ofDays(DAYS))
                    .noncurrentDays(java.util.OptionalInt.of(DAYS)).dryRun(true).listConcurrency(listConcurrency)
                    .build();
            summaries.put(listConcurrency, new Sweeper(admin, clock, settings, new SweepListener() {
                @Override
                public void onExpired(Target target) {
                    ids.add(target.key() + "@" + target.versionId());
                }
            }).run());
            chosen.put(listConcurrency, ids);
        }

        // Each noncurrent version, each expired marker and each current object, each once; sub-prefixes decided at
        // once choose them in another order.
        assertThat(chosen.get(8)).containsExactlyInAnyOrderElementsOf(chosen.get(1)).hasSize(24);
        assertThat(summaries.get(8).versionsScanned()).isEqualTo(summaries.get(1).versionsScanned()).isEqualTo(34);
        assertThat(summaries.get(8).expired()).isEqualTo(summaries.get(1).expired());
        assertThat(summaries.get(8).listRequests()).as("a discovery, then a, b and c").isEqualTo(4);
    }

    @Test
    void versionedBucketLosesNoncurrentVersionsByAgeAndThenItsExpiredDeleteMarkers() {
        admin.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        // Round A
        String a1 = put("logs/a");
        String c1 = put("logs/c");
        String e1 = put("logs/e");
        String eMarker = deleteByKey("logs/e");
        String old1 = put("logs/old");
        String x1 = put("out/x");
        String x2 = put("out/x");
        // Round B: a1 and c1 become noncurrent
        String a2 = put("logs/a");
        String cMarker = deleteByKey("logs/c");
        Instant cutoff = cutoffAfterNow();
        // Round C: a2 becomes noncurrent after the cutoff
        String a3 = put("logs/a");
        Clock clock = Clock.fixed(cutoff.plus(java.time.Duration.ofDays(DAYS)), java.time.ZoneOffset.UTC);
        assertThat(versions()).as("set-up: one version per request").containsExactlyInAnyOrder("logs/a@" + a1,
                "logs/a@" + a2, "logs/a@" + a3, "logs/c@" + c1, "logs/c@" + cMarker, "logs/e@" + e1,
                "logs/e@" + eMarker, "logs/old@" + old1, "out/x@" + x1, "out/x@" + x2);

        SweepSummary keepOne = sweepVersions(clock, 1, false, admin);

        assertThat(keepOne.versioning()).isEqualTo("Enabled");
        assertThat(keepOne.noncurrentDeleted()).as("only a1 has a newer noncurrent version").isEqualTo(1);
        assertThat(versions()).doesNotContain("logs/a@" + a1).contains("logs/c@" + c1, "logs/e@" + e1);
        // logs/old, current and older than the threshold, got a delete marker: its data stays as a noncurrent version.
        assertThat(keepOne.deleted()).isEqualTo(2);
        String oldMarker = versions().stream().filter(v -> v.startsWith("logs/old@") && !v.equals("logs/old@" + old1))
                .findFirst().orElseThrow();

        SweepSummary keepNone = sweepVersions(clock, 0, false, admin);

        assertThat(keepNone.noncurrentDeleted()).isEqualTo(2);
        assertThat(keepNone.deleteMarkersDeleted()).as("markers still have versions behind them").isZero();
        assertThat(versions()).containsExactlyInAnyOrder("logs/a@" + a3, "logs/a@" + a2, "logs/c@" + cMarker,
                "logs/e@" + eMarker, oldMarker, "logs/old@" + old1, "out/x@" + x1, "out/x@" + x2);

        SweepSummary markers = sweepVersions(clock, 0, false, admin);

        assertThat(markers.deleteMarkersDeleted()).isEqualTo(2);
        assertThat(markers.deleted()).isEqualTo(2);
        assertThat(versions()).containsExactlyInAnyOrder("logs/a@" + a3, "logs/a@" + a2, oldMarker,
                "logs/old@" + old1, "out/x@" + x1, "out/x@" + x2);
    }

    @Test
    void objectLockedVersionsAreCountedApartAndGovernanceCanBeBypassed() {
        org.junit.jupiter.api.Assumptions.assumeTrue(enforcesObjectLock(),
                "this server does not enforce Object Lock; the moto and LocalStack runs cover it");
        String locked = bucket + "-lock";
        admin.createBucket(b -> b.bucket(locked).objectLockEnabledForBucket(true));
        bucket = locked;
        Instant until = Instant.now().plus(java.time.Duration.ofDays(365)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        admin.putObject(b -> b.bucket(bucket).key("logs/governance").objectLockMode("GOVERNANCE")
                        .objectLockRetainUntilDate(until).checksumAlgorithm("CRC32"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("g"));
        admin.putObject(b -> b.bucket(bucket).key("logs/compliance").objectLockMode("COMPLIANCE")
                        .objectLockRetainUntilDate(until).checksumAlgorithm("CRC32"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("c"));
        admin.putObject(b -> b.bucket(bucket).key("logs/hold").objectLockLegalHoldStatus("ON")
                .checksumAlgorithm("CRC32"), software.amazon.awssdk.core.sync.RequestBody.fromString("h"));
        put("logs/free");
        for (String key : List.of("logs/governance", "logs/compliance", "logs/hold", "logs/free")) {
            put(key); // the locked versions become noncurrent
        }
        Clock clock = Clock.fixed(cutoffAfterNow().plus(java.time.Duration.ofDays(DAYS)), java.time.ZoneOffset.UTC);

        // Current versions are young by a 10-year threshold: only the noncurrent, locked ones are chosen.
        SweepSummary first = sweepVersions(clock, 3650, 0, false, admin);

        assertThat(first.noncurrentDeleted()).isEqualTo(1);
        assertThat(first.locked()).isEqualTo(3);
        assertThat(first.failed()).isZero();
        assertThat(first.lockedKeys()).extracting(io.github.s3sweeper.report.KeyError::key)
                .containsExactlyInAnyOrder("logs/governance", "logs/compliance", "logs/hold");

        SweepSummary bypassing = sweepVersions(clock, 3650, 0, true, admin);

        assertThat(bypassing.noncurrentDeleted()).as("governance yields to the bypass").isEqualTo(1);
        assertThat(bypassing.locked()).as("compliance and legal hold do not").isEqualTo(2);
        assertThat(versions()).filteredOn(v -> v.startsWith("logs/governance@")).hasSize(1);
    }

    /**
     * Two noncurrent versions of one key in one DeleteObjects, one under a legal hold: a server that leaves the version
     * id out of its per-key error (moto does) names both; sent again apart, each gets its own answer.
     */
    @Test
    void twoVersionsOfOneKeyInOneBatchOneLockedAreOneDeletedAndOneLocked() {
        org.junit.jupiter.api.Assumptions.assumeTrue(enforcesObjectLock(),
                "this server does not enforce Object Lock; the moto and LocalStack runs cover it");
        String locked = bucket + "-pair";
        admin.createBucket(b -> b.bucket(locked).objectLockEnabledForBucket(true));
        bucket = locked;
        admin.putObject(b -> b.bucket(bucket).key("logs/pair").objectLockLegalHoldStatus("ON")
                .checksumAlgorithm("CRC32"), software.amazon.awssdk.core.sync.RequestBody.fromString("held"));
        put("logs/pair"); // a second version, free, noncurrent after the next put
        put("logs/pair"); // the current one
        Clock clock = Clock.fixed(cutoffAfterNow().plus(java.time.Duration.ofDays(DAYS)), java.time.ZoneOffset.UTC);

        SweepSummary summary = sweepVersions(clock, 3650, 0, false, admin);

        assertThat(summary.failed()).as(String.valueOf(summary.errors())).isZero();
        assertThat(summary.noncurrentDeleted()).isEqualTo(1);
        assertThat(summary.locked()).isEqualTo(1);
        assertThat(versions()).filteredOn(v -> v.startsWith("logs/pair@")).hasSize(2);
    }

    /** The environment a deployed function would have, pointed at this server. */
    protected Map<String, String> handlerEnv(String prefix) {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", prefix);
        env.put("RETENTION_DAYS", String.valueOf(DAYS));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", endpoint().toString());
        return env;
    }
}
