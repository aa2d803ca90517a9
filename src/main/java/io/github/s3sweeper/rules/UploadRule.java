package io.github.s3sweeper.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which incomplete multipart uploads to abort (ABORT_INCOMPLETE_UPLOADS_AFTER): one whose key lies under the prefix
 * and that was initiated strictly before the cutoff. One initiated exactly at the cutoff stays, as an object last
 * modified exactly at its cutoff does; so does one without an id, or whose initiation time the server did not give.
 *
 * <p>No filter, size or keep-newest rule applies: an incomplete upload is no object yet, and the include, exclude
 * and size settings select objects. The prefix check repeats what ListMultipartUploads already guarantees, on purpose:
 * a server that returned an upload outside the prefix must never turn into an abort.
 */
public record UploadRule(String prefix, Instant cutoff) {

    public UploadRule {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(cutoff, "cutoff");
    }

    /** The rule for uploads initiated more than {@code after} before {@code now}. */
    public static UploadRule initiatedMoreThan(Duration after, String prefix, Instant now) {
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("the age must be positive, was " + after);
        }
        return new UploadRule(prefix, now.minus(after));
    }

    public boolean abort(IncompleteUpload upload) {
        return upload.key() != null
                && upload.uploadId() != null
                && !upload.uploadId().isEmpty()
                && upload.initiated() != null
                && upload.key().startsWith(prefix)
                && upload.initiated().isBefore(cutoff);
    }
}
