package io.github.s3sweeper.cli;

import io.github.s3sweeper.testing.CountingEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/s3-sweeper.jar --event FILE} with event files that are not what an invocation sends: not
 * JSON, not an object, too deep, too long, or an object with fields the function refuses. Each run exits with 2 (bad
 * settings or arguments), prints nothing on stdout, and opens no connection to the S3 endpoint (a
 * {@link CountingEndpoint} counts them). Files the runtime's reader refuses are reported by the jar as "Cannot read the
 * event file"; files it reads are refused by the function with its exact message.
 */
class BadEventFilesIT {

    private static final Path JAR = Path.of("target", "s3-sweeper.jar");
    private static final String FIELDS = "allowed fields: dryRun, exclude, include, keepLatest, maxDeletes, maxSize,"
            + " minSize, olderThan, prefix, retentionDays, startAfter, trigger";
    private static final String INVALID = "Invalid settings, nothing was listed or deleted: ";

    @TempDir
    static Path dir;
    private static CountingEndpoint s3;

    record Run(int exit, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().toList();
        }
    }

    /** A file the runtime's reader cannot read as an object; {@code reason} is what the message must say. */
    record Unreadable(String name, byte[] content, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A file read as an object, and the function's exact message for it. */
    record Refused(String name, String json, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        s3 = CountingEndpoint.start();
    }

    @AfterAll
    static void stop() throws IOException {
        s3.close();
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", "my-backups");
        env.put("PREFIX", "exports/");
        env.put("RETENTION_DAYS", "7");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", "dummy-access-key");
        env.put("AWS_SECRET_ACCESS_KEY", "dummy-secret-key");
        return env;
    }

    /** Runs the jar with stdout and stderr in files: a megabyte on stderr must not fill a pipe nobody reads. */
    private static Run run(Path event) throws Exception {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--event", event.toString());
        builder.environment().clear();
        builder.environment().putAll(env());
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the jar ends").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    static Stream<Unreadable> unreadable() {
        return Stream.of(
                new Unreadable("array.json", bytes("[1,2]"), "Cannot deserialize value of type"),
                new Unreadable("string.json", bytes("\"just a string\""), "from String value"),
                new Unreadable("number.json", bytes("42"), "Cannot deserialize value of type"),
                new Unreadable("boolean.json", bytes("true"), "Cannot deserialize value of type"),
                new Unreadable("empty.json", bytes(""), "No content to map due to end-of-input"),
                new Unreadable("truncated.json", bytes("{\"prefix\":"), "Unexpected end-of-input"),
                new Unreadable("deep.json", bytes("{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}"),
                        "nesting depth (1001) exceeds the maximum allowed (1000"),
                new Unreadable("not-utf8.json", new byte[] {'{', '"', 't', 'r', 'i', 'g', 'g', 'e', 'r', '"', ':', '"',
                        (byte) 0xC3, (byte) 0x28, '"', '}'}, "Invalid UTF-8 middle byte 0x28"),
                new Unreadable("long-number.json", bytes("{\"retentionDays\":" + "9".repeat(10_000) + "}"),
                        "Number value length (10000) exceeds the maximum allowed (1000"),
                new Unreadable("comment.json", bytes("{\"trigger\":\"x\" /* nightly */}"), "ALLOW_COMMENTS"),
                // Odd, reported in issue #9: the reader's message repeats the string it could not read, all of it, so
                // this run's stderr holds the whole megabyte (cli/Main prints the reader's message as it is).
                new Unreadable("one-mb-string.json", bytes("\"" + "x".repeat(1_000_000) + "\""),
                        "from String value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void aFileTheRuntimeCannotReadAsAnObjectExitsTwoWithoutAConnection(Unreadable file) throws Exception {
        Path event = write(file.name(), file.content());

        Run run = run(event);

        assertThat(run.exit()).as(run.stderr()).isEqualTo(Main.BAD_SETTINGS);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).startsWith("Cannot read the event file " + event + ": ").contains(file.reason())
                .doesNotContain("\tat ", "Exception in thread");
        assertThat(s3.connections()).as("connections that reached the S3 endpoint").isZero();
    }

    @Test
    void aFileHoldingNullExitsTwoWithoutAConnection() throws Exception {
        // The handler takes null as a manual run (Lambda's input without a payload); a file is refused instead.
        Path event = write("null.json", bytes("null"));

        Run run = run(event);

        assertThat(run.exit()).isEqualTo(Main.BAD_SETTINGS);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEqualTo("Cannot read the event file " + event + ": it holds no JSON object\n");
        assertThat(s3.connections()).isZero();
    }

    @Test
    void aMissingFileExitsTwoWithoutAConnection() throws Exception {
        Path event = dir.resolve("no-such-event.json");

        Run run = run(event);

        assertThat(run.exit()).isEqualTo(Main.BAD_SETTINGS);
        assertThat(run.stderr()).startsWith("Cannot read the event file " + event + ": ").contains("NoSuchFileException")
                .doesNotContain("\tat ");
        assertThat(s3.connections()).isZero();
    }

    static Stream<Refused> refused() {
        String manyFields = IntStream.range(0, 100_000).mapToObj(i -> String.format("\"f%06d\":%d", i, i))
                .collect(Collectors.joining(",", "{", "}"));
        String firstTen = IntStream.range(0, 10).mapToObj(i -> String.format("input field \"f%06d\": unknown; %s", i,
                FIELDS)).collect(Collectors.joining("; "));
        return Stream.of(
                new Refused("unknown-field.json", "{\"prefx\": \"exports/a/\"}",
                        INVALID + "input field \"prefx\": unknown; " + FIELDS),
                new Refused("control-characters-in-a-field-name.json", "{\"trigger\\r\\n\\u001b[31mFAKE\": 1}",
                        INVALID + "input field \"trigger\\r\\n\\u001b[31mFAKE\": unknown; " + FIELDS),
                new Refused("nested-garbage.json", "{\"prefix\": {\"a\": [1, {\"b\": [[null]]}], \"c\": {}}}",
                        INVALID + "input field \"prefix\"={\"a\":[1,{\"b\":[[null]]}],\"c\":{}}: a JSON object, not a"
                                + " string; allowed: a key prefix inside the configured PREFIX"),
                new Refused("wrong-types.json", "{\"dryRun\": \"true\", \"keepLatest\": \"2\", \"include\": {}}",
                        INVALID + "input field \"dryRun\"=\"true\": a JSON string, not a boolean; allowed: true or"
                                + " false, as JSON booleans (without quotes); input field \"keepLatest\"=\"2\": a JSON"
                                + " string, not a number; allowed: a whole number from 0 to 100000; input field"
                                + " \"include\"={}: a JSON object, not a string or an array of strings; allowed:"
                                + " comma-separated glob patterns matched against the key relative to the prefix: *"
                                + " and ? within one / segment, ** across segments, {a,b} alternatives; one string,"
                                + " or a non-empty array of patterns"),
                new Refused("one-mb-trigger.json", "{\"trigger\": \"" + "x".repeat(1_000_000) + "\"}",
                        INVALID + "input field \"trigger\"=\"" + "x".repeat(100) + "\"... (1000000 characters): longer"
                                + " than 256 characters; allowed: a short label of at most 256 characters, such as the"
                                + " schedule's name"),
                new Refused("outside-the-prefix.json", "{\"prefix\": \"../../etc/\"}",
                        INVALID + "input field \"prefix\"=\"../../etc/\": outside the configured PREFIX=\"exports/\";"
                                + " allowed: a prefix that starts with \"exports/\""),
                new Refused("100000-unknown-fields.json", manyFields, INVALID + firstTen + "; 99990 more unknown input"
                        + " fields; " + FIELDS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aFileWithFieldsTheFunctionRefusesExitsTwoWithItsExactMessage(Refused file) throws Exception {
        Run run = run(write(file.name(), bytes(file.json())));

        assertThat(run.exit()).as(run.stderr()).isEqualTo(Main.BAD_SETTINGS);
        assertThat(run.stdout()).isEmpty();
        List<String> lines = run.stderrLines();
        assertThat(lines.get(0)).isEqualTo("s3-sweeper: invalid settings, nothing was listed or deleted:");
        assertThat(lines.get(lines.size() - 1)).startsWith("Try 'java -jar s3-sweeper.jar --help'");
        // One problem per line, each the handler's own words.
        List<String> problems = lines.subList(1, lines.size() - 1);
        assertThat(problems).allSatisfy(line -> assertThat(line).startsWith("  "));
        assertThat(INVALID + String.join("; ", problems.stream().map(String::strip).toList()))
                .isEqualTo(file.message());
        assertThat(s3.connections()).as("connections that reached the S3 endpoint").isZero();
    }

    @Test
    void whatTheRuntimesReaderToleratesIsReadAsItsFirstObject() throws Exception {
        // Odd, reported in issue #9: the Lambda runtime's reader (which the jar uses) reads the first JSON value and
        // ignores what follows, and takes single quotes. So these run, as {"trigger":"x"} would, and an override
        // after the first object is dropped without a word. The run goes to the counting endpoint, which answers an
        // empty listing.
        List<String> ran = new ArrayList<>();
        for (String json : List.of("{\"trigger\":\"x\"} trailing words", "{\"trigger\":\"x\"}{\"dryRun\":true}",
                "{'trigger':'x'}")) {
            Run run = run(write("tolerated-" + ran.size() + ".json", bytes(json)));

            assertThat(run.exit()).as(json + ": " + run.stderr()).isZero();
            assertThat(run.stdout()).contains("\"dryRun\":false", "\"scanned\":0");
            assertThat(run.stderr()).contains("\"trigger\":\"x\"");
            assertThat(s3.connections()).as(json).isPositive();
            ran.add(json);
        }
        assertThat(ran).hasSize(3);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
