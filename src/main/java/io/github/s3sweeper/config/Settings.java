package io.github.s3sweeper.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Everything one invocation needs, parsed once: what to sweep, how to reach S3, where metrics go, and how long the
 * run may list when no Lambda timeout bounds it ({@code --max-duration}; in Lambda the function's timeout does).
 */
public record Settings(SweepSettings sweep, S3Settings s3, MetricsSettings metrics, Optional<Duration> maxDuration) {

    public Settings(SweepSettings sweep, S3Settings s3, MetricsSettings metrics) {
        this(sweep, s3, metrics, Optional.empty());
    }
}
