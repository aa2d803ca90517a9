package io.github.s3sweeper.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Invokes a Lambda function asynchronously (Lambda's Invoke API with {@code X-Amz-Invocation-Type: Event}): how a
 * run that its time budget stopped hands the rest of its prefix to the next run of its chain.
 *
 * <p>The request is the SDK's own: signed with its Signature V4 signer and the default credentials chain (in Lambda,
 * the function's role), sent with the same URLConnection client as S3's. The SDK's Lambda client is not used: it
 * would add 3.4 MB to a jar whose size is the cold start, for the one operation this needs.
 */
public final class LambdaInvoker {

    /** Lambda accepts an asynchronous invocation with 202 Accepted. */
    static final int ACCEPTED = 202;
    static final int ATTEMPTS = 3;
    /**
     * Lambda queues an asynchronous invocation in milliseconds; the run sends it inside its last seconds, so three
     * attempts must fit there too.
     */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    private static final String API_VERSION = "2015-03-31";

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final Consumer<Duration> pause;

    /**
     * @param endpoint Lambda's endpoint: {@code AWS_ENDPOINT_URL_LAMBDA} when set (tests, LocalStack), else the
     *                 Region's own
     * @param pause    how to wait between attempts (tests: no wait)
     */
    public LambdaInvoker(Optional<URI> endpoint, String region, Consumer<Duration> pause) {
        this.region = Objects.requireNonNull(region, "region");
        this.endpoint = endpoint.orElseGet(() -> regionalEndpoint(region));
        this.credentials = DefaultCredentialsProvider.builder().build();
        this.http = UrlConnectionHttpClient.builder().socketTimeout(ATTEMPT_TIMEOUT)
                .connectionTimeout(ATTEMPT_TIMEOUT).build();
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    static URI regionalEndpoint(String region) {
        RegionMetadata metadata = Region.of(region).metadata();
        String suffix = metadata != null ? metadata.partition().dnsSuffix() : "amazonaws.com";
        return URI.create("https://lambda." + region + "." + suffix);
    }

    /**
     * Queues one invocation of {@code function} with {@code payload} as its event. Throttling, server errors and a
     * connection that could not be made are tried again, twice, a second or two apart; an answer that did not come in
     * time is not, since Lambda may have queued the invocation (a second one would start a second chain).
     *
     * @throws InvokeFailedException when Lambda did not accept it, with its status and message
     */
    public void invokeAsync(String function, String payload) {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        String path = "/" + API_VERSION + "/functions/" + URLEncoder.encode(function, StandardCharsets.UTF_8)
                + "/invocations";
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve(stripTrailingSlash(endpoint.getPath()) + path))
                .putHeader("X-Amz-Invocation-Type", "Event")
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", String.valueOf(body.length))
                .build();
        InvokeFailedException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                pause.accept(Duration.ofMillis(1000L * (attempt - 1)));
            }
            try {
                Answer answer = send(request, body);
                if (answer.status() == ACCEPTED) {
                    return;
                }
                last = new InvokeFailedException("Lambda answered the invocation of " + function + " with HTTP "
                        + answer.status() + ": " + answer.text());
                if (!(answer.status() == 429 || answer.status() >= 500)) {
                    throw last;
                }
            } catch (UncheckedIOException e) {
                last = new InvokeFailedException("the invocation of " + function + " at " + endpoint
                        + " failed: " + e.getCause());
                if (e.getCause() instanceof java.net.SocketTimeoutException timeout && timeout.getMessage() != null
                        && timeout.getMessage().toLowerCase(java.util.Locale.ROOT).contains("read")) {
                    throw new InvokeFailedException(last.getMessage() + " (sent, no answer within "
                            + ATTEMPT_TIMEOUT.toSeconds() + " s: Lambda may have queued it)");
                }
            }
        }
        throw last;
    }

    private Answer send(SdkHttpRequest request, byte[] body) {
        // Signed again for each attempt: the signature dates itself, and the role's credentials may have rotated.
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
            String text = "";
            if (response.responseBody().isPresent()) {
                try (InputStream in = response.responseBody().get()) {
                    // A short error document at most; a longer one is cut.
                    text = new String(in.readNBytes(1000), StandardCharsets.UTF_8).strip();
                }
            }
            return new Answer(response.httpResponse().statusCode(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripTrailingSlash(String path) {
        return path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private record Answer(int status, String text) {
    }

    /** Lambda did not accept an invocation. */
    public static final class InvokeFailedException extends RuntimeException {
        public InvokeFailedException(String message) {
            super(message);
        }
    }
}
