package io.github.s3sweeper.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach S3. {@code endpoint} is set when {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} points
 * the function at another S3-compatible server (LocalStack, MinIO, a test server).
 */
public record S3Settings(String region, Optional<URI> endpoint) {

    public S3Settings {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
