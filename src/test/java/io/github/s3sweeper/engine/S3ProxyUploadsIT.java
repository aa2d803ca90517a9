package io.github.s3sweeper.engine;

import io.github.s3sweeper.testing.EmbeddedS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/** The incomplete-upload scenarios against the embedded s3proxy server (its in-memory store). */
class S3ProxyUploadsIT extends UploadScenarios {

    private static EmbeddedS3 server;

    @BeforeAll
    static void start() {
        server = EmbeddedS3.inMemory();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Override
    protected S3Client client() {
        return server.client();
    }
}
