package io.github.s3sweeper.engine;

import io.github.s3sweeper.testing.MotoServer;
import io.github.s3sweeper.testing.RequiredServer;
import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;


/**
 * The shared scenarios against moto's standalone server in its own process. Skipped with a message where moto is
 * not installed; {@code REQUIRE_MOTO=true} (set by .ci/run) turns that skip into a failure.
 */
class MotoSweepIT extends SweepScenarios {

    private static MotoServer server;

    @BeforeAll
    static void start() {
        Path executable = RequiredServer.executable("MotoSweepIT", MotoServer.executable(), "REQUIRE_MOTO", MotoServer.INSTALL_HINT);
        server = MotoServer.start(executable, Path.of("target", "moto-server.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected S3Client client(ExecutionInterceptor... interceptors) {
        return S3TestClients.client(server.endpoint(), "moto-key", "moto-secret", interceptors);
    }

    @Override
    protected URI endpoint() {
        return server.endpoint();
    }
}
