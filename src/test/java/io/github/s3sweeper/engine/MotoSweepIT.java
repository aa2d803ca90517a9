package io.github.s3sweeper.engine;

import io.github.s3sweeper.testing.MotoServer;
import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shared scenarios against moto's standalone server in its own process. Skipped with a message where moto is
 * not installed; {@code REQUIRE_MOTO=true} (set by .ci/run) turns that skip into a failure.
 */
class MotoSweepIT extends SweepScenarios {

    private static MotoServer server;

    @BeforeAll
    static void start() {
        Optional<Path> executable = MotoServer.executable();
        if ("true".equals(System.getenv("REQUIRE_MOTO"))) {
            assertThat(executable).as(MotoServer.INSTALL_HINT).isPresent();
        } else if (executable.isEmpty()) {
            System.err.println("[SKIPPED] MotoSweepIT: " + MotoServer.INSTALL_HINT);
        }
        assumeTrue(executable.isPresent(), MotoServer.INSTALL_HINT);
        server = MotoServer.start(executable.get(), Path.of("target", "moto-server.log"));
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
