package io.github.s3sweeper.engine;

import io.github.s3sweeper.testing.EmbeddedS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;

/** The shared scenarios against s3proxy's in-memory store, which holds any key S3 accepts. */
class S3ProxySweepIT extends SweepScenarios {

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
    protected S3Client client(ExecutionInterceptor... interceptors) {
        return server.client(interceptors);
    }

    @Override
    protected boolean enforcesObjectLock() {
        return false;
    }

    @Override
    protected URI endpoint() {
        return server.endpoint();
    }
}
