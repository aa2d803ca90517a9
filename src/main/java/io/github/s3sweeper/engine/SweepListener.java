package io.github.s3sweeper.engine;

import io.github.s3sweeper.report.KeyError;

import java.time.Instant;

/** Hears about each object as the engine decides and deletes, so adapters can log it without the engine knowing how. */
public interface SweepListener {

    SweepListener NONE = new SweepListener() {
    };

    /** An object under the prefix is older than the cutoff (on a dry run: it would be deleted). */
    default void onExpired(String key, long size, Instant lastModified) {
    }

    /** S3 confirmed the deletion of this key. */
    default void onDeleted(String key) {
    }

    /** This key was not deleted. */
    default void onFailed(KeyError error) {
    }
}
