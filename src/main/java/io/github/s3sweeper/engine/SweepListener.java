package io.github.s3sweeper.engine;

import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.rules.IncompleteUpload;

/** Hears about each entry as the engine decides and deletes, so adapters can log it without the engine knowing how. */
public interface SweepListener {

    SweepListener NONE = new SweepListener() {
    };

    /** The rules chose this entry and the cap allows it: it is to be deleted (on a dry run: it would be). */
    default void onExpired(Target target) {
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
