package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.SweepSettings;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in one line why a run failed: the S3 error in S3's own words (its error code), and what to do about it where
 * the cause is known (the IAM action that was denied, the bucket's Region, the variable to check), then what the
 * run had done. An operator reads this first, so it names the cause before anything else.
 */
final class Failures {

    private static final Set<String> CREDENTIAL_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "InvalidClientTokenId");
    private static final Set<String> REGION_CODES = Set.of("PermanentRedirect", "AuthorizationHeaderMalformed",
            "IllegalLocationConstraintException", "301");
    /** What S3 says in AuthorizationHeaderMalformed: "the region 'us-east-1' is wrong; expecting 'eu-west-1'". */
    private static final Pattern EXPECTED_REGION = Pattern.compile("expecting '([a-z0-9-]+)'");

    private Failures() {
    }

    /** Why a listing stopped the run, first, then what the run had done: the failure of a run whose listing failed. */
    static String ofListing(SdkException e, SweepSettings settings, long deleted, long expired, String lastKey) {
        String action = settings.sweepsVersions() ? "s3:ListBucketVersions" : "s3:ListBucket";
        String cause = describe(e, settings.bucket(), action, "arn:aws:s3:::" + settings.bucket(), settings.prefix());
        return String.format("%s. Listing s3://%s/%s stopped there: deleted %d of the %d entries chosen before it; %s",
                Character.toUpperCase(cause.charAt(0)) + cause.substring(1), settings.bucket(), settings.prefix(),
                deleted, expired, lastKey == null ? "nothing was listed"
                        : "keys after \"" + lastKey + "\" were not examined");
    }

    /** The failure of a run in which S3 refused entries: how many, by S3's error code, and the IAM remedy. */
    static String ofDeletes(SweepSettings settings, long failed, long expired, String codes) {
        String failure = String.format("%d of the %d entries chosen under s3://%s/%s could not be deleted (%s); the"
                + " summary's errors name them", failed, expired, settings.bucket(), settings.prefix(), codes);
        if (codes.contains("AccessDenied")) {
            failure += String.format("; for AccessDenied the function's role needs %s on arn:aws:s3:::%s/%s*",
                    settings.sweepsVersions() ? "s3:DeleteObject and s3:DeleteObjectVersion" : "s3:DeleteObject",
                    settings.bucket(), settings.prefix());
        }
        return failure;
    }

    /**
     * Why ABORT_INCOMPLETE_UPLOADS_AFTER did not do all it should: the uploads S3 did not abort, by S3's error code,
     * and the listing of uploads that failed; null when neither happened.
     */
    static String ofUploads(SweepSettings settings, UploadSweep uploads) {
        String where = "s3://" + settings.bucket() + "/" + settings.prefix();
        String failure = null;
        if (uploads.failed > 0) {
            failure = String.format("%d of the %d incomplete multipart uploads chosen under %s could not be aborted"
                    + " (%s); the log's uploadAbortFailed lines name them", uploads.failed, uploads.expired, where,
                    uploads.failureCodes());
            if (uploads.failuresByCode.containsKey("AccessDenied")) {
                failure += String.format("; for AccessDenied the function's role needs s3:AbortMultipartUpload on"
                        + " arn:aws:s3:::%s/%s*", settings.bucket(), settings.prefix());
            }
        }
        if (uploads.listingFailure != null) {
            String cause = describe(uploads.listingFailure, settings.bucket(), "s3:ListBucketMultipartUploads",
                    "arn:aws:s3:::" + settings.bucket(), "");
            String listing = String.format("listing the incomplete multipart uploads under %s failed after %d of them:"
                    + " %s", where, uploads.scanned, cause);
            failure = failure == null ? listing : failure + "; " + listing;
        }
        return failure == null ? null : Character.toUpperCase(failure.charAt(0)) + failure.substring(1);
    }

    /**
     * @param action the IAM action the failed request needs, such as {@code s3:ListBucket}
     * @param resource the ARN the action was asked on, for the message
     */
    static String describe(SdkException e, String bucket, String action, String resource, String prefix) {
        String code = BatchSender.errorCode(e);
        if (e instanceof S3Exception s3) {
            if ("NoSuchBucket".equals(code)) {
                return "the bucket \"" + bucket + "\" does not exist (NoSuchBucket): check BUCKET_NAME, and that the"
                        + " Region or endpoint is the bucket's";
            }
            if ("AccessDenied".equals(code) || s3.statusCode() == 403 && !CREDENTIAL_CODES.contains(code)) {
                String scope = prefix.isEmpty() ? "" : " for keys under \"" + prefix + "\"";
                return "access denied (" + code + ") to " + action + " on " + resource + ": the function's role needs "
                        + action + scope + ", and no bucket policy, SCP or KMS key policy may deny it";
            }
            if (CREDENTIAL_CODES.contains(code)) {
                return "S3 refused the credentials (" + code + "): check AWS_PROFILE, or AWS_ACCESS_KEY_ID and"
                        + " AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones); in Lambda, the"
                        + " execution role";
            }
            if (REGION_CODES.contains(code) || s3.statusCode() == 301) {
                String region = bucketRegion(s3);
                return "the bucket \"" + bucket + "\" is in another Region (" + code + ")"
                        + (region == null ? ": set AWS_REGION to the bucket's Region"
                        : ": it is in " + region + "; set AWS_REGION=" + region);
            }
            return "S3 answered HTTP " + s3.statusCode() + " " + code + ": " + clause(s3.awsErrorDetails() == null
                    ? e.getMessage() : s3.awsErrorDetails().errorMessage());
        }
        Throwable root = rootCause(e);
        if (root instanceof ConnectException) {
            return "cannot connect to S3 (" + clause(root.getMessage()) + "): check AWS_ENDPOINT_URL_S3 (or"
                    + " AWS_ENDPOINT_URL) and that the server is up";
        }
        if (root instanceof UnknownHostException) {
            return "cannot resolve the S3 host " + clause(root.getMessage()) + " (UnknownHostException): check"
                    + " AWS_REGION, AWS_ENDPOINT_URL_S3 and DNS";
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || root instanceof SocketTimeoutException) {
            return "S3 did not answer in time (" + root.getClass().getSimpleName() + ": " + clause(root.getMessage())
                    + ")";
        }
        if (e instanceof SdkClientException && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("unable to load credentials")) {
            return "no AWS credentials found (SdkClientException): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY; in Lambda, the execution role provides them";
        }
        return code + ": " + clause(e.getMessage());
    }

    /** S3 names the bucket's Region in a header of its redirect, or in the message of a malformed signature. */
    private static String bucketRegion(S3Exception e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().sdkHttpResponse() != null) {
            var header = e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
            if (header.isPresent()) {
                return header.get();
            }
        }
        Matcher expected = EXPECTED_REGION.matcher(String.valueOf(e.getMessage()));
        return expected.find() ? expected.group(1) : null;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * The SDK appends "(Service: S3, Status Code: …, Request ID: …)" and more lines to its messages; the first line is
     * the point. Null stays null.
     */
    static String firstLine(String message) {
        if (message == null) {
            return null;
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The first line as a clause of the caller's sentence: without its full stop. */
    private static String clause(String message) {
        String line = firstLine(message);
        if (line == null) {
            return "(no message)";
        }
        line = line.strip();
        while (line.endsWith(".")) {
            line = line.substring(0, line.length() - 1);
        }
        return line;
    }
}
