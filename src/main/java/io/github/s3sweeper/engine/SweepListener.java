package io.github.s3sweeper.engine;

import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.rules.IncompleteUpload;

import java.time.Instant;
import java.util.List;

/** Hears about each entry as the engine decides and deletes, so adapters can log it without the engine knowing how. */
public interface SweepListener {

    SweepListener NONE = new SweepListener() {
    };

    /** The rules chose this entry and the cap allows it: it is to be deleted (on a dry run: it would be). */
    default void onExpired(Target target) {
    }

    /**
     * An expired object stays because keep rules keep it (heard when the listing ends): its group (null: the keys
     * GROUP_BY's pattern does not match) and the rules, as {@code KEEP_DAILY}.
     */
    default void onKept(String key, Instant lastModified, String group, List<String> rules) {
    }

    /** The rules chose this entry, but MAX_DELETES was reached: it stays. */
    default void onLeftByCap(Target target) {
    }

    /** S3 confirmed the deletion. */
    default void onDeleted(Target target) {
    }

    /** This entry was not deleted. */
    default void onFailed(KeyError error) {
    }

    /** Object Lock protects this version: not deleted, not a failure. */
    default void onLocked(KeyError error) {
    }

    /**
     * ABORT_INCOMPLETE_UPLOADS_AFTER chose this incomplete multipart upload: it is to be aborted (on a dry run: it
     * would be).
     */
    default void onUploadExpired(IncompleteUpload upload) {
    }

    /** S3 aborted the upload; {@code alreadyGone}: it answered NoSuchUpload (completed or aborted since listed). */
    default void onUploadAborted(IncompleteUpload upload, boolean alreadyGone) {
    }

    /** S3 did not abort the upload: its error code and message. */
    default void onUploadFailed(IncompleteUpload upload, String code, String message) {
    }
}
