package io.github.s3sweeper.engine;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import javax.xml.stream.XMLStreamException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which failures are sent again, and for how long. The exceptions are built as the SDK builds them; the fault
 * matrix (FaultMatrixIT) produces the same failures over HTTP.
 */
class RetryingTest {

    private final List<Duration> pauses = new ArrayList<>();

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    private static SdkClientException cutBody() {
        // What the SDK throws when a response body breaks off: a parse failure around the network error.
        return SdkClientException.builder().message("Could not parse XML response.")
                .cause(new XMLStreamException("ParseError", new SocketException("Connection reset"))).build();
    }

    @Test
    void throttlingServerErrorsTimeoutsAndBrokenAnswersAreTransient() {
        assertThat(List.<Throwable>of(s3(503, "SlowDown"), s3(500, "InternalError"), s3(400, "RequestTimeout"),
                s3(429, "TooManyRequests"), ApiCallAttemptTimeoutException.create(10_000), cutBody(),
                SdkClientException.builder().message("x").cause(new EOFException("eof")).build()))
                .allMatch(Transient::isTransient);
    }

    @Test
    void refusalsAndAServerThatIsNotThereArePermanent() {
        assertThat(List.<Throwable>of(s3(403, "AccessDenied"), s3(404, "NoSuchBucket"), s3(400, "InvalidRequest"),
                s3(501, "NotImplemented"),
                SdkClientException.builder().message("refused").cause(new ConnectException("refused")).build(),
                SdkClientException.builder().message("dns").cause(new UnknownHostException("nowhere")).build(),
                SdkClientException.builder().message("Unable to load credentials").build()))
                .noneMatch(Transient::isTransient);
    }

    @Test
    void aBrokenAnswerIsOneTheSdksOwnConditionsMissed() {
        assertThat(Transient.isBrokenAnswer(cutBody())).isTrue();
        assertThat(Transient.isBrokenAnswer(SdkClientException.builder().message("Could not parse XML response.")
                .build())).as("a garbled body, no network error").isTrue();
    }

    @Test
    void aTransientFailureIsSentAgainUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        Retrying retrying = new Retrying(Budget.UNLIMITED, pauses::add);

        String answer = retrying.call(() -> {
            if (calls.incrementAndGet() < 5) {
                throw s3(503, "SlowDown");
            }
            return "page";
        });

        assertThat(answer).isEqualTo("page");
        assertThat(calls).hasValue(5);
        assertThat(pauses).hasSize(4).allSatisfy(p -> assertThat(p).isBetween(Duration.ZERO, Duration.ofSeconds(10)));
    }

    @Test
    void aPermanentFailureIsNotSentAgain() {
        AtomicInteger calls = new AtomicInteger();
        Retrying retrying = new Retrying(Budget.UNLIMITED, pauses::add);

        assertThatThrownBy(() -> retrying.call(() -> {
            calls.incrementAndGet();
            throw s3(403, "AccessDenied");
        })).isInstanceOf(S3Exception.class);
        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aTransientFailureThatOutlastsTheRoundsIsTheAnswer() {
        AtomicInteger calls = new AtomicInteger();
        Retrying retrying = new Retrying(Budget.UNLIMITED, pauses::add);

        assertThatThrownBy(() -> retrying.call(() -> {
            calls.incrementAndGet();
            throw s3(500, "InternalError");
        })).isInstanceOf(SdkException.class).hasMessageStartingWith("InternalError");
        assertThat(calls).hasValue(Retrying.ROUNDS);
    }

    @Test
    void aSpentBudgetStopsTheRetriesWithTheLastFailureAsCause() {
        AtomicBoolean spent = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        Retrying retrying = new Retrying(spent::get, pauses::add);

        assertThatThrownBy(() -> retrying.call(() -> {
            if (calls.incrementAndGet() == 2) {
                spent.set(true);
            }
            throw s3(503, "SlowDown");
        })).isInstanceOf(Retrying.BudgetSpent.class).hasCauseInstanceOf(S3Exception.class);
        assertThat(calls).hasValue(2);
        assertThat(retrying.mayRetry(1)).isFalse();
    }
}
