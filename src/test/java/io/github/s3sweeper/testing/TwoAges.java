package io.github.s3sweeper.testing;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives uploaded objects two ages on any S3 server, without touching its clock: an "old" round is uploaded, the
 * cutoff is placed just after it, and the "new" round is uploaded once the wall clock is a full second past the
 * cutoff (S3 truncates LastModified to the second). A sweep whose clock reads cutoff + N days then sees the old
 * round as strictly older than N days and the new round as younger. Costs one second of waiting per scenario.
 */
public final class TwoAges {

    private final S3Client s3;
    private final String bucket;
    private Instant cutoff;

    public TwoAges(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** Uploads the old round (key to body) and fixes the cutoff just after it. */
    public TwoAges old(Map<String, String> objects) {
        putAll(objects);
        cutoff = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusMillis(1);
        return this;
    }

    /** Waits until a full second past the cutoff, then uploads the new round. */
    public TwoAges young(Map<String, String> objects) {
        long wait = Duration.between(Instant.now(), cutoff.plusMillis(1_050)).toMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        putAll(objects);
        return this;
    }

    public Instant cutoff() {
        return cutoff;
    }

    /** The clock of a run for which exactly the old round is older than {@code retentionDays}. */
    public Clock clockFor(int retentionDays) {
        return Clock.fixed(cutoff.plus(Duration.ofDays(retentionDays)), ZoneOffset.UTC);
    }

    private void putAll(Map<String, String> objects) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>(objects.size());
            objects.forEach((key, body) -> puts.add(pool.submit(() ->
                    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)))));
            for (Future<?> put : puts) {
                put.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("upload to " + bucket + " failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    public static long totalBytes(Collection<String> bodies) {
        return bodies.stream().mapToLong(b -> b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
    }
}
