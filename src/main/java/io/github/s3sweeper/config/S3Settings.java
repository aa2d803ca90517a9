package io.github.s3sweeper.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach S3. {@code endpoint} is set when {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} points
 * the function at another S3-compatible server (LocalStack, MinIO, a test server). {@code attemptTimeout}
 * ({@code S3_ATTEMPT_TIMEOUT}) bounds one attempt of one request, so a stalled answer costs seconds, not the HTTP
 * client's 30 s read timeout per attempt. {@code profile} ({@code AWS_PROFILE}, {@code --profile}) names the shared
 * config files' profile that the credentials come from.
 */
public record S3Settings(String region, Optional<URI> endpoint, Duration attemptTimeout, Optional<String> profile) {

    /** Ample for a listing page or a DeleteObjects of 1,000 keys, which S3 answers in well under a second. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

    public S3Settings {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(profile, "profile");
    }

    public S3Settings(String region, Optional<URI> endpoint, Duration attemptTimeout) {
        this(region, endpoint, attemptTimeout, Optional.empty());
    }
}
