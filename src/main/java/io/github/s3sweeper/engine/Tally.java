package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.FrontierEntry;
import io.github.s3sweeper.report.SweepSummary;

import java.time.Instant;
import java.util.List;

/**
 * The record of one sweep, by who writes what. The deciding side counts in {@link #decisions}, the senders in
 * {@link #outcomes}; those two are what other threads are handed, and both may be read from any thread. The fields
 * here (how the listing ended, why the run stopped) belong to the thread running the sweep, and so does this object:
 * it is handed to no other thread.
 */
final class Tally {

    final DecisionCounts decisions;
    final OutcomeCounts outcomes = new OutcomeCounts();
    String versioning = "Unknown";
    long listRequests;
    String lastKey;
    /** What the listing decided beyond {@link #lastKey}, when it knows. */
    List<FrontierEntry> frontier = List.of();
    boolean complete = true;
    String resumeAfter;
    List<FrontierEntry> resumeFrontier = List.of();
    String stoppedBy;
    String failure;
    /** ABORT_INCOMPLETE_UPLOADS_AFTER's pass, and its cutoff; null when the run leaves uploads alone. */
    UploadSweep uploads;
    Instant uploadsCutoff;

    /** @param decisionLock the lock every decision is taken under */
    Tally(Object decisionLock) {
        this.decisions = new DecisionCounts(decisionLock);
    }

    /**
     * The listing stopped before its end: the report says so, why ({@link SweepSummary#TIME_BUDGET} or
     * {@link SweepSummary#LISTING_FAILED}), and from which key a later run may go on.
     */
    void stoppedEarly(String why) {
        complete = false;
        resumeAfter = lastKey;
        resumeFrontier = frontier;
        stoppedBy = why;
    }

    /** Adds a cause to the run's failure: the run fails for each of them, and its failure names them all. */
    void fail(String reason) {
        if (reason != null) {
            failure = failure == null ? reason : failure + "; also: " + reason;
        }
    }

    SweepSummary summary(SweepSettings settings, Instant cutoff, Instant noncurrentCutoff, long durationMs) {
        SweepSummary.Builder summary = SweepSummary.builder()
                .bucket(settings.bucket())
                .prefix(settings.prefix())
                .retentionDays(settings.age().days())
                .olderThan(settings.age().iso())
                .cutoff(cutoff.toString())
                .dryRun(settings.dryRun())
                .versioning(versioning)
                .noncurrentDays(settings.noncurrentDays().isPresent() ? settings.noncurrentDays().getAsInt() : null)
                .noncurrentCutoff(noncurrentCutoff == null ? null : noncurrentCutoff.toString())
                .listRequests(listRequests)
                .complete(complete)
                .resumeAfter(resumeAfter)
                .stoppedBy(stoppedBy)
                .failure(failure)
                .durationMs(durationMs)
                .resumeFrontier(resumeFrontier);
        if (uploads != null) {
            summary.uploadsCutoff(uploadsCutoff.toString())
                    .uploadsScanned(uploads.scanned)
                    .uploadsExpired(uploads.expired)
                    .uploadsAborted(uploads.aborted)
                    .uploadsFailed(uploads.failed);
        }
        decisions.fill(summary);
        outcomes.fill(summary);
        return summary.build();
    }
}
