package io.github.s3sweeper.report;

/** One key that S3 did not delete, with S3's error code and message. */
public record KeyError(String key, String code, String message) {
}
