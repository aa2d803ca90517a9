package io.github.s3sweeper.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tests against s3proxy's filesystem store: one server per test class, a fresh bucket per test, a client for
 * set-up and inspection ({@code admin}) and one whose requests are recorded ({@code watched}).
 */
public abstract class FilesystemS3Test {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @TempDir
    static Path storage;
    protected static EmbeddedS3 server;

    protected String bucket;
    protected S3Client admin;
    protected final RequestRecorder recorder = new RequestRecorder();
    protected S3Client watched;

    @BeforeAll
    static void startServer() {
        server = EmbeddedS3.filesystem(storage);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void createBucket() {
        admin = server.client();
        watched = server.client(recorder);
        bucket = "fs-" + getClass().getSimpleName().toLowerCase().replaceAll("[^a-z0-9]", "") + "-"
                + BUCKETS.incrementAndGet();
        admin.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void closeClients() {
        admin.close();
        watched.close();
    }

    /** Writes an object with exactly this LastModified. */
    protected void put(String key, String content, Instant lastModified) {
        server.putFile(bucket, key, content, lastModified);
    }

    protected void put(String key, Instant now, Duration age, int bytes) {
        server.putFile(bucket, key, "x".repeat(bytes), now.minus(age));
    }

    protected Set<String> keys() {
        return new TreeSet<>(S3TestClients.keys(admin, bucket));
    }
}
