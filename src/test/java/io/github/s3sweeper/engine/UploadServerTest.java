package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.Age;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.rules.IncompleteUpload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * What the incomplete-upload tests share: one bucket per test on a real server, real multipart uploads (created, a
 * part uploaded), the server's own listing of them, and settings and clocks for ABORT_INCOMPLETE_UPLOADS_AFTER.
 */
public abstract class UploadServerTest {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    static final Duration AFTER = Duration.ofHours(2);
    static final String PREFIX = "backups/";

    protected String bucket;
    protected S3Client admin;

    /** A client for this server, signed with credentials it accepts. */
    protected abstract S3Client client();

    @BeforeEach
    void createBucket() {
        admin = client();
        bucket = "uploads-" + getClass().getSimpleName().toLowerCase().replaceAll("[^a-z0-9]", "") + "-"
                + BUCKETS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
        admin.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    /** A real incomplete upload: created, with one part uploaded. Returns its id. */
    protected String upload(String key) {
        String id = admin.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        admin.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(1),
                RequestBody.fromString("part of " + key));
        return id;
    }

    /** Every incomplete upload of the bucket as the server lists it, key → upload ids, whatever the prefix. */
    protected Map<String, List<String>> uploadsInBucket() {
        Map<String, List<String>> uploads = new TreeMap<>();
        for (MultipartUpload u : admin.listMultipartUploads(b -> b.bucket(bucket)).uploads()) {
            uploads.computeIfAbsent(u.key(), k -> new ArrayList<>()).add(u.uploadId());
        }
        uploads.values().forEach(Collections::sort);
        return uploads;
    }

    SweepSettings settings(boolean dryRun) {
        return SweepSettings.builder(bucket, PREFIX, Age.ofDays(30)).dryRun(dryRun)
                .abortUploadsAfter(Optional.of(AFTER)).build();
    }

    static Clock clockAt(Instant cutoff) {
        return Clock.fixed(cutoff.plus(AFTER), ZoneOffset.UTC);
    }

    /** Hears what the engine says of each upload. */
    static final class Heard implements SweepListener {
        final List<String> expired = Collections.synchronizedList(new ArrayList<>());
        final List<String> aborted = Collections.synchronizedList(new ArrayList<>());
        final List<String> failed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onUploadExpired(IncompleteUpload upload) {
            expired.add(upload.key() + " " + upload.uploadId());
        }

        @Override
        public void onUploadAborted(IncompleteUpload upload, boolean alreadyGone) {
            aborted.add(upload.key() + " " + upload.uploadId() + (alreadyGone ? " gone" : ""));
        }

        @Override
        public void onUploadFailed(IncompleteUpload upload, String code, String message) {
            failed.add(upload.key() + " " + upload.uploadId() + " " + code);
        }
    }
}
