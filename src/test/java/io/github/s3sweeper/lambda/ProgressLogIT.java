package io.github.s3sweeper.lambda;

import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.testing.EmbeddedS3;
import io.github.s3sweeper.testing.FaultProxy;
import io.github.s3sweeper.testing.FaultProxy.Kind;
import io.github.s3sweeper.testing.FaultProxy.Plan;
import io.github.s3sweeper.testing.FaultProxy.Rule;
import io.github.s3sweeper.testing.LogLines;
import io.github.s3sweeper.testing.TestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler's progress lines on a run made long on purpose: the embedded S3 server behind the fault proxy, which
 * holds the answer to the first DeleteObjects request (the server deletes at once; the client waits for the hold).
 */
class ProgressLogIT {

    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration HOLD = Duration.ofMillis(1500);
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @TempDir
    static Path storage;
    private static EmbeddedS3 server;
    private static FaultProxy proxy;

    private final LogLines log = new LogLines();
    private String bucket;

    @BeforeAll
    static void start() {
        server = EmbeddedS3.filesystemUnsigned(storage);
        proxy = FaultProxy.start(server.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        server.close();
    }

    @BeforeEach
    void fillBucket() {
        proxy.reset();
        bucket = "progress-" + BUCKETS.incrementAndGet();
        try (S3Client admin = server.client()) {
            admin.createBucket(b -> b.bucket(bucket));
        }
        for (int i = 0; i < 5; i++) {
            server.putFile(bucket, "backups/old-" + i, "old", NOW.minus(Duration.ofDays(31)));
            server.putFile(bucket, "backups/new-" + i, "new", NOW.minus(Duration.ofDays(29)));
        }
    }

    private Map<String, String> env() {
        return Map.of("BUCKET_NAME", bucket, "PREFIX", "backups/", "RETENTION_DAYS", "30", "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());
    }

    private void runWithDeletesHeld(Duration interval) {
        proxy.inject(Rule.stall(Kind.DELETE, Plan.first(1), HOLD));
        new SweepHandler(env(), CLOCK, S3ClientFactory::create, log, interval).handleRequest(Map.of(), new TestContext());
    }

    @Test
    void aRunLongerThanTheIntervalLogsItsCountsAtInfoWhileItWaitsForItsDeletes() {
        runWithDeletesHeld(INTERVAL);

        List<Map<String, Object>> progress = log.events("progress");
        assertThat(progress).hasSizeGreaterThanOrEqualTo(3).allSatisfy(line -> assertThat(line)
                .containsEntry("level", "INFO")
                .containsKeys("scanned", "expired", "deleted", "failed", "objectsPerSecond", "elapsedMs")
                .containsEntry("sweep", bucket + "/backups/"));
        assertThat(progress).anySatisfy(line -> assertThat(line)
                .containsEntry("scanned", 10).containsEntry("expired", 5).containsEntry("deleted", 0)
                .containsEntry("failed", 0)
                .hasEntrySatisfying("message", m -> assertThat((String) m)
                        .startsWith("scanned 10  chosen 5  deleted 0  failed 0  ")));
    }

    @Test
    void noProgressLineFollowsTheSummary() throws InterruptedException {
        runWithDeletesHeld(INTERVAL);
        Thread.sleep(INTERVAL.multipliedBy(5).toMillis());

        List<Map<String, Object>> lines = log.records();
        assertThat(lines).extracting(line -> line.get("event")).contains("progress").last().isEqualTo("summary");
    }

    @Test
    void aRunShorterThanTheIntervalLogsNoProgress() {
        runWithDeletesHeld(HOLD.multipliedBy(10));

        assertThat(log.events("summary")).hasSize(1);
        assertThat(log.events("progress")).isEmpty();
    }
}
