package io.github.s3sweeper.rules;

import java.time.Instant;

/**
 * A multipart upload that was created and neither completed nor aborted, as ListMultipartUploads lists it: its
 * parts hold storage that no listing of objects shows.
 *
 * @param key       the key the upload would create
 * @param uploadId  the upload's id, which AbortMultipartUpload needs
 * @param initiated when CreateMultipartUpload was answered; null when the server did not say
 */
public record IncompleteUpload(String key, String uploadId, Instant initiated) {
}
