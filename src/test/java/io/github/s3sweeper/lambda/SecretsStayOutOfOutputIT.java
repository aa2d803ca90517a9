package io.github.s3sweeper.lambda;

import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.S3Settings;
import io.github.s3sweeper.engine.SweepFailedException;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.EmbeddedS3;
import io.github.s3sweeper.testing.FailingKeysS3Client;
import io.github.s3sweeper.testing.LogLines;
import io.github.s3sweeper.testing.S3TestClients;
import io.github.s3sweeper.testing.SessionTokenProxy;
import io.github.s3sweeper.testing.TemporarySystemProperties;
import io.github.s3sweeper.testing.TestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The credentials a run signs with and the content of the objects it sweeps never reach anything it writes: log
 * lines (at DEBUG, the most there is, stack traces included), the summary and its account, the exception and its
 * causes, the runtime's logger, standard output and error; in a run that succeeds, a dry run, a run with keys S3
 * refused, a run whose listing failed and runs whose credentials S3 refused. The handler runs in this JVM (the SDK
 * reads aws.accessKeyId, aws.secretAccessKey and aws.sessionToken) and the built jar in a child process (which reads
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN).
 *
 * <p>Two s3proxy servers share one filesystem store. s3proxy answers any request that carries a session token
 * with 501 NotImplemented, so the runs with a token go through a {@link SessionTokenProxy}, which notes the token and
 * takes it off, to the server that does not check signatures (the client signs all the same: EmbeddedS3's keys and
 * the token are in every request it sends). The server that checks signatures with EmbeddedS3's keys refuses a wrong
 * secret, and the token: those are the refused-credentials runs.
 */
class SecretsStayOutOfOutputIT {

    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE-session-token-canary-5d1f2e";
    private static final String WRONG_SECRET = "wrong-secret-canary-9c7b1a";
    private static final Path JAR = Path.of("target", "s3-sweeper.jar");

    @TempDir
    static Path storage;
    private static EmbeddedS3 signed;
    private static EmbeddedS3 unsigned;
    private static SessionTokenProxy tokens;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private String bucket;
    private S3Client admin;
    private final LogLines log = new LogLines();
    private final TestContext context = new TestContext();
    private TemporarySystemProperties properties;

    /** Everything a run wrote, one string each, to search for secrets. */
    private final List<String> written = new ArrayList<>();

