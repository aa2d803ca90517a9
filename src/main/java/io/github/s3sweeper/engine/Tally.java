package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepSummary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The running counts of one sweep; only the engine's thread writes it. */
final class Tally {

    long scanned;
    long expired;
    long deleted;
    long failed;
    long bytesDeleted;
    long listRequests;
    long deleteRequests;
    private final List<KeyError> errors = new ArrayList<>();

    void fail(KeyError error) {
        failed++;
        show(error);
    }

    /** Lists an error in the report without counting a failed object. */
    void show(KeyError error) {
        if (errors.size() < SweepSummary.MAX_ERRORS) {
            errors.add(error);
        }
    }

    SweepSummary summary(SweepSettings settings, Instant cutoff, long durationMs) {
        return new SweepSummary(settings.bucket(), settings.prefix(), settings.retentionDays(), cutoff.toString(),
                settings.dryRun(), scanned, expired, deleted, failed, bytesDeleted, errors, listRequests,
                deleteRequests, durationMs);
    }
}
