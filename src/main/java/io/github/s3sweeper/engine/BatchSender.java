package io.github.s3sweeper.engine;

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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Deletes one batch of at most 1,000 entries and says what became of each: deleted, failed (with S3's code and
 * message) or kept by Object Lock. Everything about talking to S3 lives here: DeleteObjects in quiet mode, DeleteObject
 * for keys XML cannot carry, sending a whole batch again after a transient failure (a batch whose answer was lost
 * comes back as Deleted, since S3 answers Deleted for a key already gone), sending again the entries S3 refused with
 * a code worth retrying, and sending alone the entries an error names ambiguously.
 */
final class BatchSender {

    /** What became of one entry. */
    record Outcome(Target target, Result result, String code, String message) {

        enum Result { DELETED, FAILED, LOCKED }

        static Outcome deleted(Target target) {
            return new Outcome(target, Result.DELETED, null, null);
        }

        /** What the report and the log say of an entry S3 did not delete. */
        KeyError error() {
            return new KeyError(target.key(), target.versionId(), code, message);
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final boolean bypassGovernance;
    private final Retrying retrying;
    private final Consumer<Duration> pause;
    private final Runnable countRequest;

    /** @param countRequest called once for every request sent, retries included */
    BatchSender(S3Client s3, String bucket, boolean bypassGovernance, Retrying retrying, Consumer<Duration> pause,
                Runnable countRequest) {
        this.s3 = s3;
        this.bucket = bucket;
        this.bypassGovernance = bypassGovernance;
        this.retrying = retrying;
        this.pause = pause;
        this.countRequest = countRequest;
    }

    /** One outcome per entry, whatever happens: nothing here throws for S3's sake. */
    List<Outcome> send(Collection<Target> batch) {
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        Map<Target.Id, Target> carried = new LinkedHashMap<>();
        for (Target target : batch) {
            if (XmlText.isValid(target.key())) {
                carried.put(target.id(), target);
            } else {
                outcomes.add(deleteOne(target));
            }
        }
        if (!carried.isEmpty()) {
            deleteObjects(carried, outcomes);
        }
        return outcomes;
    }

    /**
     * DeleteObjects for the entries, then again for those S3 refused with a code worth retrying, with backoff, while
     * rounds and the time budget allow; what is still refused then has failed.
     */
    private void deleteObjects(Map<Target.Id, Target> entries, List<Outcome> outcomes) {
        Map<Target.Id, Target> pending = entries;
        for (int round = 1; !pending.isEmpty(); round++) {
            Map<Target.Id, S3Error> retry = sendOnce(pending, outcomes);
            Map<Target.Id, Target> again = new LinkedHashMap<>();
            for (Map.Entry<Target.Id, S3Error> refused : retry.entrySet()) {
                Target target = pending.get(refused.getKey());
                if (retrying.mayRetry(round)) {
                    again.put(refused.getKey(), target);
                } else {
                    outcomes.add(refused(target, refused.getValue().code(), refused.getValue().message()));
                }
            }
            if (!again.isEmpty()) {
                pause.accept(Retrying.delay(round));
            }
            pending = again;
        }
    }

    /** One DeleteObjects (retried whole on transient failures); returns the entries refused with a retryable code. */
    private Map<Target.Id, S3Error> sendOnce(Map<Target.Id, Target> entries, List<Outcome> outcomes) {
        DeleteObjectsResponse response;
        try {
            response = retrying.call(() -> {
                countRequest.run();
                return s3.deleteObjects(request(entries.values()));
            });
        } catch (Retrying.BudgetSpent e) {
            SdkException last = e.last();
            entries.values().forEach(t -> outcomes.add(failed(t, errorCode(last), Failures.firstLine(last.getMessage())
                    + " (not sent again: the run's time budget is spent)")));
            return Map.of();
        } catch (SdkException e) {
            entries.values().forEach(t -> outcomes.add(failed(t, errorCode(e), Failures.firstLine(e.getMessage()))));
            return Map.of();
        }
        // Quiet mode: S3 lists only the entries it did not delete.
        Map<Target.Id, S3Error> named = new LinkedHashMap<>();
        Set<Target> ambiguous = new LinkedHashSet<>();
        List<S3Error> strangers = new ArrayList<>();
        for (S3Error error : response.errors()) {
            List<Target.Id> candidates = candidates(error, entries);
            if (candidates.size() == 1) {
                named.putIfAbsent(candidates.get(0), error);
            } else if (candidates.isEmpty()) {
                strangers.add(error);
            } else {
                candidates.forEach(id -> ambiguous.add(entries.get(id)));
            }
        }
        if (!strangers.isEmpty()) {
            // Errors for keys this request did not hold (a server that rewrote keys): its answer cannot be read, so
            // nothing in it is claimed deleted.
            String reason = "S3 answered with " + strangers.size() + " error(s) for keys this request did not hold"
                    + " (first: " + strangers.get(0).key() + " " + strangers.get(0).code() + "); its deletion of this"
                    + " entry cannot be confirmed";
            entries.values().forEach(t -> outcomes.add(failed(t, "Unconfirmed", reason)));
            return Map.of();
        }
        // An entry an error names exactly is settled by that error, whatever a version-less one said.
        ambiguous.removeIf(target -> named.containsKey(target.id()));
        Map<Target.Id, S3Error> retryable = new LinkedHashMap<>();
        entries.forEach((id, target) -> {
            S3Error error = named.get(id);
            if (error == null) {
                if (!ambiguous.contains(target)) {
                    outcomes.add(Outcome.deleted(target));
                }
            } else if (Transient.CODES.contains(error.code())) {
                retryable.put(id, error);
            } else {
                outcomes.add(refused(target, error.code(), error.message()));
            }
        });
        sendApart(ambiguous, outcomes);
        return retryable;
    }

    /**
     * An error that leaves out the version id (moto does) names every version of its key in the request. Sent again so
     * that no request holds a key twice, each error names one entry.
     */
    private void sendApart(Collection<Target> ambiguous, List<Outcome> outcomes) {
        List<Target> left = new ArrayList<>(ambiguous);
        while (!left.isEmpty()) {
            Map<Target.Id, Target> round = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>();
            for (Target target : List.copyOf(left)) {
                if (!keys.contains(target.key())) {
                    keys.add(target.key());
                    round.put(target.id(), target);
                    left.remove(target);
                }
            }
            deleteObjects(round, outcomes);
        }
    }

    /** The entries an error can mean: the exact one, or every entry of its key when it names no version. */
    private static List<Target.Id> candidates(S3Error error, Map<Target.Id, Target> entries) {
        Target.Id exact = new Target.Id(error.key(), error.versionId());
        if (error.versionId() != null || entries.containsKey(exact)) {
            return entries.containsKey(exact) ? List.of(exact) : List.of();
        }
        return entries.keySet().stream().filter(id -> id.key().equals(error.key())).toList();
    }

    private DeleteObjectsRequest request(Collection<Target> entries) {
        List<ObjectIdentifier> ids = entries.stream()
                .map(t -> ObjectIdentifier.builder().key(t.key()).versionId(t.versionId()).build())
                .toList();
        DeleteObjectsRequest.Builder request = DeleteObjectsRequest.builder()
                .bucket(bucket)
                .delete(Delete.builder().objects(ids).quiet(true).build());
        if (bypassGovernance) {
            request.bypassGovernanceRetention(true);
        }
        return request.build();
    }

    private Outcome deleteOne(Target target) {
        try {
            retrying.call(() -> {
                countRequest.run();
                return s3.deleteObject(DeleteObjectRequest.builder()
                        .bucket(bucket)
                        .key(target.key())
                        .versionId(target.versionId())
                        .bypassGovernanceRetention(bypassGovernance ? Boolean.TRUE : null)
                        .build());
            });
            return Outcome.deleted(target);
        } catch (Retrying.BudgetSpent e) {
            return failed(target, errorCode(e.last()), Failures.firstLine(e.last().getMessage())
                    + " (not sent again: the run's time budget is spent)");
        } catch (SdkException e) {
            return refused(target, errorCode(e), Failures.firstLine(e.getMessage()));
        }
    }

    /**
     * S3 refused one entry. Object Lock answers AccessDenied for a version under retention or legal hold (MinIO:
     * InvalidRequest, "Object is WORM protected"): that is the lock doing its job, not a failure. Any other refusal,
     * AccessDenied for a missing permission included, fails.
     */
    static Outcome refused(Target target, String code, String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        boolean locked = target.versionId() != null
                && ("AccessDenied".equals(code) && text.contains("object lock")
                || "InvalidRequest".equals(code) && text.contains("worm protected"));
        return new Outcome(target, locked ? Outcome.Result.LOCKED : Outcome.Result.FAILED, code, message);
    }

    private static Outcome failed(Target target, String code, String message) {
        return new Outcome(target, Outcome.Result.FAILED, code, message);
    }

    static String errorCode(SdkException e) {
        if (e instanceof S3Exception s3e && s3e.awsErrorDetails() != null && s3e.awsErrorDetails().errorCode() != null) {
            return s3e.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }
}
