package io.github.s3sweeper.lambda;

import io.github.s3sweeper.config.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.function.Function;

/**
 * Keeps one S3 client per execution environment: built on the first invocation, after its settings have been
 * validated, and reused by every later one. Settings that change (only in tests) get a new client.
 */
final class ClientCache {

    private final Function<S3Settings, S3Client> factory;
    private S3Settings settings;
    private S3Client client;

    ClientCache(Function<S3Settings, S3Client> factory) {
        this.factory = factory;
    }

    synchronized S3Client get(S3Settings wanted) {
        if (client == null || !wanted.equals(settings)) {
            if (client != null) {
                client.close();
            }
            client = factory.apply(wanted);
            settings = wanted;
        }
        return client;
    }
}
