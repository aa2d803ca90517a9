package io.github.s3sweeper.config;

import java.util.Objects;

/** What one run sweeps: validated, immutable. */
public record SweepSettings(String bucket, String prefix, int retentionDays, boolean dryRun) {

    public SweepSettings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
    }

    public SweepSettings withDryRun(boolean value) {
        return new SweepSettings(bucket, prefix, retentionDays, value);
    }
}
