package io.github.s3sweeper.aws;

import io.github.s3sweeper.config.S3Settings;
import io.github.s3sweeper.engine.Transient;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The one place that builds the S3 client. */
public final class S3ClientFactory {

    private S3ClientFactory() {
    }

    /**
     * Idle connections the JDK keeps per server; its default of 5 is below the listing and delete requests a sweep
     * has in flight, and each connection beyond it would be closed after one request and opened again (on S3, a
     * new TLS handshake per request).
     */
    static final String KEEP_ALIVE_CONNECTIONS = "80";
    static final String IGNORE_CONFIGURED_ENDPOINTS = "aws.ignoreConfiguredEndpointUrls";

    public static S3Client create(S3Settings settings) {
        // Read once, when the JDK's HTTP keep-alive cache first loads: that is during the first request, after this.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", KEEP_ALIVE_CONNECTIONS);
        }
        // The endpoint is the settings' (from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, already validated). Left to
        // itself the SDK reads those variables again and fails on the empty value the template declares.
        System.setProperty(IGNORE_CONFIGURED_ENDPOINTS, "true");
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                // The URLConnection client comes with the JDK: no native library and no connection-pool
                // start-up, which keeps the jar small and the cold start short.
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        // The attempt timeout below cannot interrupt a blocked socket read of this client; a read
                        // timeout as long as an attempt can, so a stalled answer fails the attempt in seconds.
                        .socketTimeout(settings.attemptTimeout()))
                // Checksums only where S3 requires them (DeleteObjects): what every S3-compatible server accepts.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Adaptive retries: 503 SlowDown and 5xx are retried with backoff, and throttling also slows the
                // client's own request rate, which is what S3's per-prefix limits ask of a bulk deleter. Added: an
                // answer cut or reset while its body was read, which the SDK reports as a parse failure and its own
                // conditions do not retry. The engine sends a request again after the SDK's attempts, within the
                // run's time budget (engine/Retrying).
                .overrideConfiguration(o -> o
                        // ListObjectsV2 answers read by the project's parser (aws/Listings): the SDK's unmarshalling
                        // was most of a sweep's CPU.
                        .addExecutionInterceptor(Listings.INTERCEPTOR)
                        .retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                                .retryOnException(Transient::isBrokenAnswer)
                                .build())
                        .apiCallAttemptTimeout(settings.attemptTimeout()));
        // A named profile (--profile, AWS_PROFILE): the SDK's default chain with that profile, so credentials in the
        // environment still come first, as the AWS CLI takes them.
        settings.profile().ifPresent(profile -> builder.credentialsProvider(
                DefaultCredentialsProvider.builder().profileName(profile).build()));
        if (settings.endpoint().isPresent()) {
            builder.endpointOverride(settings.endpoint().get())
                    // Other S3 servers (LocalStack, MinIO, test servers) do not serve virtual-hosted bucket names.
                    .forcePathStyle(true);
        } else {
            // Lambda's AWS_REGION is the function's Region; the bucket may live in another one.
            builder.crossRegionAccessEnabled(true);
        }
        return builder.build();
    }
}
