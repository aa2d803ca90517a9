package io.github.s3sweeper.report;

/** One key (or version of a key) that S3 did not delete, with S3's error code and message. */
public record KeyError(String key, String versionId, String code, String message) {

    /** An error on a key of an unversioned deletion. */
    public KeyError(String key, String code, String message) {
        this(key, null, code, message);
    }
}
