package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepSummary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The running counts of one sweep. The listing thread writes the listing counts; what the senders report
 * (deletions, failures, locks, requests) goes through the synchronized methods.
 */
final class Tally {

    String versioning = "Unknown";
    long scanned;
    long matched;
    long expired;
    long keptLatest;
    long deleted;
    long failed;
    long locked;
    long leftByCap;
    long bytesDeleted;
    long versionsScanned;
    long noncurrentDeleted;
    long deleteMarkersDeleted;
    long listRequests;
    long deleteRequests;
    String lastKey;
    boolean complete = true;
    String resumeAfter;
    String stoppedBy;
    String failure;
    private final List<KeyError> errors = new ArrayList<>();
    private final List<KeyError> lockedKeys = new ArrayList<>();
    private final Map<String, Long> failuresByCode = new HashMap<>();

    /**
     * The listing stopped before its end: the report says so, why ({@link SweepSummary#TIME_BUDGET} or
     * {@link SweepSummary#LISTING_FAILED}), and from which key a later run may go on.
     */
    void stoppedEarly(String why) {
        complete = false;
        resumeAfter = lastKey;
        stoppedBy = why;
    }

    synchronized void request() {
        deleteRequests++;
    }

    synchronized void fail(KeyError error) {
        failed++;
        failuresByCode.merge(error.code(), 1L, Long::sum);
        show(error);
    }

    /** Every failed entry counted by S3's error code, most frequent first: "AccessDenied ×3, InternalError ×1". */
    synchronized String failureCodes() {
        return failuresByCode.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Lists an error in the report without counting a failed entry. */
    synchronized void show(KeyError error) {
        if (errors.size() < SweepSummary.MAX_ERRORS) {
            errors.add(error);
        }
    }

    synchronized void lock(KeyError error) {
        locked++;
        if (lockedKeys.size() < SweepSummary.MAX_ERRORS) {
            lockedKeys.add(error);
        }
    }

    synchronized void delete(Target target) {
        deleted++;
        bytesDeleted += target.size();
        switch (target.kind()) {
            case NONCURRENT -> noncurrentDeleted++;
            case EXPIRED_MARKER -> deleteMarkersDeleted++;
            default -> {
            }
        }
    }

    synchronized SweepSummary summary(SweepSettings settings, Instant cutoff, Instant noncurrentCutoff, long durationMs) {
        return SweepSummary.builder()
                .bucket(settings.bucket())
                .prefix(settings.prefix())
                .retentionDays(settings.age().days())
                .olderThan(settings.age().iso())
                .cutoff(cutoff.toString())
                .dryRun(settings.dryRun())
                .versioning(versioning)
                .scanned(scanned)
                .matched(matched)
                .expired(expired)
                .keptLatest(keptLatest)
                .deleted(deleted)
                .failed(failed)
                .locked(locked)
                .capped(leftByCap > 0)
                .leftByCap(leftByCap)
                .bytesDeleted(bytesDeleted)
                .noncurrentDays(settings.noncurrentDays().isPresent() ? settings.noncurrentDays().getAsInt() : null)
                .noncurrentCutoff(noncurrentCutoff == null ? null : noncurrentCutoff.toString())
                .versionsScanned(versionsScanned)
                .noncurrentDeleted(noncurrentDeleted)
                .deleteMarkersDeleted(deleteMarkersDeleted)
                .errors(errors)
                .lockedKeys(lockedKeys)
                .listRequests(listRequests)
                .deleteRequests(deleteRequests)
                .complete(complete)
                .resumeAfter(resumeAfter)
                .stoppedBy(stoppedBy)
                .failure(failure)
                .durationMs(durationMs)
                .build();
    }
}
