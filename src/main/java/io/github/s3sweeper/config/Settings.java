package io.github.s3sweeper.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one invocation needs, parsed once: what to sweep, how to reach S3, where metrics go, how often a long
 * run reports its progress in Lambda, and how long the run may list when no Lambda timeout bounds it
 * ({@code --max-duration}; in Lambda the function's timeout does), how many runs a chain may hold in Lambda, and the
 * rules of {@code RULES} (empty: the run is one sweep of {@code sweep}'s prefix).
 */
public record Settings(SweepSettings sweep, S3Settings s3, MetricsSettings metrics, Duration progressInterval,
                       Optional<Duration> maxDuration, ChainSettings chain, List<Rule> rules) {

    public Settings(SweepSettings sweep, S3Settings s3, MetricsSettings metrics, Duration progressInterval,
                    Optional<Duration> maxDuration, ChainSettings chain) {
        this(sweep, s3, metrics, progressInterval, maxDuration, chain, List.of());
    }

    public Settings {
        Objects.requireNonNull(sweep, "sweep");
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(chain, "chain");
        rules = List.copyOf(rules);
    }
}
