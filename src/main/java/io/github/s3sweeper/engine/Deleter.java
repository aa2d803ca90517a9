package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.KeyError;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

import software.amazon.awssdk.retries.api.BackoffStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Collects what the rules chose into DeleteObjects batches of at most {@value #MAX_BATCH} entries, sends each as
 * soon as it fills, and accounts for every entry: deleted, failed, locked, or left by the cap. Keys that XML 1.0
 * cannot carry go one by one with DeleteObject.
 */
final class Deleter {

    /** DeleteObjects accepts at most this many keys per request. */
    static final int MAX_BATCH = 1000;
    /** How many more times an entry refused with a retryable code is sent. */
    static final int KEY_RETRIES = 3;
    static final Set<String> RETRYABLE_CODES =
            Set.of("SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "OperationAborted");
    private static final BackoffStrategy KEY_BACKOFF =
            BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(5));

    private final S3Client s3;
    private final SweepSettings settings;
    private final Tally tally;
    private final SweepListener listener;
    private final Consumer<Duration> pause;
    private final int concurrency;
    private final Semaphore inFlight;
    private final ExecutorService senders;
    private final AtomicReference<Throwable> senderFailure = new AtomicReference<>();
    private Map<Target.Id, Target> batch = new LinkedHashMap<>();
    private long sent;

    /**
     * @param concurrency DeleteObjects requests in flight while listing goes on; 1 sends each batch from the
     *                    listing thread, as a plain sequential run does
     */
    Deleter(S3Client s3, SweepSettings settings, Tally tally, SweepListener listener, Consumer<Duration> pause,
            int concurrency) {
        this.s3 = s3;
        this.settings = settings;
        this.tally = tally;
        this.listener = listener;
        this.pause = pause;
        this.concurrency = concurrency;
        this.inFlight = new Semaphore(concurrency);
        this.senders = concurrency > 1 ? Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "s3-sweeper-delete");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    /** Sleeps for real: how the engine waits between retries of refused entries. */
    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    /** Takes one entry the rules chose; sends the batch once it is full. */
    void schedule(Target target) {
        if (batch.containsKey(target.id())) {
            return; // an entry listed twice by a misbehaving server is one entry, counted once
        }
        tally.expired++;
        if (settings.maxDeletes().isPresent() && sent >= settings.maxDeletes().getAsLong()) {
            tally.leftByCap++;
            listener.onLeftByCap(target);
            return;
        }
        listener.onExpired(target);
        sent++;
        if (settings.dryRun()) {
            return;
        }
        batch.put(target.id(), target);
        if (batch.size() == MAX_BATCH) {
            flush();
        }
    }

    /** Sends what the batch holds: on the listing thread, or handed to a sender once one of them is free. */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        Map<Target.Id, Target> full = batch;
        batch = new LinkedHashMap<>();
        if (senders == null) {
            deliver(full);
            return;
        }
        // Waiting here for a free sender holds the listing back: at most `concurrency` batches are ever in memory.
        inFlight.acquireUninterruptibly();
        senders.execute(() -> {
            try {
                deliver(full);
            } catch (Throwable e) {
                senderFailure.compareAndSet(null, e);
            } finally {
                inFlight.release();
            }
        });
    }

    /** Sends the last batch and waits until every request in flight is answered. */
    void finish() {
        flush();
        if (senders != null) {
            inFlight.acquireUninterruptibly(concurrency);
            inFlight.release(concurrency);
            senders.shutdown();
        }
        Throwable failure = senderFailure.get();
        if (failure != null) {
            throw new IllegalStateException("a DeleteObjects sender failed; its batch is not accounted for", failure);
        }
    }

    /** Stops the senders of a run that failed other than by S3: none may outlive it. */
    void abort() {
        if (senders != null) {
            senders.shutdownNow();
        }
    }

    private void deliver(Map<Target.Id, Target> batch) {
        List<Target> unsafe = batch.values().stream().filter(t -> !XmlText.isValid(t.key())).toList();
        for (Target target : unsafe) {
            batch.remove(target.id());
            deleteOne(target);
        }
        if (!batch.isEmpty()) {
            deleteObjects(batch);
        }
    }

    /**
     * Sends the batch; entries S3 refused with a code worth retrying (SlowDown, InternalError, ...) are sent again,
     * with the SDK's exponential backoff, at most {@value #KEY_RETRIES} times, then reported as failed. The SDK's own
     * retry strategy covers whole requests; these per-key errors arrive inside a 200 answer, beyond its reach.
     */
    private void deleteObjects(Map<Target.Id, Target> batch) {
        Map<Target.Id, S3Error> retry = sendBatch(batch);
        for (int attempt = 1; !retry.isEmpty(); attempt++) {
            batch.keySet().retainAll(retry.keySet());
            if (attempt > KEY_RETRIES) {
                retry.forEach((id, error) -> fail(batch.get(id), error.code(), error.message()));
                return;
            }
            pause.accept(KEY_BACKOFF.computeDelay(attempt));
            retry = sendBatch(batch);
        }
    }

    /** One DeleteObjects for what the batch holds; returns the entries refused with a retryable code. */
    private Map<Target.Id, S3Error> sendBatch(Map<Target.Id, Target> batch) {
        List<ObjectIdentifier> ids = batch.values().stream()
                .map(t -> ObjectIdentifier.builder().key(t.key()).versionId(t.versionId()).build())
                .toList();
        DeleteObjectsRequest.Builder request = DeleteObjectsRequest.builder()
                .bucket(settings.bucket())
                .delete(Delete.builder().objects(ids).quiet(true).build());
        if (settings.bypassGovernance()) {
            request.bypassGovernanceRetention(true);
        }
        tally.request();
        Map<Target.Id, S3Error> retryable = new LinkedHashMap<>();
        try {
            DeleteObjectsResponse response = s3.deleteObjects(request.build());
            // Quiet mode: S3 answers 200 and lists only the entries it did not delete.
            List<S3Error> unmatched = new ArrayList<>();
            Set<Target.Id> refused = new HashSet<>();
            for (S3Error error : response.errors()) {
                Target.Id id = matching(error, batch);
                Target target = batch.get(id);
                if (target == null || !refused.add(id)) {
                    unmatched.add(error);
                } else if (RETRYABLE_CODES.contains(error.code())) {
                    retryable.put(id, error);
                } else {
                    refused(target, error.code(), error.message());
                }
            }
            if (!unmatched.isEmpty()) {
                // Errors that name no single entry of the request (a server that rewrote keys, or left version ids
                // out): no other entry can be confirmed deleted, so none is claimed; the errors are shown as they came.
                unmatched.forEach(e -> tally.show(new KeyError(e.key(), e.versionId(), e.code(), e.message())));
                String reason = "S3 reported " + unmatched.size() + " error(s) that name no single entry of the"
                        + " request; the deletion of this one cannot be confirmed";
                batch.forEach((id, t) -> {
                    if (!refused.contains(id)) {
                        fail(t, "Unconfirmed", reason);
                    }
                });
                retryable.forEach((id, e) -> fail(batch.get(id), e.code(), e.message()));
                return Map.of();
            }
            batch.forEach((id, t) -> {
                if (!refused.contains(id)) {
                    deleted(t);
                }
            });
        } catch (SdkException e) {
            // The SDK has already retried the request as its retry strategy allows.
            batch.values().forEach(t -> fail(t, errorCode(e), e.getMessage()));
        }
        return retryable;
    }

    /**
     * The batch entry an error names. Some servers leave the version id out of their errors; then the key alone
     * names the entry, if the batch holds that key only once.
     */
    private static Target.Id matching(S3Error error, Map<Target.Id, Target> batch) {
        Target.Id exact = new Target.Id(error.key(), error.versionId());
        if (error.versionId() != null || batch.containsKey(exact)) {
            return exact;
        }
        List<Target.Id> sameKey = batch.keySet().stream().filter(id -> id.key().equals(error.key())).toList();
        return sameKey.size() == 1 ? sameKey.get(0) : exact;
    }

    private void deleteOne(Target target) {
        tally.request();
        try {
            s3.deleteObject(DeleteObjectRequest.builder()
                    .bucket(settings.bucket())
                    .key(target.key())
                    .versionId(target.versionId())
                    .bypassGovernanceRetention(settings.bypassGovernance() ? Boolean.TRUE : null)
                    .build());
            deleted(target);
        } catch (SdkException e) {
            refused(target, errorCode(e), e.getMessage());
        }
    }

    private void deleted(Target target) {
        tally.delete(target);
        listener.onDeleted(target);
    }

    /**
     * S3 refused one entry. Object Lock answers AccessDenied for a version under retention or legal hold: that is the
     * lock doing its job, counted apart and not a failure. Any other AccessDenied (a missing permission) fails.
     */
    private void refused(Target target, String code, String message) {
        boolean lockedVersion = target.versionId() != null && "AccessDenied".equals(code) && message != null
                && message.toLowerCase(Locale.ROOT).contains("object lock");
        KeyError error = new KeyError(target.key(), target.versionId(), code, message);
        if (lockedVersion) {
            tally.lock(error);
            listener.onLocked(error);
        } else {
            fail(target, code, message);
        }
    }

    private void fail(Target target, String code, String message) {
        KeyError error = new KeyError(target.key(), target.versionId(), code, message);
        tally.fail(error);
        listener.onFailed(error);
    }

    static String errorCode(SdkException e) {
        if (e instanceof S3Exception s3e && s3e.awsErrorDetails() != null && s3e.awsErrorDetails().errorCode() != null) {
            return s3e.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }
}
