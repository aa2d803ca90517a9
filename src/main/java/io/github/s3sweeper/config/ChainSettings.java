package io.github.s3sweeper.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run in Lambda goes on when its time budget stops it: at most {@code maxLinks} runs per tick
 * ({@code MAX_CHAIN_LINKS}; 1 never continues), the next one invoked at {@code endpoint}
 * ({@code AWS_ENDPOINT_URL_LAMBDA}) or Lambda's own.
 */
public record ChainSettings(int maxLinks, Optional<URI> endpoint) {

    public ChainSettings {
        if (maxLinks < 1) {
            throw new IllegalArgumentException("maxLinks must be at least 1: " + maxLinks);
        }
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
