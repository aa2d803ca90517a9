package io.github.s3sweeper.cli;

import io.github.s3sweeper.testing.EmbeddedS3;
import io.github.s3sweeper.testing.FaultProxy;
import io.github.s3sweeper.testing.FilesystemS3Test;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code java -jar target/s3-sweeper.jar} as a user runs it, in its own JVM, against a real S3 server. */
class JarIT extends FilesystemS3Test {

    private static final Path JAR = Path.of("target", "s3-sweeper.jar");


    record Run(int exit, String stdout, String stderr) {
    }

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
    }

    @BeforeEach
    void fillBucket() {
        Instant now = Instant.now();
        server.putFile(bucket, "exports/2026/old.csv", "a,b\n", now.minus(Duration.ofDays(10)));
        server.putFile(bucket, "exports/2026/fresh.csv", "a,b\n", now.minus(Duration.ofDays(1)));
        server.putFile(bucket, "exports-old/old.csv", "a,b\n", now.minus(Duration.ofDays(100)));
    }

    private Map<String, String> env(String endpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", "exports/");
        env.put("RETENTION_DAYS", "7");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", endpoint);
        env.put("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
        return env;
    }

    private static Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return start(env, command);
    }

    /** Runs {@code program} itself (such as script wrapping the jar) rather than the jar. */
    private static Run runProgram(Map<String, String> env, String program, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(List.of(args));
        return start(env, command);
    }

    private static Run start(Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), stdout, stderr);
    }

    @Test
    void deletesExpiredObjectsAndPrintsTheAccount() throws Exception {
        Run run = run(env(server.endpoint().toString()));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Bucket:                " + bucket, "Objects scanned:       2",
                "To delete:             1", "Deleted:               1 (4 bytes)", "Left to delete:        0");
        assertThat(keys()).containsExactly("exports-old/old.csv", "exports/2026/fresh.csv");
    }

    @Test
    void jsonOutputIsTheSummaryOnce() throws Exception {
        Run run = run(env(server.endpoint().toString()), "--output", "json");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout().lines()).singleElement().satisfies(line -> assertThat(line).startsWith("{")
                .contains("\"bucket\":\"" + bucket + "\"", "\"scanned\":2", "\"expired\":1", "\"deleted\":1",
                        "\"failed\":0", "\"bytesDeleted\":4"));
    }

    @Test
    void flagsAloneRunASweepWithoutAnySettingInTheEnvironment() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
        env.put("HOME", "/nonexistent");

        Run run = run(env, "--bucket", bucket, "--prefix", "exports/", "--older-than", "7d", "--region", "eu-west-1",
                "--endpoint-url", server.endpoint().toString(), "-n", "--list");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("exports/2026/old.csv" + System.lineSeparator());
        assertThat(run.stderr()).contains("Threshold:             7 days");
        assertThat(keys()).hasSize(3);
    }

    /** As with the AWS CLI, --profile's credentials come before the environment's (here wrong ones). */
    @Test
    void aProfileNamedOnTheCommandLineGivesTheCredentials(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), "[sweeper]\naws_access_key_id = " + EmbeddedS3.ACCESS_KEY
                + "\naws_secret_access_key = " + EmbeddedS3.SECRET_KEY + "\n");
        Files.writeString(home.resolve(".aws/config"), "[profile sweeper]\nregion = eu-west-1\n");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("AWS_ACCESS_KEY_ID", "wrong-key");
        env.put("AWS_SECRET_ACCESS_KEY", "wrong-secret");
        List<String> flags = List.of("--bucket", bucket, "--prefix", "exports/", "--older-than", "7d", "-n",
                "--endpoint-url", server.endpoint().toString());

        Run withProfile = run(env, java.util.stream.Stream.concat(flags.stream(), Stream.of("--profile", "sweeper"))
                .toArray(String[]::new));
        Run withoutProfile = run(env, java.util.stream.Stream.concat(flags.stream(), Stream.of("--region", "eu-west-1"))
                .toArray(String[]::new));

        assertThat(withProfile.exit()).as(withProfile.stderr()).isZero();
        assertThat(withProfile.stdout()).contains("To delete:             1");
        assertThat(withoutProfile.exit()).as("the environment's wrong keys, without --profile").isEqualTo(1);
        assertThat(withoutProfile.stderr()).contains("FAILED: S3 refused the credentials")
                .doesNotContain("Exception in thread");
    }

    @Test
    void dryRunFlagDeletesNothing() throws Exception {
        Run run = run(env(server.endpoint().toString()), "--dry-run", "--verbose");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("(dry run: nothing deleted)", "To delete:             1",
                "Deleted:               0");
        assertThat(run.stderr()).contains("would delete: exports/2026/old.csv (4 bytes)");
        assertThat(keys()).hasSize(3);
    }

    @Test
    void noProgressLineWhenStderrIsNotATerminal() throws Exception {
        Run run = run(env(server.endpoint().toString()), "--dry-run");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stderr()).doesNotContain("\r").doesNotContain("scanned ");
    }

    /**
     * On a terminal the progress line is drawn on stderr and cleared before the account. {@code script} gives the jar
     * a pseudo-terminal (its stdout and stderr both); the first listing is held a second through the fault proxy so
     * the line has time to be drawn.
     */
    @Test
    void aProgressLineIsDrawnWhenStderrIsATerminal(@TempDir Path storage) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux's script is not installed");
        // A server that does not check signatures: the proxy forwards to another port than the client signed for.
        try (EmbeddedS3 unsigned = EmbeddedS3.filesystemUnsigned(storage);
             FaultProxy proxy = FaultProxy.start(unsigned.endpoint())) {
            try (software.amazon.awssdk.services.s3.S3Client client = unsigned.client()) {
                client.createBucket(b -> b.bucket(bucket));
            }
            unsigned.putFile(bucket, "exports/old.csv", "a,b\n", Instant.now().minus(Duration.ofDays(10)));
            proxy.inject(FaultProxy.Rule.stall(FaultProxy.Kind.LIST, FaultProxy.Plan.first(1), Duration.ofSeconds(1)));
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    JAR.toString(), "--dry-run", "--s3-attempt-timeout", "30s");
            Run run = runProgram(env(proxy.endpoint().toString()), "/usr/bin/script", "-qfec",
                    command.stream().map(JarIT::quoted).collect(java.util.stream.Collectors.joining(" ")), "/dev/null");

            assertThat(run.exit()).as(run.stdout() + run.stderr()).isZero();
            assertThat(run.stdout()).contains("\rscanned ", "\u001b[K").contains("To delete:             1");
            // The line is erased before the account is printed, so the account starts on a clean line.
            assertThat(run.stdout().substring(run.stdout().lastIndexOf("\rscanned "))).contains("\r\u001b[K");
        }
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    @Test
    void runsEachEventFile() throws Exception {
        for (String file : List.of("events/scheduled-event.json", "events/scheduler-input.json",
                "events/manual-invoke.json")) {
            Run run = run(env(server.endpoint().toString()), "--dry-run", "--output", "json", "--event", file);

            assertThat(run.exit()).as(file + ": " + run.stderr()).isZero();
            assertThat(run.stdout()).as(file).contains("\"expired\":1");
        }
    }

    @Test
    void readsAnEventFileWithEscapesAsTheRuntimeWouldAndPrintsOneSummaryLine(@TempDir Path dir) throws Exception {
        Path event = Files.writeString(dir.resolve("nightly.json"), "\uFEFF{\r\n  \"trigger\": \"nightly \\\"run\\\"\","
                + "\r\n  \"prefix\": \"\\u0065xports\\/2026/\",\n  \"keepLatest\": 0\n}\n");

        Run run = run(env(server.endpoint().toString()), "--dry-run", "--output", "json", "--event", event.toString());

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout().lines()).singleElement().asString().startsWith("{\"bucket\":\"" + bucket + "\","
                + "\"prefix\":\"exports/2026/\",").contains("\"scanned\":2", "\"expired\":1");
    }

    @Test
    void theJarLeavesTheRuntimesSerializerToTheRuntime() throws IOException {
        // 9 MB of the jar were the serializer the Lambda runtime brings anyway; only the tests use it now.
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            List<String> serializer = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("com/amazonaws/services/lambda/runtime/serialization/")
                            || name.startsWith("com/amazonaws/lambda/thirdparty/"))
                    .toList();

            assertThat(serializer).isEmpty();
            assertThat(jar.getEntry("io/github/s3sweeper/cli/EventFile.class")).isNotNull();
            assertThat(jar.getEntry("com/amazonaws/services/lambda/runtime/RequestHandler.class")).isNotNull();
        }
    }

    @Test
    void missingBucketExitsOne() throws Exception {
        Map<String, String> env = env(server.endpoint().toString());
        env.put("BUCKET_NAME", "missing-bucket");

        Run run = run(env);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("NoSuchBucket", "s3://missing-bucket/exports/");
        assertThat(run.stdout()).contains("Deleted:               0");
    }

    @Test
    void badSettingsExitTwoWithoutAnyRequest(@TempDir Path dir) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = env("http://127.0.0.1:" + listener.getLocalPort());
            env.put("RETENTION_DAYS", "-3");
            env.put("BUCKET_NAME", "Bad_Bucket");

            Run run = run(env);

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.stderr()).contains("  --bucket/BUCKET_NAME=\"Bad_Bucket\"",
                    "  --retention-days/RETENTION_DAYS=\"-3\": must be at least 1");
            assertThat(run.stdout()).isEmpty();
            assertThat(connectionsWithin(listener, Duration.ofMillis(200))).isZero();
        }
    }

    private static int connectionsWithin(ServerSocket listener, Duration wait) throws IOException {
        listener.setSoTimeout((int) wait.toMillis());
        int accepted = 0;
        try {
            while (true) {
                listener.accept().close();
                accepted++;
            }
        } catch (SocketTimeoutException e) {
            return accepted;
        }
    }
}
