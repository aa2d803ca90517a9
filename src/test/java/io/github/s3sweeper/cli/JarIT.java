package io.github.s3sweeper.cli;

import io.github.s3sweeper.testing.EmbeddedS3;
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
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

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
    void deletesExpiredObjectsAndPrintsTheSummary() throws Exception {
        Run run = run(env(server.endpoint().toString()));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("\"bucket\":\"" + bucket + "\"", "\"scanned\":2", "\"expired\":1",
                "\"deleted\":1", "\"failed\":0", "\"bytesDeleted\":4");
        assertThat(run.stderr()).contains("To delete:             1", "Left to delete:        0");
        assertThat(keys()).containsExactly("exports-old/old.csv", "exports/2026/fresh.csv");
    }

    @Test
    void dryRunFlagDeletesNothing() throws Exception {
        Run run = run(env(server.endpoint().toString()), "--dry-run");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("\"dryRun\":true", "\"expired\":1", "\"deleted\":0");
        assertThat(run.stderr()).contains("\"event\":\"wouldDelete\",\"key\":\"exports/2026/old.csv\"");
        assertThat(keys()).hasSize(3);
    }

    @Test
    void runsEachEventFile() throws Exception {
        for (String file : List.of("events/scheduled-event.json", "events/scheduler-input.json",
                "events/manual-invoke.json")) {
            Run run = run(env(server.endpoint().toString()), "--dry-run", "--event", file);

            assertThat(run.exit()).as(file + ": " + run.stderr()).isZero();
            assertThat(run.stdout()).as(file).contains("\"expired\":1");
        }
    }

    @Test
    void readsAnEventFileWithEscapesAsTheRuntimeWouldAndPrintsOneSummaryLine(@TempDir Path dir) throws Exception {
        Path event = Files.writeString(dir.resolve("nightly.json"), "\uFEFF{\r\n  \"trigger\": \"n\\u0069ghtly"
                + " \\\"run\\\"\",\r\n  \"prefix\": \"exports\\/2026/\",\n  \"keepLatest\": 0\n}\n");

        Run run = run(env(server.endpoint().toString()), "--dry-run", "--event", event.toString());

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout().lines()).singleElement().asString().startsWith("{\"bucket\":\"" + bucket + "\","
                + "\"prefix\":\"exports/2026/\",").contains("\"scanned\":2", "\"expired\":1");
        assertThat(run.stderr()).contains("\"trigger\":\"nightly \\\"run\\\"\"");
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
        assertThat(run.stdout()).contains("\"deleted\":0");
    }

    @Test
    void badSettingsExitTwoWithoutAnyRequest(@TempDir Path dir) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = env("http://127.0.0.1:" + listener.getLocalPort());
            env.put("RETENTION_DAYS", "-3");
            env.put("BUCKET_NAME", "Bad_Bucket");

            Run run = run(env);

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.stderr()).contains("BUCKET_NAME=\"Bad_Bucket\"", "RETENTION_DAYS=\"-3\": must be at least 1");
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
