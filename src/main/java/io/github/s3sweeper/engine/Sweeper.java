package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.rules.ExpiryRule;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lists the prefix page by page, decides each object as its page arrives and deletes the expired ones in
 * DeleteObjects batches of at most {@value #MAX_BATCH} keys, sent as soon as they fill (keys that XML cannot
 * carry go one by one with DeleteObject). Memory holds one page
 * and one batch, whatever the size of the bucket.
 */
public final class Sweeper {

    /** DeleteObjects accepts at most this many keys per request. */
    public static final int MAX_BATCH = 1000;

    private final S3Client s3;
    private final Clock clock;
    private final SweepSettings settings;
    private final SweepListener listener;

    public Sweeper(S3Client s3, Clock clock, SweepSettings settings, SweepListener listener) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Runs one sweep.
     *
     * @return the summary of a run in which every expired object was deleted (or, on a dry run, counted)
     * @throws SweepFailedException when listing failed or some keys could not be deleted; every batch that could
     *                              run has run, and the exception's summary says exactly what was deleted
     */
    public SweepSummary run() {
        long startNanos = System.nanoTime();
        // Milliseconds are finer than S3's whole-second LastModified already; nanoseconds would only clutter the report.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ExpiryRule rule = ExpiryRule.olderThanDays(settings.prefix(), now, settings.retentionDays());
        Tally tally = new Tally();
        Map<String, Long> batch = new LinkedHashMap<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(listRequest())) {
                tally.listRequests++;
                for (S3Object object : page.contents()) {
                    tally.scanned++;
                    if (!rule.isExpired(object.key(), object.lastModified())) {
                        continue;
                    }
                    long size = object.size() == null ? 0L : object.size();
                    if (!settings.dryRun() && batch.putIfAbsent(object.key(), size) != null) {
                        continue; // a key listed twice by a misbehaving server is one object, counted once
                    }
                    tally.expired++;
                    listener.onExpired(object.key(), size, object.lastModified());
                    if (batch.size() == MAX_BATCH) {
                        deleteBatch(batch, tally);
                    }
                }
            }
        } catch (SdkException e) {
            tally.listRequests++; // the request that failed
            // Keys already judged expired are still deleted, so the report covers everything decided so far.
            deleteBatch(batch, tally);
            SweepSummary summary = tally.summary(settings, rule.cutoff(), elapsedMs(startNanos));
            String reason = String.format("Listing s3://%s/%s failed with %s: %s. Deleted %d of the %d expired"
                            + " objects found before the failure; objects not yet listed were not examined.",
                    settings.bucket(), settings.prefix(), errorCode(e), e.getMessage(), summary.deleted(),
                    summary.expired());
            throw new SweepFailedException(reason, summary, e);
        }
        deleteBatch(batch, tally);
        SweepSummary summary = tally.summary(settings, rule.cutoff(), elapsedMs(startNanos));
        if (summary.failed() > 0) {
            throw new SweepFailedException(String.format("%d of %d expired objects under s3://%s/%s could not be"
                            + " deleted.", summary.failed(), summary.expired(), settings.bucket(), settings.prefix()),
                    summary, null);
        }
        return summary;
    }

    private ListObjectsV2Request listRequest() {
        // URL-encoded keys survive the XML response intact: raw, a carriage return would come back as a line feed
        // and the wrong key would be sent for deletion. The SDK decodes them again.
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                .bucket(settings.bucket())
                .encodingType(EncodingType.URL);
        if (!settings.prefix().isEmpty()) {
            request.prefix(settings.prefix());
        }
        return request.build();
    }

    /** Deletes the batch, reads every per-key error, and empties the batch. */
    private void deleteBatch(Map<String, Long> batch, Tally tally) {
        if (batch.isEmpty()) {
            return;
        }
        // XML 1.0 cannot carry some control characters at all, so DeleteObjects cannot name such keys.
        List<String> unsafe = batch.keySet().stream().filter(key -> !XmlText.isValid(key)).toList();
        for (String key : unsafe) {
            deleteOne(key, batch.remove(key), tally);
        }
        if (!batch.isEmpty()) {
            deleteObjects(batch, tally);
        }
        batch.clear();
    }

    /** Sends one DeleteObjects (quiet mode) for the batch; S3 answers 200 and lists only the keys it failed. */
    private void deleteObjects(Map<String, Long> batch, Tally tally) {
        List<ObjectIdentifier> keys = batch.keySet().stream()
                .map(key -> ObjectIdentifier.builder().key(key).build())
                .toList();
        DeleteObjectsRequest request = DeleteObjectsRequest.builder()
                .bucket(settings.bucket())
                .delete(Delete.builder().objects(keys).quiet(true).build())
                .build();
        tally.deleteRequests++;
        try {
            DeleteObjectsResponse response = s3.deleteObjects(request);
            List<S3Error> unmatched = new ArrayList<>();
            for (S3Error error : response.errors()) {
                if (batch.remove(error.key()) != null) {
                    fail(tally, new KeyError(error.key(), error.code(), error.message()));
                } else {
                    unmatched.add(error);
                }
            }
            if (!unmatched.isEmpty()) {
                // Errors for keys we did not send (a server that rewrote them): no key of the batch can be confirmed
                // deleted, so none is claimed; the strange errors are shown as they came.
                unmatched.forEach(error -> tally.show(new KeyError(error.key(), error.code(), error.message())));
                String reason = "S3 reported errors for " + unmatched.size() + " key(s) not in the request;"
                        + " the deletion of this key cannot be confirmed";
                batch.keySet().forEach(key -> fail(tally, new KeyError(key, "Unconfirmed", reason)));
                return;
            }
            for (Map.Entry<String, Long> deleted : batch.entrySet()) {
                tally.deleted++;
                tally.bytesDeleted += deleted.getValue();
                listener.onDeleted(deleted.getKey());
            }
        } catch (SdkException e) {
            String code = errorCode(e);
            for (String key : batch.keySet()) {
                fail(tally, new KeyError(key, code, e.getMessage()));
            }
        }
    }

    private void deleteOne(String key, long size, Tally tally) {
        tally.deleteRequests++;
        try {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(settings.bucket()).key(key).build());
            tally.deleted++;
            tally.bytesDeleted += size;
            listener.onDeleted(key);
        } catch (SdkException e) {
            fail(tally, new KeyError(key, errorCode(e), e.getMessage()));
        }
    }

    private void fail(Tally tally, KeyError error) {
        tally.fail(error);
        listener.onFailed(error);
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static String errorCode(SdkException e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null && s3.awsErrorDetails().errorCode() != null) {
            return s3.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }
}
