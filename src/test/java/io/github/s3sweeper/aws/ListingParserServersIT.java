package io.github.s3sweeper.aws;

import io.github.s3sweeper.testing.EmbeddedS3;
import io.github.s3sweeper.testing.MinioServer;
import io.github.s3sweeper.testing.MotoServer;
import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What real servers answer to ListObjectsV2, read by the parser and by the SDK: every page (small pages, so that
 * continuation tokens are followed; with and without the delimiter; URL-encoded) must be read by the parser, not
 * left to the SDK, and read exactly as the SDK reads it, keys that need care included. s3proxy always; moto and MinIO
 * when installed (skipped with a message otherwise).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListingParserServersIT {

    /** Keys that test decoding: every one must come back byte for byte. */
    static final List<String> KEYS = List.of("logs/plain.txt", "logs/with space.txt", "logs/plus+sign",
            "logs/percent%20literal", "logs/100%", "logs/equals=sign&amp", "logs/données/été ☃.txt", "logs/folder/",
            "logs/tilde~and'quote", "logs/carriage\rreturn", "logs/line\nfeed", "logs/tab\tkey", "logs/<angle>&\"",
            "logs/emoji😀/x", "logs/a/b/c", "logs/a/d", "logs/b/", "logs/b/e", "logs/z?q=1#f", "logs-old/x", "other/y");

    @Test
    void s3proxy() throws Exception {
        try (EmbeddedS3 server = EmbeddedS3.inMemory()) {
            check(interceptors -> server.client(interceptors), KEYS);
        }
    }

    @Test
    void moto() throws Exception {
        Optional<Path> executable = MotoServer.executable();
        skipUnless("moto", executable.isPresent(), MotoServer.INSTALL_HINT);
        try (MotoServer server = MotoServer.start(executable.get(), Path.of("target", "moto-listing-parser.log"))) {
            URI endpoint = server.endpoint();
            // moto's HTTP layer answers 404 to a path with an encoded line feed.
            List<String> keys = KEYS.stream().filter(k -> !k.contains("\n")).toList();
            check(interceptors -> S3TestClients.client(endpoint, "moto-key", "moto-secret", interceptors), keys);
        }
    }

    @Test
    void minio() throws Exception {
        Optional<Path> executable = MinioServer.executable();
        skipUnless("minio", executable.isPresent(), MinioServer.INSTALL_HINT);
        try (MinioServer server = MinioServer.start(executable.get(), Path.of("target", "minio-listing-parser"),
                Path.of("target", "minio-listing-parser.log"))) {
            // MinIO keeps a key as a file path: no carriage return, line feed or trailing slash object beside a folder.
            List<String> keys = KEYS.stream().filter(k -> !k.contains("\r") && !k.contains("\n")
                    && !k.equals("logs/b/")).toList();
            check(interceptors -> S3TestClients.client(server.endpoint(), server.accessKey(), server.secretKey(),
                    interceptors), keys);
        }
    }

    private static void skipUnless(String name, boolean present, String hint) {
        if (!present) {
            System.err.println("[SKIPPED] ListingParserServersIT." + name + ": " + hint);
        }
        assumeTrue(present, hint);
    }

    interface Clients {
        S3Client client(ExecutionInterceptor... interceptors);
    }

    private static void check(Clients clients, List<String> keys) {
        String bucket = "listing-parser-" + System.nanoTime() % 1_000_000;
        Bodies bodies = new Bodies();
        try (S3Client s3 = clients.client(bodies)) {
            s3.createBucket(b -> b.bucket(bucket));
            for (String key : keys) {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
            }
            List<String> listed = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            pages(s3, bodies, bucket, r -> r.prefix("logs/").maxKeys(4), listed, prefixes);
            assertThat(listed).containsExactlyElementsOf(new TreeSet<>(keys.stream()
                    .filter(k -> k.startsWith("logs/")).toList()));
            listed.clear();
            pages(s3, bodies, bucket, r -> r.prefix("logs/").delimiter("/").maxKeys(3), listed, prefixes);
            assertThat(prefixes).contains("logs/a/", "logs/données/", "logs/emoji😀/");
            assertThat(listed).containsExactlyElementsOf(new TreeSet<>(keys.stream()
                    .filter(k -> k.startsWith("logs/") && k.indexOf('/', "logs/".length()) < 0).toList()));
        }
    }

    /** Every page through the SDK (its reading) and through the parser on the same bytes: the same, and read. */
    private static void pages(S3Client s3, Bodies bodies, String bucket, Consumer<ListObjectsV2Request.Builder> shape,
                              List<String> keys, List<String> prefixes) {
        String token = null;
        do {
            ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket)
                    .encodingType(EncodingType.URL).continuationToken(token);
            shape.accept(request);
            ListObjectsV2Response response = s3.listObjectsV2(request.build());
            ListingPage parsed = ListBucketResultParser.parse(bodies.last);
            assertThat(parsed).as("the parser declined %s's answer", s3.serviceClientConfiguration().endpointOverride())
                    .isNotNull();
            ListingPage bySdk = ListingPage.of(response);
            assertThat(parsed.contents()).extracting(S3Object::key, S3Object::lastModified, S3Object::size)
                    .containsExactlyElementsOf(bySdk.contents().stream()
                            .map(o -> org.assertj.core.groups.Tuple.tuple(o.key(), o.lastModified(), o.size()))
                            .toList());
            assertThat(parsed.commonPrefixes()).isEqualTo(bySdk.commonPrefixes());
            assertThat(parsed.truncated()).isEqualTo(bySdk.truncated());
            assertThat(parsed.continuation()).isEqualTo(bySdk.continuation());
            // And through the interceptor, as a sweep lists: the same page again.
            ListingPage viaInterceptor = Listings.listObjectsV2(s3, request.build());
            assertThat(viaInterceptor.contents()).extracting(S3Object::key)
                    .containsExactlyElementsOf(bySdk.contents().stream().map(S3Object::key).toList());
            parsed.contents().forEach(o -> keys.add(o.key()));
            prefixes.addAll(parsed.commonPrefixes());
            token = Boolean.TRUE.equals(parsed.truncated()) ? parsed.continuation() : null;
        } while (token != null);
    }

    /** Keeps a copy of the last ListObjectsV2 answer's body, and passes it on untouched. */
    static final class Bodies implements ExecutionInterceptor {
        volatile byte[] last;

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                               ExecutionAttributes attributes) {
            if (!(context.request() instanceof ListObjectsV2Request) || context.responseBody().isEmpty()) {
                return context.responseBody();
            }
            try (InputStream in = context.responseBody().get()) {
                byte[] bytes = in.readAllBytes();
                last = bytes;
                return Optional.of(new ByteArrayInputStream(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
