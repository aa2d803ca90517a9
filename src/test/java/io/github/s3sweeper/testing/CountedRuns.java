package io.github.s3sweeper.testing;

import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.lambda.SweepHandler;
import io.github.s3sweeper.report.SweepSummary;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real handler (its 4-argument constructor, the production client from {@link S3ClientFactory}) with
 * AWS_ENDPOINT_URL_S3 pointing at a {@link CountingEndpoint}, and tells what came of it: the refusal and the
 * connections that reached the server, or the summary and the requests. The clients built are counted too: an
 * endpoint setting that is itself bad would point them elsewhere, and then no client may be built at all.
 */
public final class CountedRuns implements AutoCloseable {

    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T03:00:00Z"), ZoneOffset.UTC);
    public static final String INVALID = "Invalid settings, nothing was listed or deleted: ";

    private final CountingEndpoint s3 = CountingEndpoint.start();
    private final TemporarySystemProperties credentials = TemporarySystemProperties.dummyCredentials();

    /** What a refused invocation left: the exception, its log, the clients built and connections made. */
    public record Refusal(InvalidSettingsException exception, LogLines log, int clientsBuilt, int connections) {
    }

    /** What an accepted invocation left: its summary, its log, connections made and the requests S3 got. */
    public record Run(SweepSummary summary, LogLines log, int connections, List<String> requests,
                      CountingEndpoint endpoint) {
    }

    public String endpoint() {
        return s3.endpoint().toString();
    }

    /** Connections that reached the endpoint since the last call, for runs this class did not start (the CLI's). */
    public int connectionsSinceLastAsked() {
        return s3.connections();
    }

    public Refusal refusal(Map<String, String> env, Map<String, Object> event) {
        s3.connections();
        LogLines log = new LogLines();
        List<S3Client> built = new ArrayList<>();
        SweepHandler handler = new SweepHandler(env, CLOCK, settings -> {
            S3Client client = S3ClientFactory.create(settings);
            built.add(client);
            return client;
        }, log);
        InvalidSettingsException refused = null;
        try {
            handler.handleRequest(event, new TestContext());
        } catch (InvalidSettingsException e) {
            refused = e;
        } finally {
            built.forEach(S3Client::close);
        }
        return new Refusal(refused, log, built.size(), s3.connections());
    }

    public Run run(Map<String, String> env, Map<String, Object> event) {
        s3.connections();
        s3.clearRequests();
        LogLines log = new LogLines();
        List<S3Client> built = new ArrayList<>();
        SweepHandler handler = new SweepHandler(env, CLOCK, settings -> {
            S3Client client = S3ClientFactory.create(settings);
            built.add(client);
            return client;
        }, log);
        try {
            SweepSummary summary = handler.handleRequest(event, new TestContext());
            return new Run(summary, log, s3.connections(), s3.requests(), s3);
        } finally {
            built.forEach(S3Client::close);
        }
    }

    /**
     * What every refusal must be: one exception with the whole message and no stack trace or cause, logged once as
     * one JSON line that carries the same message and problems, with no client built and no connection made.
     */
    public static void assertRefusedBeforeAnyRequest(Refusal refusal, String expectedProblem) {
        assertThat(refusal.exception()).as("the invocation is refused").isNotNull();
        assertThat(refusal.exception().getMessage()).isEqualTo(INVALID + expectedProblem);
        assertThat(refusal.exception().problems()).containsExactly(expectedProblem);
        assertThat(refusal.exception().getStackTrace()).as("the runtime would print a trace under the message").isEmpty();
        assertThat(refusal.exception().getCause()).isNull();
        assertShownSafely(refusal.exception().getMessage());
        assertThat(refusal.log().raw()).as("one line, not broken by the value").singleElement();
        assertThat(refusal.log().records()).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("level", "ERROR").containsEntry("event", "invalidSettings")
                .containsEntry("message", refusal.exception().getMessage())
                .containsEntry("problems", List.of(expectedProblem)));
        assertThat(refusal.clientsBuilt()).as("S3 clients built").isZero();
        assertThat(refusal.connections()).as("connections that reached the S3 endpoint").isZero();
    }

    /**
     * A message a terminal and a log line can take as it is: every character printable (no control, format or
     * separator character other than the space), and short enough to read.
     */
    public static void assertShownSafely(String message) {
        assertThat(message.length()).as("message length").isLessThan(1500);
        message.codePoints().forEach(c -> assertThat(c == ' ' || switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
            default -> true;
        }).as("U+%04X in: %s", c, message).isTrue());
    }

    @Override
    public void close() throws Exception {
        credentials.close();
        s3.close();
    }
}
