package io.github.s3sweeper.testing;

import io.github.s3sweeper.aws.Listings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.util.List;

/** Clients for test set-up and inspection, signed with the embedded server's keys. */
public final class S3TestClients {

    private S3TestClients() {
    }

    public static S3Client client(URI endpoint, String accessKey, String secretKey, ExecutionInterceptor... interceptors) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(ApacheHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // HttpURLConnection reused connections the embedded server had closed ("Error writing request body
                // to server"), and a retried PUT then left two versions behind; the Apache client checks them first.
                .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
                .overrideConfiguration(c -> {
                    // As S3ClientFactory's client: the sweeps the tests run read their listings with the project's parser.
                    c.addExecutionInterceptor(Listings.INTERCEPTOR);
                    for (ExecutionInterceptor interceptor : interceptors) {
                        c.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }

    /** Every key in the bucket, sorted. */
    public static List<String> keys(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).encodingType(EncodingType.URL)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }
}
