package io.github.s3sweeper.engine;

import io.github.s3sweeper.testing.MinioServer;
import io.github.s3sweeper.testing.RequiredServer;
import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The shared scenarios against MinIO in erasure mode (versioning and Object Lock), in its own process, and the ways
 * MinIO differs from S3 that matter to the engine, each pinned by a test. Skipped with a message where MinIO is not
 * installed; {@code REQUIRE_MINIO=true} (set by .ci/run) turns that skip into a failure.
 */
class MinioSweepIT extends SweepScenarios {

    /** MinIO stores each key segment (the bytes between two slashes) as a folder or file name. */
    static final int MAX_SEGMENT_BYTES = 255;

    private static MinioServer server;

    @BeforeAll
    static void start() {
        Path executable = RequiredServer.executable("MinioSweepIT", MinioServer.executable(), "REQUIRE_MINIO", MinioServer.INSTALL_HINT);
        server = MinioServer.start(executable, Path.of("target", "minio-data"),
                Path.of("target", "minio-server.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected S3Client client(ExecutionInterceptor... interceptors) {
        return S3TestClients.client(server.endpoint(), server.accessKey(), server.secretKey(), interceptors);
    }

    @Override
    protected URI endpoint() {
        return server.endpoint();
    }

    /** The same 1,024-byte key, in segments MinIO can store ({@link #segmentsLongerThan255BytesAreRefused}). */
    @Override
    protected String longKey(int bytes) {
        StringBuilder key = new StringBuilder();
        while (key.length() < bytes) {
            int room = bytes - key.length();
            key.append("k".repeat(Math.min(MAX_SEGMENT_BYTES, room)));
            if (key.length() < bytes) {
                key.append('/');
            }
        }
        return key.toString();
    }

    @Test
    void segmentsLongerThan255BytesAreRefused() {
        admin.putObject(b -> b.bucket(bucket).key("logs/" + "s".repeat(MAX_SEGMENT_BYTES)),
                RequestBody.fromString("x"));

        S3Exception refused = catchThrowableOfType(S3Exception.class, () -> admin.putObject(
                b -> b.bucket(bucket).key("logs/" + "s".repeat(MAX_SEGMENT_BYTES + 1)), RequestBody.fromString("x")));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("XMinioInvalidObjectName");
        assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("Object name contains unsupported characters.");
        assertThat(longKey(1019)).hasSize(1019).doesNotContain("/".repeat(2))
                .satisfies(k -> assertThat(k.split("/")).allSatisfy(s -> assertThat(s).hasSizeLessThanOrEqualTo(255)));
    }

    @Test
    void refusesMoreThan1000KeysPerDeleteObjectsAsS3Does() {
        List<ObjectIdentifier> keys = IntStream.range(0, Deleter.MAX_BATCH + 1)
                .mapToObj(i -> ObjectIdentifier.builder().key("logs/" + i).build()).toList();

        S3Exception refused = catchThrowableOfType(S3Exception.class, () -> admin.deleteObjects(
                b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true))));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("MalformedXML");
    }

    @Test
    void quietDeleteObjectsListsNoDeletedEntriesAsS3Does() {
        admin.putObject(b -> b.bucket(bucket).key("logs/x"), RequestBody.fromString("x"));

        var response = admin.deleteObjects(b -> b.bucket(bucket).delete(d -> d.quiet(true).objects(
                ObjectIdentifier.builder().key("logs/x").build(),
                ObjectIdentifier.builder().key("logs/absent").build())));

        assertThat(response.deleted()).isEmpty();
        assertThat(response.errors()).isEmpty();
        assertThat(keysInBucket()).isEmpty();
    }

    /** S3 lists LastModified to the whole second; MinIO to the millisecond. The engine compares instants as given. */
    @Test
    void listsLastModifiedToTheMillisecond() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            admin.putObject(b -> b.bucket(bucket).key("logs/" + n), RequestBody.fromString("x"));
        }

        List<S3Object> listed = new ArrayList<>(admin.listObjectsV2(b -> b.bucket(bucket)).contents());

        assertThat(listed).hasSize(5).anySatisfy(o -> assertThat(o.lastModified().getNano()).isNotZero())
                .allSatisfy(o -> assertThat(o.lastModified().getNano() % 1_000_000).isZero());
    }
}