    @BeforeAll
    static void startServers() {
        signed = EmbeddedS3.filesystem(storage);
        unsigned = EmbeddedS3.filesystemUnsigned(storage);
        try {
            tokens = new SessionTokenProxy(unsigned.endpoint());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        tokens.close();
        signed.close();
        unsigned.close();
    }

    @BeforeEach
    void fillBucketAndSignWithASessionToken() {
        properties = new TemporarySystemProperties().set("aws.accessKeyId", EmbeddedS3.ACCESS_KEY)
                .set("aws.secretAccessKey", EmbeddedS3.SECRET_KEY).set("aws.sessionToken", SESSION_TOKEN);
        admin = signed.client();
        bucket = "secrets-" + BUCKETS.incrementAndGet();
        admin.createBucket(b -> b.bucket(bucket));
        for (int i = 0; i < 4; i++) {
            signed.putFile(bucket, "backups/old-" + i + ".dump", content(i), NOW.minus(Duration.ofDays(40)));
            signed.putFile(bucket, "backups/new-" + i + ".dump", content(10 + i), NOW.minus(Duration.ofDays(2)));
        }
    }

    @AfterEach
    void restoreProperties() {
        properties.close();
        admin.close();
    }

    private Set<String> keys() {
        return new TreeSet<>(S3TestClients.keys(admin, bucket));
    }

    private static String content(int i) {
        return "OBJECT-CONTENT-CANARY-" + i + "-a1b2c3";
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", "backups/");
        env.put("RETENTION_DAYS", "30");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", tokens.endpoint().toString());
        env.put("AWS_LAMBDA_LOG_LEVEL", "DEBUG");
        // In Lambda, so that the metrics record is written too.
        env.put("AWS_LAMBDA_FUNCTION_NAME", "s3-sweeper");
        return env;
    }

    /**
     * Runs the handler with System.out and System.err captured, and keeps everything it wrote and threw; returns
     * the summary, from the exception when the run failed.
     */
    private SweepSummary run(Map<String, String> env, Map<String, Object> event, Function<S3Settings, S3Client> clients) {
        List<S3Client> built = new ArrayList<>();
        SweepHandler handler = new SweepHandler(env, CLOCK, settings -> {
            S3Client client = clients.apply(settings);
            built.add(client);
            return client;
        }, log);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        SweepSummary summary;
        try {
            System.setOut(capture);
            System.setErr(capture);
            summary = handler.handleRequest(event, context);
        } catch (SweepFailedException e) {
            summary = e.summary();
            written.add(e.toString());
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            written.add(trace.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
            built.forEach(S3Client::close);
        }
        written.add(console.toString(StandardCharsets.UTF_8));
        written.addAll(log.raw());
        context.lines().forEach(line -> written.add(line.message()));
        written.add(summary.toJson());
        written.add(summary.toAccount());
        assertThat(log.raw()).as("the run logged").isNotEmpty();
        return summary;
    }

    private void assertNoSecretWritten(String... more) {
        assertThat(written).isNotEmpty();
        List<String> secrets = new ArrayList<>(List.of(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, SESSION_TOKEN,
                "session-token-canary", "OBJECT-CONTENT-CANARY",
                // How a signed request would show them: the Authorization header and the token header.
                "AWS4-HMAC-SHA256", "Signature=", "X-Amz-Security-Token", "x-amz-security-token"));
        secrets.addAll(List.of(more));
        for (String text : written) {
            for (String secret : secrets) {
                assertThat(text).as("no %s in what the run wrote", secret).doesNotContainIgnoringCase(secret);
            }
        }
    }

    @Test
    void theSearchFindsASecretWhereverItIs() {
        // The check itself can fail: a secret in any case, anywhere in anything written, is found.
        written.add("{\"message\":\"signed with SWEEPER-TEST-SECRET\"}");

        org.assertj.core.api.Assertions.assertThatThrownBy(this::assertNoSecretWritten).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no sweeper-test in what the run wrote");
    }

    @Test
    void aRunThatSucceedsWritesNoSecret() {
        SweepSummary summary = run(env(), Map.of(), S3ClientFactory::create);

        assertThat(summary.deleted()).isEqualTo(4);
        assertThat(tokens.tokens()).as("every request carried the session token").isNotEmpty()
                .containsOnly(SESSION_TOKEN);
        assertThat(log.events("deleted")).hasSize(4);
        assertThat(log.metrics()).hasSize(1);
        assertNoSecretWritten();
    }

    @Test
    void aDryRunWritesNoSecret() {
        SweepSummary summary = run(env(), Map.of("dryRun", true, "trigger", "secrets-check"), S3ClientFactory::create);

        assertThat(summary.expired()).isEqualTo(4);
        assertThat(log.events("wouldDelete")).hasSize(4);
        assertThat(keys()).hasSize(8);
        assertNoSecretWritten();
    }

    @Test
    void aRunWithKeysS3RefusedWritesNoSecret() {
        SweepSummary summary = run(env(), Map.of(), settings -> new FailingKeysS3Client(
                S3ClientFactory.create(settings), Set.of("backups/old-1.dump", "backups/old-2.dump"), 0, 0));

        assertThat(summary.failed()).isEqualTo(2);
        assertThat(summary.failure()).contains("AccessDenied");
        assertThat(log.events("deleteFailed")).hasSize(2);
        assertNoSecretWritten();
    }

    @Test
    void aRunWhoseListingFailedWritesNoSecret() {
        SweepSummary summary = run(env(), Map.of(), settings -> new FailingKeysS3Client(
                S3ClientFactory.create(settings), Set.of(), 0, 1));

        assertThat(summary.stoppedBy()).isEqualTo(SweepSummary.LISTING_FAILED);
        assertThat(log.events("failureDetail")).as("the stack trace, at DEBUG").hasSize(1);
        assertNoSecretWritten();
    }

    @Test
    void aRunOfAMissingBucketWritesNoSecret() {
        Map<String, String> env = env();
        env.put("BUCKET_NAME", "no-such-bucket-here");

        SweepSummary summary = run(env, Map.of(), S3ClientFactory::create);

        assertThat(summary.failure()).contains("NoSuchBucket");
        assertNoSecretWritten();
    }

    @Test
    void aRunWhoseSecretS3RefusedWritesNoSecret() {
        // S3 answers SignatureDoesNotMatch with the string it signed and the canonical request, and the access key id;
        // none of it may travel into the run's messages.
        properties.set("aws.secretAccessKey", WRONG_SECRET).clear("aws.sessionToken");
        Map<String, String> env = env();
        env.put("AWS_ENDPOINT_URL_S3", signed.endpoint().toString());

        SweepSummary summary = run(env, Map.of(), S3ClientFactory::create);

        assertThat(summary.failure()).contains("SignatureDoesNotMatch");
        assertThat(keys()).hasSize(8);
        assertNoSecretWritten(WRONG_SECRET);
    }

    @Test
    void aRunWhoseSessionTokenS3RefusedWritesNoSecret() {
        Map<String, String> env = env();
        env.put("AWS_ENDPOINT_URL_S3", signed.endpoint().toString());

        SweepSummary summary = run(env, Map.of(), S3ClientFactory::create);

        assertThat(summary.failure()).contains("NotImplemented");
        assertThat(keys()).hasSize(8);
        assertNoSecretWritten();
    }

    private record JarRun(int exit, String stdout, String stderr) {
    }

    private JarRun runJar(Map<String, String> env, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        JarRun run = new JarRun(process.exitValue(), Files.readString(out), Files.readString(err));
        written.add(run.stdout());
        written.add(run.stderr());
        return run;
    }

    @Test
    void theJarWritesNoSecretInAnyOfItsRuns(@TempDir Path dir) throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        Map<String, String> env = env();
        env.remove("AWS_LAMBDA_FUNCTION_NAME");
        env.put("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
        env.put("AWS_SESSION_TOKEN", SESSION_TOKEN);

        JarRun dryRun = runJar(env, dir, "--dry-run", "--verbose", "--list");
        assertThat(dryRun.exit()).as(dryRun.stderr()).isZero();
        assertThat(dryRun.stdout().lines()).hasSize(4);

        JarRun success = runJar(env, dir, "--verbose", "--output", "json");
        assertThat(success.exit()).as(success.stderr()).isZero();
        assertThat(success.stdout()).contains("\"deleted\":4");
        assertThat(success.stderr()).contains("deleted: ");

        Map<String, String> missing = new HashMap<>(env);
        missing.put("BUCKET_NAME", "no-such-bucket-here");
        JarRun listingFailed = runJar(missing, dir);
        assertThat(listingFailed.exit()).isEqualTo(1);
        assertThat(listingFailed.stderr()).contains("NoSuchBucket");

        Map<String, String> refused = new HashMap<>(env);
        refused.put("AWS_SECRET_ACCESS_KEY", WRONG_SECRET);
        refused.remove("AWS_SESSION_TOKEN");
        refused.put("AWS_ENDPOINT_URL_S3", signed.endpoint().toString());
        JarRun credentialsRefused = runJar(refused, dir);
        assertThat(credentialsRefused.exit()).isEqualTo(1);
        assertThat(credentialsRefused.stderr()).contains("SignatureDoesNotMatch");

        assertNoSecretWritten(WRONG_SECRET);
    }
}
