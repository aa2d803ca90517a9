package io.github.s3sweeper.bench;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The benchmark's model S3 server, driven the way the contenders drive it: the AWS SDK v2 over HTTP (the
 * URLConnection client s3-sweeper uses, the SDK's default checksums, no retries so that a refusal shows), plus
 * raw HTTP where the exact bytes S3 writes matter.
 */
class ModelS3Test {

    private static final long DAY = 86_400_000L;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private ModelS3 server(ModelS3.Settings settings) throws Exception {
        ModelS3 server = ModelS3.start(settings);
        open.add(server);
        return server;
    }

    private S3Client client(ModelS3 server) {
        S3Client client = S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        open.add(client);
        return client;
    }

    private static void put(ModelBucket bucket, String... keys) {
        long now = System.currentTimeMillis();
        bucket.put(Arrays.stream(keys).map(k -> new ModelBucket.NewObject(k, now - DAY, 100, false)).toList());
    }

    private static List<String> keys(List<S3Object> objects) {
        return objects.stream().map(S3Object::key).toList();
    }

    private static List<String> prefixes(List<CommonPrefix> prefixes) {
        return prefixes.stream().map(CommonPrefix::prefix).toList();
    }

    private static String get(ModelS3 server, String pathAndQuery) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.endpoint() + pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return answer.body();
    }

    private static String post(ModelS3 server, String pathAndQuery) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.endpoint() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void listingV2RollsUpCommonPrefixesAndPagesByContinuationToken() throws Exception {
        ModelS3 server = server(ModelS3.Settings.INSTANT);
        put(server.bucket("b"), "t/a/1", "t/a/2", "t/b/1", "t/c", "t/d", "u/x", "t");
        S3Client s3 = client(server);

        ListObjectsV2Response all = s3.listObjectsV2(r -> r.bucket("b").prefix("t/").delimiter("/"));
        assertThat(prefixes(all.commonPrefixes())).containsExactly("t/a/", "t/b/");
        assertThat(keys(all.contents())).containsExactly("t/c", "t/d");
        assertThat(all.keyCount()).isEqualTo(4);
        assertThat(all.isTruncated()).isFalse();

        // One entry per page: a common prefix counts as one, and the token skips the keys it rolled up.
        List<String> entries = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket("b").prefix("t/").delimiter("/").maxKeys(1)
                    .continuationToken(t));
            entries.addAll(prefixes(page.commonPrefixes()));
            entries.addAll(keys(page.contents()));
            assertThat(page.keyCount()).isEqualTo(1);
            token = page.nextContinuationToken();
            assertThat(page.isTruncated()).isEqualTo(token != null);
            pages++;
        } while (token != null);
        assertThat(entries).containsExactly("t/a/", "t/b/", "t/c", "t/d");
        assertThat(pages).isEqualTo(4);

        assertThat(keys(s3.listObjectsV2(r -> r.bucket("b").prefix("t/").startAfter("t/a/1")).contents()))
                .containsExactly("t/a/2", "t/b/1", "t/c", "t/d");
        assertThat(keys(s3.listObjectsV2Paginator(r -> r.bucket("b").maxKeys(2)).contents().stream().toList()))
                .containsExactly("t", "t/a/1", "t/a/2", "t/b/1", "t/c", "t/d", "u/x");
        assertThatThrownBy(() -> s3.listObjectsV2(r -> r.bucket("b").continuationToken("not base64!")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                });
        assertThatThrownBy(() -> s3.listObjectsV2(r -> r.bucket("nope")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("NoSuchBucket"));
    }

    @Test
    void oddKeysComeBackIntactInByteOrderWithAndWithoutUrlEncoding() throws Exception {
        ModelS3 server = server(ModelS3.Settings.INSTANT);
        // U+FF01 sorts after the emoji in UTF-16 (a surrogate pair starts with 0xD83D) but before it in UTF-8
        // bytes, which is S3's order.
        List<String> odd = List.of("odd/a b+c", "odd/100%", "odd/line\rbreak", "odd/tab\there", "odd/ünï",
                "odd/x~y", "odd/&<>\"'", "odd/\uFF01", "odd/\uD83D\uDE00", "odd/a/b*c");
        put(server.bucket("b"), odd.toArray(String[]::new));
        S3Client s3 = client(server);
        List<String> byteOrder = odd.stream().sorted(Comparator.comparing(k -> k.getBytes(StandardCharsets.UTF_8),
                Arrays::compareUnsigned)).toList();

        assertThat(keys(s3.listObjectsV2(r -> r.bucket("b").prefix("odd/").encodingType(EncodingType.URL))
                .contents())).containsExactlyElementsOf(byteOrder);
        assertThat(keys(s3.listObjectsV2(r -> r.bucket("b").prefix("odd/")).contents()))
                .containsExactlyElementsOf(byteOrder);
        assertThat(keys(s3.listObjects(r -> r.bucket("b").prefix("odd/").encodingType(EncodingType.URL))
                .contents())).containsExactlyElementsOf(byteOrder);
        assertThat(prefixes(s3.listObjectsV2(r -> r.bucket("b").prefix("odd/a").delimiter("/")
                .encodingType(EncodingType.URL)).commonPrefixes())).containsExactly("odd/a/");

        // As S3 writes them: form encoding, a space as '+', '/' and '*' left alone, '~' encoded; unencoded, the
        // carriage return as a character reference so that an XML parser keeps it.
        String encoded = get(server, "/b?list-type=2&prefix=odd%2F&encoding-type=url");
        assertThat(encoded).contains("<Key>odd/a+b%2Bc</Key>", "<Key>odd/x%7Ey</Key>", "<Key>odd/line%0Dbreak</Key>",
                "<Key>odd/a/b*c</Key>", "<Key>odd/%C3%BCn%C3%AF</Key>", "<Prefix>odd/</Prefix>",
                "<EncodingType>url</EncodingType>");
        // A later fill merges its keys in: the odd keys must still be escaped where they moved to.
        server.bucket("b").fill("a/", 1000, 0, ModelBucket.Partitioning.PREFIX, 60 * DAY, DAY, 100);
        assertThat(get(server, "/b?list-type=2&prefix=odd%2F&encoding-type=url")).isEqualTo(encoded);
        String plain = get(server, "/b?list-type=2&prefix=odd%2F");
        assertThat(plain).contains("<Key>odd/line&#13;break</Key>", "<Key>odd/&amp;&lt;&gt;&quot;&apos;</Key>")
                .doesNotContain("EncodingType");

        HeadObjectResponse head = s3.headObject(r -> r.bucket("b").key("odd/a b+c"));
        assertThat(head.contentLength()).isEqualTo(100);
        DeleteObjectsResponse deleted = s3.deleteObjects(r -> r.bucket("b").delete(Delete.builder().objects(
                ObjectIdentifier.builder().key("odd/line\rbreak").build(),
                ObjectIdentifier.builder().key("odd/&<>\"'").build()).build()));
        assertThat(deleted.deleted()).extracting(DeletedObject::key)
                .containsExactlyInAnyOrder("odd/line\rbreak", "odd/&<>\"'");
        s3.deleteObject(r -> r.bucket("b").key("odd/\uD83D\uDE00"));
        s3.deleteObject(r -> r.bucket("b").key("odd/a b+c"));
        assertThat(keys(s3.listObjectsV2(r -> r.bucket("b").prefix("odd/").encodingType(EncodingType.URL))
                .contents())).containsExactlyElementsOf(byteOrder.stream().filter(k -> !k.contains("\r")
                && !k.contains("&") && !k.contains("\uD83D") && !k.equals("odd/a b+c")).toList());
    }

    @Test
    void listingV1PagesByMarkerAndGivesNextMarkerOnlyWithADelimiter() throws Exception {
        ModelS3 server = server(ModelS3.Settings.INSTANT);
        put(server.bucket("b"), "p/1", "p/2", "p/3", "p/s/1", "p/s/2", "p/t/1", "p/u");
        S3Client s3 = client(server);

        ListObjectsResponse first = s3.listObjects(r -> r.bucket("b").prefix("p/").maxKeys(3));
        assertThat(keys(first.contents())).containsExactly("p/1", "p/2", "p/3");
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.nextMarker()).isNull();
        ListObjectsResponse second = s3.listObjects(r -> r.bucket("b").prefix("p/").maxKeys(3).marker("p/3"));
        assertThat(keys(second.contents())).containsExactly("p/s/1", "p/s/2", "p/t/1");
        assertThat(second.marker()).isEqualTo("p/3");

        List<String> entries = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            ListObjectsResponse page = s3.listObjects(r -> r.bucket("b").prefix("p/").delimiter("/").maxKeys(2)
                    .marker(m));
            entries.addAll(keys(page.contents()));
            entries.addAll(prefixes(page.commonPrefixes()));
            if (page.isTruncated()) {
                assertThat(page.nextMarker()).isNotNull();
            }
            marker = page.isTruncated() ? page.nextMarker() : null;
        } while (marker != null);
        assertThat(entries).containsExactlyInAnyOrder("p/1", "p/2", "p/3", "p/s/", "p/t/", "p/u");
        assertThat(entries).hasSize(6);
        // Without a delimiter the client goes on from the last key it got.
        List<String> all = new ArrayList<>();
        ListObjectsResponse page;
        do {
            String m = all.isEmpty() ? null : all.get(all.size() - 1);
            page = s3.listObjects(r -> r.bucket("b").maxKeys(2).marker(m));
            all.addAll(keys(page.contents()));
        } while (page.isTruncated());
        assertThat(all).containsExactly("p/1", "p/2", "p/3", "p/s/1", "p/s/2", "p/t/1", "p/u");
    }

    @Test
    void deleteObjectsAnswersEveryKeyUnlessQuietAndRefusesMoreThanAThousand() throws Exception {
        ModelS3 server = server(ModelS3.Settings.INSTANT);
        put(server.bucket("b"), "k/1", "k/2", "k/3", "k/4");
        S3Client s3 = client(server);

        DeleteObjectsResponse loud = s3.deleteObjects(r -> r.bucket("b").delete(Delete.builder().objects(
                ObjectIdentifier.builder().key("k/1").build(), ObjectIdentifier.builder().key("k/absent").build())
                .build()));
        // S3 reports a key that was not there as deleted too: deletion is idempotent.
        assertThat(loud.deleted()).extracting(DeletedObject::key).containsExactlyInAnyOrder("k/1", "k/absent");
        assertThat(loud.errors()).isEmpty();
        DeleteObjectsResponse quiet = s3.deleteObjects(r -> r.bucket("b").delete(Delete.builder().quiet(true)
                .objects(ObjectIdentifier.builder().key("k/2").build()).build()));
        assertThat(quiet.deleted()).isEmpty();
        assertThat(quiet.errors()).isEmpty();
        assertThat(keys(s3.listObjectsV2(r -> r.bucket("b")).contents())).containsExactly("k/3", "k/4");
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("b").key("k/1")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));

        List<ObjectIdentifier> tooMany = IntStream.range(0, 1001)
                .mapToObj(i -> ObjectIdentifier.builder().key("k/" + i).build()).toList();
        assertThatThrownBy(() -> s3.deleteObjects(r -> r.bucket("b").delete(Delete.builder().objects(tooMany)
                .build())))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedXML");
                });
        assertThat(keys(s3.listObjectsV2(r -> r.bucket("b")).contents())).containsExactly("k/3", "k/4");
    }

    @Test
    void headObjectBucketVersioningAndLocationAnswerAsForAnUnversionedBucket() throws Exception {
        ModelS3 server = server(ModelS3.Settings.INSTANT);
        long modified = Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli();
        server.bucket("b").put(List.of(new ModelBucket.NewObject("x", modified, 1234, true)));
        S3Client s3 = client(server);

        HeadObjectResponse head = s3.headObject(r -> r.bucket("b").key("x"));
        assertThat(head.contentLength()).isEqualTo(1234);
        assertThat(head.lastModified()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(head.eTag()).matches("\"[0-9a-f]{32}\"");
        S3Object listed = s3.listObjectsV2(r -> r.bucket("b")).contents().get(0);
        assertThat(listed.eTag()).isEqualTo(head.eTag());
        assertThat(listed.lastModified()).isEqualTo(head.lastModified());
        assertThat(listed.size()).isEqualTo(1234);
        assertThat(get(server, "/b?list-type=2")).contains("<LastModified>2026-01-02T03:04:05.000Z</LastModified>",
                "<StorageClass>STANDARD</StorageClass>", "<ETag>&quot;");

        s3.headBucket(r -> r.bucket("b"));
        assertThat(s3.getBucketVersioning(r -> r.bucket("b")).status()).isNull();
        assertThat(s3.getBucketLocation(r -> r.bucket("b")).locationConstraintAsString()).isEmpty();
        assertThatThrownBy(() -> s3.headBucket(r -> r.bucket("nope")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.getBucketAcl(r -> r.bucket("b")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(501));
        assertThat(server.stats().unsupportedRequests()).containsEntry("GET /BUCKET?acl", 1L);
    }

    @Test
    void listingTakesTheRoundTripPlusThePageTimeAndOtherRequestsTheRoundTrip() throws Exception {
        ModelS3 server = server(new ModelS3.Settings(Duration.ofMillis(80), Duration.ofMillis(120), 0,
                Duration.ofSeconds(1)));
        put(server.bucket("b"), "a");
        S3Client s3 = client(server);
        s3.headObject(r -> r.bucket("b").key("a"));

        long started = System.nanoTime();
        s3.listObjectsV2(r -> r.bucket("b"));
        long listing = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        s3.headObject(r -> r.bucket("b").key("a"));
        long head = (System.nanoTime() - started) / 1_000_000;
        assertThat(listing).isBetween(200L, 1_000L);
        assertThat(head).isBetween(80L, 180L);
    }

    /** Three 300-key deletes sent at once, one per sub-prefix, at 1,000 keys/s per partition. */
    private static long[] threeDeletesAtOnce(ModelS3 server, S3Client s3, String bucket) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            s3.headBucket(r -> r.bucket(bucket));
            long started = System.nanoTime();
            List<CompletableFuture<Long>> done = new ArrayList<>();
            for (int sub = 0; sub < 3; sub++) {
                List<ObjectIdentifier> keys = new ArrayList<>();
                for (int i = sub * 300; i < sub * 300 + 300; i++) {
                    keys.add(ObjectIdentifier.builder().key(String.format("q/d%04d/%07d.bak", sub, i)).build());
                }
                done.add(CompletableFuture.supplyAsync(() -> {
                    s3.deleteObjects(r -> r.bucket(bucket).delete(Delete.builder().quiet(true).objects(keys)
                            .build()));
                    return (System.nanoTime() - started) / 1_000_000;
                }, pool));
            }
            return done.stream().mapToLong(CompletableFuture::join).sorted().toArray();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void deletesQueueOnOnePartitionAndRunSideBySideOnPartitionsPerSubPrefix() throws Exception {
        ModelS3 server = server(new ModelS3.Settings(Duration.ZERO, Duration.ZERO, 1000, Duration.ofSeconds(10)));
        server.bucket("one").fill("q/", 900, 3, ModelBucket.Partitioning.PREFIX, 60 * DAY, DAY, 100);
        server.bucket("split").fill("q/", 900, 3, ModelBucket.Partitioning.SUB_PREFIX, 60 * DAY, DAY, 100);
        S3Client s3 = client(server);

        long[] queued = threeDeletesAtOnce(server, s3, "one");
        // 900 keys through one partition at 1,000/s: the last answer cannot come before 0.9 s.
        assertThat(queued[2]).isGreaterThanOrEqualTo(880);
        assertThat(queued[0]).isGreaterThanOrEqualTo(280);
        long[] split = threeDeletesAtOnce(server, s3, "split");
        assertThat(split[0]).isGreaterThanOrEqualTo(280);
        assertThat(split[2]).isLessThan(700);
        assertThat(server.bucket("one").check("q/".getBytes(StandardCharsets.UTF_8)).oldPresent()).isZero();
    }

    @Test
    void slowDownRefusesADeletePastTheBacklogWhole() throws Exception {
        ModelS3 server = server(new ModelS3.Settings(Duration.ofMillis(10), Duration.ZERO, 1000,
                Duration.ofMillis(1500)));
        ModelBucket bucket = server.bucket("b");
        bucket.fill("s/", 2000, 2, ModelBucket.Partitioning.PREFIX, 60 * DAY, DAY, 100);
        bucket.throttling(ModelBucket.Throttling.SLOW_DOWN);
        S3Client s3 = client(server);
        s3.headBucket(r -> r.bucket("b"));
        server.stats().reset(1000);

        // Each takes 1 s of the partition's time; whichever arrives second would leave 2 s queued, past 1.5 s.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int sub = 0; sub < 2; sub++) {
            List<ObjectIdentifier> keys = new ArrayList<>();
            for (int i = sub * 1000; i < sub * 1000 + 1000; i++) {
                keys.add(ObjectIdentifier.builder().key(String.format("s/d%04d/%07d.bak", sub, i)).build());
            }
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    s3.deleteObjects(r -> r.bucket("b").delete(Delete.builder().quiet(true).objects(keys).build()));
                    return "deleted";
                } catch (S3Exception e) {
                    return e.statusCode() + " " + e.awsErrorDetails().errorCode() + " "
                            + e.awsErrorDetails().errorMessage();
                }
            }, pool));
        }
        List<String> outcomes = answers.stream().map(CompletableFuture::join).toList();
        pool.shutdown();
        assertThat(outcomes).containsExactlyInAnyOrder("deleted", "503 SlowDown Please reduce your request rate.");
        // The refused request deleted nothing: exactly one sub-prefix's 1,000 keys are gone.
        ModelBucket.Check check = bucket.check("s/".getBytes(StandardCharsets.UTF_8));
        assertThat(check.oldDeleted() + check.youngDeleted()).isEqualTo(1000);
        assertThat(server.stats().refused()).isEqualTo(1);
        assertThat(server.stats().requests("DeleteObjects")).isEqualTo(2);

        // Under the limit again once the queue has drained.
        s3.deleteObject(r -> r.bucket("b").key("s/d0000/0000000.bak"));
    }

    @Test
    void statsCountRequestsByOperationAndNoteWhenTheListingCarriedABatchOfOldKeys() throws Exception {
        ModelS3 server = server(ModelS3.Settings.INSTANT);
        server.bucket("b").fill("x/", 3000, 0, ModelBucket.Partitioning.PREFIX, 60 * DAY, DAY, 100);
        S3Client s3 = client(server);
        server.stats().reset(1000);

        ListObjectsV2Response first = s3.listObjectsV2(r -> r.bucket("b").prefix("x/"));
        // 500 old keys in the first page: not a batch yet.
        assertThat(server.stats().batchReadyMillis()).isEqualTo(-1);
        s3.listObjectsV2(r -> r.bucket("b").prefix("x/").continuationToken(first.nextContinuationToken()));
        assertThat(server.stats().batchReadyMillis()).isGreaterThanOrEqualTo(0);
        assertThat(server.stats().firstDeleteMillis()).isEqualTo(-1);
        s3.deleteObject(r -> r.bucket("b").key("x/0000000.bak"));
        s3.headObject(r -> r.bucket("b").key("x/0000001.bak"));
        assertThat(server.stats().firstDeleteMillis()).isGreaterThanOrEqualTo(server.stats().batchReadyMillis());
        // The same key again: S3 answers "deleted", the model counts it as a key that was already absent.
        s3.deleteObjects(r -> r.bucket("b").delete(d -> d.objects(o -> o.key("x/0000000.bak"),
                o -> o.key("x/0000002.bak"))));

        String json = server.stats().json();
        assertThat(json).contains("\"requests\":{\"DeleteObject\":1,\"DeleteObjects\":1,\"HeadObject\":1,"
                        + "\"ListObjectsV2\":2}", "\"requestsTotal\":5", "\"listedOldKeys\":1000",
                "\"deleteKeys\":3", "\"deletedObjects\":2", "\"deleteKeysAbsent\":1", "\"refused\":0");
        assertThat(json).containsPattern("\"cpuSeconds\":[0-9]+\\.[0-9]{3}");
        server.stats().reset(1000);
        assertThat(server.stats().json()).contains("\"requestsTotal\":0", "\"firstRequestMs\":-1");
    }

    @Test
    void fillCheckAndRestoreOverTheAdminEndpoints() throws Exception {
        ModelS3 server = server(ModelS3.Settings.INSTANT);
        String filled = post(server, "/__model/fill?bucket=a&prefix=backups%2F&objects=10000&subPrefixes=10"
                + "&partitions=sub-prefix&oldDays=60&youngDays=1");
        assertThat(filled).contains("\"objects\":10000", "\"old\":5000", "\"neighbours\":16", "\"keys\":10016");
        S3Client s3 = client(server);

        List<S3Object> listed = s3.listObjectsV2Paginator(r -> r.bucket("a").prefix("backups/")).contents()
                .stream().toList();
        assertThat(listed).hasSize(10_000);
        Instant cutoff = Instant.now().minus(Duration.ofDays(30));
        List<String> old = listed.stream().filter(o -> o.lastModified().isBefore(cutoff)).map(S3Object::key)
                .toList();
        assertThat(old).hasSize(5000).allMatch(k -> Integer.parseInt(k.substring(14, 21)) % 2 == 0);
        assertThat(prefixes(s3.listObjectsV2(r -> r.bucket("a").prefix("backups/").delimiter("/"))
                .commonPrefixes())).hasSize(10).first().isEqualTo("backups/d0000/");
        // The neighbours share "backups" without the slash, or lie before and after it.
        assertThat(keys(s3.listObjectsV2(r -> r.bucket("a").prefix("backups").delimiter("/")).contents()))
                .contains("backups", "backups.bak");
        assertThat(keys(s3.listObjectsV2(r -> r.bucket("a").maxKeys(1)).contents())).containsExactly("0-first.bak");

        for (int from = 0; from < old.size(); from += 1000) {
            List<ObjectIdentifier> batch = old.subList(from, from + 1000).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            s3.deleteObjects(r -> r.bucket("a").delete(Delete.builder().quiet(true).objects(batch).build()));
        }
        assertThat(get(server, "/__model/check?bucket=a&prefix=backups%2F")).isEqualTo("{\"oldPresent\":0,"
                + "\"youngPresent\":5000,\"oldDeleted\":5000,\"youngDeleted\":0,\"neighbours\":16,"
                + "\"neighboursPresent\":16,\"otherKeys\":16,\"otherPresent\":16}");
        post(server, "/__model/restore?bucket=a");
        assertThat(get(server, "/__model/check?bucket=a&prefix=backups%2F")).startsWith("{\"oldPresent\":5000,"
                + "\"youngPresent\":5000,\"oldDeleted\":0,");
        assertThat(get(server, "/__model/check?bucket=absent")).contains("\"error\"");
    }

    @Test
    void aMillionKeysListFromAnyStartByBinarySearch() throws Exception {
        ModelS3 server = server(ModelS3.Settings.INSTANT);
        server.bucket("m").fill("backups/", 1_000_000, 0, ModelBucket.Partitioning.PREFIX, 60 * DAY, DAY, 100);
        S3Client s3 = client(server);

        assertThat(keys(s3.listObjectsV2(r -> r.bucket("m").prefix("backups/").startAfter("backups/0765431.bak")
                .maxKeys(2)).contents())).containsExactly("backups/0765432.bak", "backups/0765433.bak");
        s3.deleteObject(r -> r.bucket("m").key("backups/0765432.bak"));
        assertThat(keys(s3.listObjectsV2(r -> r.bucket("m").prefix("backups/").startAfter("backups/0765431.bak")
                .maxKeys(2)).contents())).containsExactly("backups/0765433.bak", "backups/0765434.bak");
        ListObjectsV2Response last = s3.listObjectsV2(r -> r.bucket("m").prefix("backups/")
                .startAfter("backups/0999998.bak"));
        assertThat(keys(last.contents())).containsExactly("backups/0999999.bak");
        assertThat(last.isTruncated()).isFalse();
    }

    @Test
    void expectContinueChunkedAndAwsChunkedBodiesAreRead() throws Exception {
        ModelS3 server = server(ModelS3.Settings.INSTANT);
        put(server.bucket("b"), "c/1", "c/2", "c/3");
        HttpClient http = HttpClient.newHttpClient();
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"" + ModelS3.NAMESPACE
                + "\"><Object><Key>c/1</Key></Object></Delete>";

        // No length: the JDK client sends it chunked, after the server's 100 Continue.
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/b?delete"))
                .expectContinue(true).header("Authorization", "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/"
                        + "s3/aws4_request, SignedHeaders=host, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        body.getBytes(StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(chunked.body()).contains("<Deleted><Key>c/1</Key></Deleted>");

        String payload = body.replace("c/1", "c/2");
        String awsChunked = Integer.toHexString(payload.length()) + ";chunk-signature=abc\r\n" + payload
                + "\r\n0;chunk-signature=def\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
        HttpResponse<String> signed = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/b?delete"))
                .header("Content-Encoding", "aws-chunked")
                .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
                .POST(HttpRequest.BodyPublishers.ofString(awsChunked)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(signed.body()).contains("<Deleted><Key>c/2</Key></Deleted>");
        assertThat(get(server, "/b?list-type=2")).contains("<Key>c/3</Key>").doesNotContain("<Key>c/1</Key>",
                "<Key>c/2</Key>");
    }
}
