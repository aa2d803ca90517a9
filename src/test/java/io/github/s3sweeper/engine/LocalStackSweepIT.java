package io.github.s3sweeper.engine;

import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shared scenarios against LocalStack in Docker, through Testcontainers' LocalStack module (why not
 * localstack-utils: see the README). Skipped with a message where no Docker daemon answers.
 */
class LocalStackSweepIT extends SweepScenarios {

    static final String SKIP_MESSAGE = "LocalStack scenarios skipped: no Docker daemon reachable"
            + " (start Docker or set DOCKER_HOST to run them)";
    /** Pinned: an unpinned tag changes under the tests. LOCALSTACK_IMAGE overrides it. */
    static final String IMAGE = System.getenv().getOrDefault("LOCALSTACK_IMAGE", "localstack/localstack:4.4");

    private static LocalStackContainer localstack;

    @BeforeAll
    static void start() {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();
        if (!docker) {
            System.err.println("[SKIPPED] LocalStackSweepIT: " + SKIP_MESSAGE);
        }
        assumeTrue(docker, SKIP_MESSAGE);
        // Created only once Docker is known to answer: the constructor itself talks to Docker.
        localstack = new LocalStackContainer(DockerImageName.parse(IMAGE)).withServices("s3");
        localstack.start();
    }

    @AfterAll
    static void stop() {
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Override
    protected S3Client client(ExecutionInterceptor... interceptors) {
        return S3TestClients.client(localstack.getEndpoint(), localstack.getAccessKey(), localstack.getSecretKey(),
                interceptors);
    }

    @Override
    protected URI endpoint() {
        return localstack.getEndpoint();
    }
}
