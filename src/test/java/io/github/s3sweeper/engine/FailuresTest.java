package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.Age;
import io.github.s3sweeper.config.SweepSettings;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-line causes. The exceptions are built as the SDK builds them from S3's answers: the embedded servers
 * cannot refuse a permission or a Region the way S3 does, so these cases have no server to come from.
 */
class FailuresTest {

    private static String describe(SdkException e) {
        return Failures.describe(e, "my-bucket", "s3:ListBucket", "arn:aws:s3:::my-bucket", "logs/");
    }

    private static S3Exception s3(int status, String code, String message) {
        return s3(status, code, message, SdkHttpResponse.builder().statusCode(status).build());
    }

    private static S3Exception s3(int status, String code, String message, SdkHttpResponse http) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .sdkHttpResponse(http).build())
                .build();
    }

    @Test
    void aMissingBucketSaysWhichSettingToCheck() {
        assertThat(describe(s3(404, "NoSuchBucket", "The specified bucket does not exist")))
                .isEqualTo("the bucket \"my-bucket\" does not exist (NoSuchBucket): check BUCKET_NAME, and that the"
                        + " Region or endpoint is the bucket's");
    }

    @Test
    void accessDeniedNamesTheActionTheRoleNeeds() {
        assertThat(describe(s3(403, "AccessDenied", "Access Denied")))
                .startsWith("access denied (AccessDenied) to s3:ListBucket on arn:aws:s3:::my-bucket: the function's"
                        + " role needs s3:ListBucket for keys under \"logs/\"");
    }

    @Test
    void refusedCredentialsSayWhereCredentialsComeFrom() {
        assertThat(describe(s3(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist")))
                .startsWith("S3 refused the credentials (InvalidAccessKeyId): check AWS_PROFILE");
        assertThat(describe(s3(403, "SignatureDoesNotMatch", "The request signature we calculated does not match")))
                .startsWith("S3 refused the credentials (SignatureDoesNotMatch)");
    }

    @Test
    void aBucketInAnotherRegionNamesThatRegion() {
        SdkHttpResponse redirect = SdkHttpResponse.builder().statusCode(301)
                .putHeader("x-amz-bucket-region", "eu-west-1").build();
        assertThat(describe(s3(301, "PermanentRedirect", "The bucket you are attempting to access must be addressed"
                + " using the specified endpoint.", redirect)))
                .isEqualTo("the bucket \"my-bucket\" is in another Region (PermanentRedirect): it is in eu-west-1;"
                        + " set AWS_REGION=eu-west-1");
        assertThat(describe(s3(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the"
                + " region 'us-east-1' is wrong; expecting 'ap-south-1'")))
                .endsWith("it is in ap-south-1; set AWS_REGION=ap-south-1");
    }

    @Test
    void aRefusedConnectionPointsAtTheEndpoint() {
        SdkClientException e = SdkClientException.builder().message("Unable to execute HTTP request: Connection"
                + " refused").cause(new ConnectException("Connection refused")).build();

        assertThat(describe(e)).isEqualTo("cannot connect to S3 (Connection refused): check AWS_ENDPOINT_URL_S3 (or"
                + " AWS_ENDPOINT_URL) and that the server is up");
    }

    @Test
    void anUnknownHostPointsAtRegionEndpointAndDns() {
        SdkClientException e = SdkClientException.builder().message("Received an UnknownHostException")
                .cause(new UnknownHostException("my-bucket.s3.nowhere-1.amazonaws.com")).build();

        assertThat(describe(e)).startsWith("cannot resolve the S3 host my-bucket.s3.nowhere-1.amazonaws.com");
    }

    @Test
    void missingCredentialsSayWhereTheyAreLookedFor() {
        SdkClientException e = SdkClientException.builder().message("Unable to load credentials from any of the"
                + " providers in the chain").build();

        assertThat(describe(e)).startsWith("no AWS credentials found (SdkClientException): set AWS_PROFILE");
    }

    @Test
    void refusedDeletesAreCountedByCodeWithTheDeletePermissionsTheRunNeeds() {
        SweepSettings versions = SweepSettings.builder("my-bucket", "logs/", Age.ofDays(30))
                .noncurrentDays(OptionalInt.of(7)).build();

        assertThat(Failures.ofDeletes(versions, 4, 10, "AccessDenied ×3, InternalError ×1")).isEqualTo("4 of the 10"
                + " entries chosen under s3://my-bucket/logs/ could not be deleted (AccessDenied ×3, InternalError ×1);"
                + " the summary's errors name them; for AccessDenied the function's role needs s3:DeleteObject and"
                + " s3:DeleteObjectVersion on arn:aws:s3:::my-bucket/logs/*");
        assertThat(Failures.ofDeletes(versions, 1, 10, "SlowDown ×1")).doesNotContain("role needs");
    }

    @Test
    void aFailedVersionListingNamesListBucketVersions() {
        SweepSettings versions = SweepSettings.builder("my-bucket", "logs/", Age.ofDays(30))
                .noncurrentDays(OptionalInt.of(7)).build();

        assertThat(Failures.ofListing(s3(403, "AccessDenied", "Access Denied"), versions, 0, 0, null))
                .startsWith("Access denied (AccessDenied) to s3:ListBucketVersions on arn:aws:s3:::my-bucket")
                .endsWith("nothing was listed");
    }

    @Test
    void anyOtherS3ErrorKeepsStatusCodeAndTheFirstLineOfItsMessage() {
        assertThat(describe(s3(500, "InternalError", "We encountered an internal error.\nPlease try again.")))
                .isEqualTo("S3 answered HTTP 500 InternalError: We encountered an internal error");
    }
}
