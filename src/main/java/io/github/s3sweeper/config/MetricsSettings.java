package io.github.s3sweeper.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a run's metrics go: the CloudWatch namespace ({@code POWERTOOLS_METRICS_NAMESPACE}, the name Powertools
 * users know) and the value of the one {@code Sweep} dimension ({@code SWEEP_NAME}; unset, the run's bucket and
 * prefix). One low-cardinality dimension keeps alarms simple: they name the sweep, nothing else.
 */
public record MetricsSettings(String namespace, Optional<String> sweepName) {

    public static final String DEFAULT_NAMESPACE = "S3Sweeper";
    public static final MetricsSettings DEFAULT = new MetricsSettings(DEFAULT_NAMESPACE, Optional.empty());

    public MetricsSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(sweepName, "sweepName");
    }

    /** The dimension value for a run of {@code bucket} under {@code prefix}. */
    public String sweep(String bucket, String prefix) {
        return sweepName.orElse(bucket + "/" + prefix);
    }
}
