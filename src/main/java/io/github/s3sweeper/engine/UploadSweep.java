package io.github.s3sweeper.engine;

import io.github.s3sweeper.rules.IncompleteUpload;
import io.github.s3sweeper.rules.UploadRule;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * ABORT_INCOMPLETE_UPLOADS_AFTER: lists the incomplete multipart uploads under the prefix page by page (key-marker and
 * upload-id-marker), and aborts each one {@link UploadRule} chooses as its page arrives; memory holds one page. On a
 * dry run it counts and reports them and aborts nothing. Requests are retried as the object sweep's are, within the
 * run's time budget; once the budget is spent no further page is asked for and no further upload aborted (the next
 * run goes on), so the counts cover only the uploads looked at.
 *
 * <p>An abort S3 answers with NoSuchUpload counts as aborted: the upload is gone (completed or aborted since it was
 * listed), which is what aborting it was for, as DeleteObjects reports a key that was already gone as deleted. It is
 * reported as gone already, and is no failure.
 */
final class UploadSweep {

    /** What ListMultipartUploads returns at most by default, and the most it returns. */
    static final int MAX_PAGE = 1000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final UploadRule rule;
    private final boolean dryRun;
    private final Retrying retrying;
    private final Budget budget;
    private final SweepListener listener;
    private final int pageSize;

    long scanned;
    long expired;
    long aborted;
    long failed;
    long listRequests;
    /** False when the listing did not reach its end: the budget was spent, or it failed ({@link #listingFailure}). */
    boolean listedAll;
    SdkException listingFailure;
    final Map<String, Long> failuresByCode = new TreeMap<>();

    UploadSweep(S3Client s3, String bucket, String prefix, UploadRule rule, boolean dryRun, Retrying retrying,
                Budget budget, SweepListener listener, int pageSize) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.dryRun = dryRun;
        this.retrying = Objects.requireNonNull(retrying, "retrying");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            throw new IllegalArgumentException("pageSize must be from 1 to " + MAX_PAGE + ": " + pageSize);
        }
        this.pageSize = pageSize;
    }

    /** Lists and aborts until the listing ends, fails (kept in {@link #listingFailure}) or the budget is spent. */
    void run() {
        String keyMarker = null;
        String uploadIdMarker = null;
        while (!budget.exhausted()) {
            ListMultipartUploadsResponse page;
            ListMultipartUploadsRequest request = request(keyMarker, uploadIdMarker);
            try {
                page = retrying.call(() -> s3.listMultipartUploads(request));
            } catch (Retrying.BudgetSpent e) {
                listRequests++;
                return;
            } catch (SdkException e) {
                listRequests++;
                listingFailure = e;
                return;
            }
            listRequests++;
            String lastKey = null;
            String lastId = null;
            for (MultipartUpload listed : page.uploads()) {
                if (!dryRun && budget.exhausted()) {
                    // A page holds up to 1,000 aborts, one request each: the rest waits for the next run, and what
                    // was not looked at is not counted.
                    return;
                }
                scanned++;
                IncompleteUpload upload = new IncompleteUpload(listed.key(), listed.uploadId(), listed.initiated());
                lastKey = listed.key();
                lastId = listed.uploadId();
                if (rule.abort(upload)) {
                    expired++;
                    listener.onUploadExpired(upload);
                    if (!dryRun) {
                        abort(upload);
                    }
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                listedAll = true;
                return;
            }
            String nextKey = page.nextKeyMarker() != null ? page.nextKeyMarker() : lastKey;
            String nextId = page.nextKeyMarker() != null ? page.nextUploadIdMarker() : lastId;
            if (nextKey == null || (nextKey.equals(keyMarker) && Objects.equals(nextId, uploadIdMarker))) {
                // A truncated page that does not move the markers on would be asked for again and again.
                listingFailure = SdkException.builder().message("ListMultipartUploads answered a truncated page"
                        + " without markers that move on (after key-marker " + keyMarker + ")").build();
                return;
            }
            keyMarker = nextKey;
            uploadIdMarker = nextId;
        }
    }

    private ListMultipartUploadsRequest request(String keyMarker, String uploadIdMarker) {
        // URL-encoded keys survive the XML response intact, as for the object listing; the SDK decodes them again.
        ListMultipartUploadsRequest.Builder request = ListMultipartUploadsRequest.builder()
                .bucket(bucket)
                .encodingType(EncodingType.URL)
                .maxUploads(pageSize);
        if (!prefix.isEmpty()) {
            request.prefix(prefix);
        }
        if (keyMarker != null) {
            request.keyMarker(keyMarker);
            if (uploadIdMarker != null) {
                request.uploadIdMarker(uploadIdMarker);
            }
        }
        return request.build();
    }

    private void abort(IncompleteUpload upload) {
        try {
            retrying.call(() -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key())
                    .uploadId(upload.uploadId())));
            aborted++;
            listener.onUploadAborted(upload, false);
        } catch (Retrying.BudgetSpent e) {
            fail(upload, e.last());
        } catch (SdkException e) {
            if ("NoSuchUpload".equals(BatchSender.errorCode(e))) {
                aborted++;
                listener.onUploadAborted(upload, true);
            } else {
                fail(upload, e);
            }
        }
    }

    private void fail(IncompleteUpload upload, SdkException e) {
        String code = BatchSender.errorCode(e);
        failed++;
        failuresByCode.merge(code, 1L, Long::sum);
        listener.onUploadFailed(upload, code, Failures.firstLine(e.getMessage()));
    }

    /** The failures by S3's error code, as failed deletions are named: "AccessDenied ×2, InternalError ×1". */
    String failureCodes() {
        return failuresByCode.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
