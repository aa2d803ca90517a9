package io.github.s3sweeper.config;

/** Everything one invocation needs, parsed once from the environment. */
public record Settings(SweepSettings sweep, S3Settings s3, MetricsSettings metrics) {
}
