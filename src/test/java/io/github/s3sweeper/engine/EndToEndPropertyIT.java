package io.github.s3sweeper.engine;

import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.lambda.SweepHandler;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.rules.StoredObject;
import io.github.s3sweeper.testing.EmbeddedS3;
import io.github.s3sweeper.testing.FaultProxy;
import io.github.s3sweeper.testing.LogLines;
import io.github.s3sweeper.testing.RetentionModel;
import io.github.s3sweeper.testing.S3TestClients;
import io.github.s3sweeper.testing.TestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole engine, end to end, against the model: seeded random buckets of a few dozen objects with exact ages on
 * s3proxy's filesystem store, random rules and concurrency, and random transient faults from the fault proxy on
 * listing and deletes (SlowDown, InternalError, reset, cut body). Each case runs the real handler with the production
 * client, then compares what is left in the bucket, and the summary, with {@link RetentionModel}.
 */
class EndToEndPropertyIT {

    private static final int CASES = 40;
    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final int DAYS = 30;
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(DAYS));
    private static final String PREFIX = "p/";

    @TempDir
    static Path storage;
    private static EmbeddedS3 server;
    private static FaultProxy proxy;
    private static S3Client admin;

    @BeforeAll
    static void start() {
        server = EmbeddedS3.filesystemUnsigned(storage);
        proxy = FaultProxy.start(server.endpoint());
        admin = S3TestClients.client(server.endpoint(), "any", "any");
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        proxy.close();
        server.close();
    }

    private static String randomKey(Random random) {
        String[] roots = {"p/", "p/", "p/a/", "p/b/", "p/a/c/", "q/", "px/"};
        String[] names = {"x", "y", "db-keep", "w"};
        String[] suffixes = {".gz", ".log", ""};
        return roots[random.nextInt(roots.length)] + names[random.nextInt(names.length)] + random.nextInt(5)
                + suffixes[random.nextInt(suffixes.length)];
    }

    @Test
    void whatIsLeftAfterARunWithTransientFaultsIsWhatTheModelKeeps() {
        long injected = 0;
        for (long seed = 1; seed <= CASES; seed++) {
            Random random = new Random(seed);
            String bucket = "e2e-" + seed;
            admin.createBucket(b -> b.bucket(bucket));
            TreeMap<String, StoredObject> objects = new TreeMap<>();
            int count = 5 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                String key = randomKey(random);
                // Whole seconds, as S3 lists them; a few exactly at the cutoff, which stay.
                Instant modified = CUTOFF.plusSeconds(random.nextInt(7) - 4);
                int size = random.nextInt(12);
                if (objects.putIfAbsent(key, new StoredObject(key, modified, size)) == null) {
                    server.putFile(bucket, key, "x".repeat(size), modified);
                }
            }
            RetentionModel.Filter filter = RetentionModel.FILTERS.get(random.nextInt(RetentionModel.FILTERS.size()));
            int keepLatest = random.nextBoolean() ? 0 : random.nextInt(6);
            Map<String, String> env = new HashMap<>();
            env.put("BUCKET_NAME", bucket);
            env.put("PREFIX", PREFIX);
            env.put("RETENTION_DAYS", String.valueOf(DAYS));
            env.put("INCLUDE", filter.include());
            env.put("EXCLUDE", filter.exclude());
            env.put("KEEP_LATEST", String.valueOf(keepLatest));
            env.put("LIST_CONCURRENCY", random.nextBoolean() ? "1" : "16");
            env.put("DELETE_CONCURRENCY", random.nextBoolean() ? "1" : "4");
            env.put("S3_ATTEMPT_TIMEOUT", "2s");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", "any");
            env.put("AWS_SECRET_ACCESS_KEY", "any");
            proxy.reset();
            double rate = 0.3 + random.nextDouble() * 0.3;
            for (FaultProxy.Kind kind : List.of(FaultProxy.Kind.LIST, FaultProxy.Kind.DELETE)) {
                for (FaultProxy.Fault fault : List.of(FaultProxy.Fault.SLOW_DOWN, FaultProxy.Fault.INTERNAL_ERROR,
                        FaultProxy.Fault.RESET, FaultProxy.Fault.CUT_BODY)) {
                    FaultProxy.Plan plan = FaultProxy.Plan.rate(rate / 2, seed * 31 + fault.ordinal());
                    proxy.inject(FaultProxy.Rule.of(kind, fault, plan));
                }
            }
            String settings = String.format("seed %d: %d objects, include \"%s\", exclude \"%s\", keepLatest %d,"
                            + " LIST_CONCURRENCY %s, DELETE_CONCURRENCY %s, faults at %.2f", seed, objects.size(),
                    filter.include(), filter.exclude(), keepLatest, env.get("LIST_CONCURRENCY"),
                    env.get("DELETE_CONCURRENCY"), rate);

            SweepSummary summary = new SweepHandler(env, Clock.fixed(NOW, ZoneOffset.UTC), S3ClientFactory::create,
                    new LogLines()).handleRequest(Map.of(), new TestContext());

            List<String> chosen = RetentionModel.chosen(new ArrayList<>(objects.values()), PREFIX, CUTOFF, filter, 0,
                    Long.MAX_VALUE, keepLatest);
            Set<String> expectedLeft = new TreeSet<>(objects.keySet());
            chosen.forEach(expectedLeft::remove);
            assertThat(new TreeSet<>(S3TestClients.keys(admin, bucket))).as(settings + "; " + proxy.describe())
                    .isEqualTo(expectedLeft);
            assertThat(summary.complete()).as(settings).isTrue();
            assertThat(summary.failed()).as(settings).isZero();
            assertThat(summary.deleted()).as(settings).isEqualTo(chosen.size());
            assertThat(summary.expired()).as(settings).isEqualTo(chosen.size());
            assertThat(summary.scanned()).as(settings)
                    .isEqualTo(objects.keySet().stream().filter(k -> k.startsWith(PREFIX)).count());
            injected += proxy.injected();
        }
        assertThat(injected).as("faults the runs had to survive").isGreaterThan(CASES / 2);
    }
}
