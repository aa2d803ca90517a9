package io.github.s3sweeper.engine;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Which failures of an idempotent request (a listing page, a DeleteObjects batch) are worth sending it again for:
 * throttling, S3's 5xx answers, an attempt that timed out, and an answer lost on the way (reset, cut, or so
 * garbled that it cannot be parsed). Refusals (AccessDenied, NoSuchBucket, a bad request) and a server that is not
 * there at all (connection refused, unknown host: the SDK's own attempts already covered a blip) are permanent.
 */
public final class Transient {

    /** S3's codes for "try again", whole requests and DeleteObjects' per-key errors alike. */
    static final Set<String> CODES = Set.of("SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout",
            "OperationAborted", "Throttling", "ThrottlingException", "RequestThrottled", "TooManyRequests");

    /** Busy or failing for now; not 501 NotImplemented or 505, which say the request itself cannot be served. */
    private static final Set<Integer> TRANSIENT_STATUS = Set.of(429, 500, 502, 503, 504);

    private Transient() {
    }

    public static boolean isTransient(Throwable e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            // An error without a code (a body-less answer) is not one of S3's codes: Set.of refuses to look null up.
            return TRANSIENT_STATUS.contains(s3.statusCode()) || code != null && CODES.contains(code);
        }
        if (e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        return e instanceof SdkClientException && isBrokenAnswer(e);
    }

    /**
     * The answer broke on the way: a network error anywhere in the cause chain (the SDK wraps one met while
     * reading a body in "Could not parse XML response", which its own retry conditions do not look into), or a
     * body that could not be parsed at all. Not a server that refused the connection or a name that does not
     * resolve.
     */
    public static boolean isBrokenAnswer(Throwable e) {
        boolean network = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return false;
            }
            network |= cause instanceof IOException || cause instanceof UncheckedIOException;
        }
        String message = e.getMessage();
        return network || message != null && (message.startsWith("Could not parse XML response")
                || message.startsWith("Unable to unmarshall response"));
    }
}
