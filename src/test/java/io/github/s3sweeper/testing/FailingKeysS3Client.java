package io.github.s3sweeper.testing;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.DelegatingS3Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thin wrapper around a real client for the failures no embedded server produces: chosen keys come back as
 * per-key errors of a 200 DeleteObjects answer (the real request deletes the others), a chosen DeleteObjects call
 * fails whole, or listing fails after some pages. Everything else goes to the real server.
 */
public final class FailingKeysS3Client extends DelegatingS3Client {

    private final Set<String> refusedKeys;
    private final Map<String, Integer> slowDowns;
    private final int failingDeleteCall;
    private final int failingListCall;
    private final AtomicInteger deleteCalls = new AtomicInteger();
    private final AtomicInteger listCalls = new AtomicInteger();

    /**
     * @param refusedKeys       keys answered with an AccessDenied per-key error
     * @param failingDeleteCall 1-based DeleteObjects call refused whole with AccessDenied (permanent: the engine does
     *                          not send it again), or 0 for none
     * @param failingListCall   1-based ListObjectsV2 call refused with AccessDenied, or 0 for none
     */
    public FailingKeysS3Client(S3Client real, Set<String> refusedKeys, int failingDeleteCall, int failingListCall) {
        this(real, refusedKeys, Map.of(), failingDeleteCall, failingListCall);
    }

    /** @param slowDowns keys answered with a SlowDown per-key error, each the given number of times */
    public FailingKeysS3Client(S3Client real, Set<String> refusedKeys, Map<String, Integer> slowDowns,
                               int failingDeleteCall, int failingListCall) {
        super(real);
        this.refusedKeys = Set.copyOf(refusedKeys);
        this.slowDowns = new ConcurrentHashMap<>(slowDowns);
        this.failingDeleteCall = failingDeleteCall;
        this.failingListCall = failingListCall;
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        if (listCalls.incrementAndGet() == failingListCall) {
            throw error(403, "AccessDenied", "Access Denied");
        }
        return super.listObjectsV2(request);
    }

    @Override
    public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
        if (deleteCalls.incrementAndGet() == failingDeleteCall) {
            throw error(403, "AccessDenied", "Access Denied");
        }
        List<ObjectIdentifier> allowed = new ArrayList<>();
        List<S3Error> errors = new ArrayList<>();
        for (ObjectIdentifier id : request.delete().objects()) {
            if (refusedKeys.contains(id.key())) {
                errors.add(S3Error.builder().key(id.key()).code("AccessDenied").message("Access Denied").build());
            } else if (slowDowns.getOrDefault(id.key(), 0) > 0) {
                slowDowns.merge(id.key(), -1, Integer::sum);
                errors.add(S3Error.builder().key(id.key()).code("SlowDown").message("Please reduce your request rate.")
                        .build());
            } else {
                allowed.add(id);
            }
        }
        DeleteObjectsResponse real = allowed.isEmpty() ? DeleteObjectsResponse.builder().build()
                : super.deleteObjects(request.toBuilder()
                        .delete(Delete.builder().objects(allowed).quiet(request.delete().quiet()).build())
                        .build());
        List<S3Error> all = new ArrayList<>(real.errors());
        all.addAll(errors);
        return real.toBuilder().errors(all).build();
    }

    private static S3Exception error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder()
                .statusCode(status)
                .message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .build();
    }
}
