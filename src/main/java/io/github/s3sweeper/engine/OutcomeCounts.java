package io.github.s3sweeper.engine;

import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepSummary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What S3 made of the entries sent (deleted, locked, failed) and the requests it took. The senders report from their
 * own threads, a whole batch per call; every method holds this object's lock, so any thread may read.
 */
final class OutcomeCounts {

    private long deleted;
    private long bytesDeleted;
    private long noncurrentDeleted;
    private long deleteMarkersDeleted;
    private long failed;
    private long locked;
    private long deleteRequests;
    private final List<KeyError> errors = new ArrayList<>();
    private final List<KeyError> lockedKeys = new ArrayList<>();
    private final Map<String, Long> failuresByCode = new HashMap<>();

    synchronized void request() {
        deleteRequests++;
    }

    /** One batch's outcomes under one lock: a batch is up to 1,000 entries. */
    synchronized void record(List<BatchSender.Outcome> outcomes) {
        for (BatchSender.Outcome outcome : outcomes) {
            switch (outcome.result()) {
                case DELETED -> delete(outcome.target());
                case LOCKED -> {
                    locked++;
                    if (lockedKeys.size() < SweepSummary.MAX_ERRORS) {
                        lockedKeys.add(outcome.error());
                    }
                }
                case FAILED -> {
                    failed++;
                    failuresByCode.merge(outcome.code(), 1L, Long::sum);
                    if (errors.size() < SweepSummary.MAX_ERRORS) {
                        errors.add(outcome.error());
                    }
                }
            }
        }
    }

    private void delete(Target target) {
        deleted++;
        bytesDeleted += target.size();
        switch (target.kind()) {
            case NONCURRENT -> noncurrentDeleted++;
            case EXPIRED_MARKER -> deleteMarkersDeleted++;
            default -> {
            }
        }
    }

    synchronized long deleted() {
        return deleted;
    }

    synchronized long failed() {
        return failed;
    }

    /** Every failed entry counted by S3's error code, most frequent first: "AccessDenied ×3, InternalError ×1". */
    synchronized String failureCodes() {
        return failuresByCode.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    synchronized void fill(SweepSummary.Builder summary) {
        summary.deleted(deleted)
                .failed(failed)
                .locked(locked)
                .bytesDeleted(bytesDeleted)
                .noncurrentDeleted(noncurrentDeleted)
                .deleteMarkersDeleted(deleteMarkersDeleted)
                .errors(List.copyOf(errors))
                .lockedKeys(List.copyOf(lockedKeys))
                .deleteRequests(deleteRequests);
    }
}
