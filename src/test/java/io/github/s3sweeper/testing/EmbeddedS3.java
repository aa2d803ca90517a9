package io.github.s3sweeper.testing;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * A real S3-compatible HTTP server (s3proxy) inside the test JVM, on a free loopback port, checking AWS v4
 * signatures. With the filesystem store an object is a file under {@code basedir/bucket/key} whose mtime is the
 * object's LastModified, so a test can give an object any age exactly.
 */
public final class EmbeddedS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "sweeper-test";
    public static final String SECRET_KEY = "sweeper-test-secret";

    private final S3Proxy proxy;
    private final Path baseDir;

    private EmbeddedS3(BlobStore store, Path baseDir) {
        this(store, baseDir, AuthenticationType.AWS_V4);
    }

    private EmbeddedS3(BlobStore store, Path baseDir, AuthenticationType authentication) {
        this.baseDir = baseDir;
        this.proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(authentication, ACCESS_KEY, SECRET_KEY)
                // The default graceful stop waits two seconds for nothing.
                .stopTimeout(0)
                // Headroom over the tests' eight uploading threads, so no connection waits on a busy pool.
                .jettyMaxThreads(64)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start s3proxy", e);
        }
    }

    /** Objects are files under {@code dir}; LastModified is the file's mtime. */
    public static EmbeddedS3 filesystem(Path dir) {
        return new EmbeddedS3(new FilesystemNio2BlobStore(dir.toString()), dir);
    }

    /**
     * The filesystem store without signature checks: for the benchmark, whose proxy forwards requests under another
     * Host than the one the client signed.
     */
    public static EmbeddedS3 filesystemUnsigned(Path dir) {
        return new EmbeddedS3(new FilesystemNio2BlobStore(dir.toString()), dir, AuthenticationType.NONE);
    }

    /** Objects live in memory: any key S3 accepts, including ones no file name can hold. */
    public static EmbeddedS3 inMemory() {
        return new EmbeddedS3(new TransientNio2BlobStore(), null);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** A client signed with this server's keys. */
    public S3Client client(ExecutionInterceptor... interceptors) {
        return S3TestClients.client(endpoint(), ACCESS_KEY, SECRET_KEY, interceptors);
    }

    /**
     * Writes an object straight into the filesystem store with the given LastModified: no request, exact to the
     * millisecond, as fast as the disk.
     */
    public void putFile(String bucket, String key, String content, Instant lastModified) {
        if (baseDir == null) {
            throw new IllegalStateException("putFile needs the filesystem store");
        }
        Path file = baseDir.resolve(bucket).resolve(key);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, FileTime.from(lastModified));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
