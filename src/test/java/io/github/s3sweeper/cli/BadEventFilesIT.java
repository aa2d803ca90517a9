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
 * {@link CountingEndpoint} counts them). Files the jar's reader ({@link EventFile}) refuses are reported in one short
 * problem line, "--event FILE: line L, column C:" and what was expected, also where the Lambda runtime's lenient
 * reader would have taken them; files it reads are refused with the function's exact messages.
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

    /** A file the jar cannot read as an object; {@code message} is what stderr says after the file's name. */
    record Unreadable(String name, byte[] content, String message) {
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
    private static Run run(Path event, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString(), "--event", event.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
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
        String lenient = " (not standard JSON: the Lambda runtime's own reader would take it, this reader does not)";
        return Stream.of(
                new Unreadable("array.json", bytes("[1,2]"), "line 1, column 1: expected a JSON object, found an"
                        + " array"),
                new Unreadable("string.json", bytes("\"just a string\""), "line 1, column 1: expected a JSON object,"
                        + " found a string"),
                new Unreadable("number.json", bytes("42"), "line 1, column 1: expected a JSON object, found a number"),
                new Unreadable("boolean.json", bytes("true"), "line 1, column 1: expected a JSON object, found true"),
                new Unreadable("empty.json", bytes(""), "line 1, column 1: the file is empty; expected a JSON object"
                        + " such as {}"),
                new Unreadable("truncated.json", bytes("{\"prefix\":"), "line 1, column 11: expected a value, found"
                        + " the end of the file"),
                new Unreadable("deep.json", bytes("{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}"),
                        "line 1, column 1005: objects and arrays nested more than 1000 deep, the most the Lambda"
                                + " runtime's reader takes"),
                new Unreadable("not-utf8.json", new byte[] {'{', '"', 't', 'r', 'i', 'g', 'g', 'e', 'r', '"', ':', '"',
                        (byte) 0xC3, (byte) 0x28, '"', '}'}, "line 1, column 13: not UTF-8 (0xC3 at byte 13 of the"
                        + " file); event files are read as strict UTF-8 (the Lambda runtime's reader would take some"
                        + " invalid sequences, this reader takes none)"),
                new Unreadable("long-number.json", bytes("{\"retentionDays\":" + "9".repeat(10_000) + "}"),
                        "line 1, column 18: a number of 10000 digits, more than the 1000 the Lambda runtime's reader"
                                + " takes"),
                new Unreadable("comment.json", bytes("{\"trigger\":\"x\" /* nightly */}"), "line 1, column 16:"
                        + " expected ',' or '}' after the field's value, found '/': comments are not JSON"),
                // Issue #9: the runtime's reader repeated the whole megabyte in its message; one line names it now.
                new Unreadable("one-mb-string.json", bytes("\"" + "x".repeat(1_000_000) + "\""), "line 1, column 1:"
                        + " expected a JSON object, found a string"),
                new Unreadable("one-mb-field-name.json", bytes("{\"" + "x".repeat(1_000_000) + "\":1}"), "line 1,"
                        + " column 2: a field name of 1000000 characters, more than the 50000 the Lambda runtime's"
                        + " reader takes"),
                // Issue #9 again: these the runtime's reader took, dropping or bending what the file says; refused.
                new Unreadable("trailing-words.json", bytes("{\"trigger\":\"x\"} trailing words"), "line 1, column"
                        + " 17: unexpected 't' after the JSON object; the file must hold one object (the Lambda"
                        + " runtime's reader would ignore the rest)"),
                new Unreadable("two-objects.json", bytes("{\"trigger\":\"x\"}\n{\"dryRun\":true}"), "line 2, column"
                        + " 1: unexpected '{' after the JSON object; the file must hold one object (the Lambda"
                        + " runtime's reader would ignore the rest)"),
                new Unreadable("single-quotes.json", bytes("{'trigger':'x'}"), "line 1, column 2: a field name in"
                        + " single quotes; JSON field names are in double quotes" + lenient),
                new Unreadable("leading-zero.json", bytes("{\"keepLatest\": 010}"), "line 1, column 16: a number with"
                        + " a leading zero" + lenient),
                new Unreadable("null.json", bytes("null"), "line 1, column 1: expected a JSON object, found null (the"
                        + " Lambda runtime's reader would take it as no input; a file must hold an object, {} for"
                        + " none)"),
                new Unreadable("utf16.json", "{\"trigger\":\"x\"}".getBytes(StandardCharsets.UTF_16), "the file is"
                        + " UTF-16BE; save it as UTF-8, the encoding of JSON (the Lambda runtime's reader would detect"
                        + " UTF-16BE, this reader does not)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void aFileTheJarCannotReadAsAnObjectExitsTwoWithOneShortLineAndNoConnection(Unreadable file) throws Exception {
        Path event = write(file.name(), file.content());

        Run run = run(event);

        assertThat(run.exit()).as(run.stderr()).isEqualTo(Main.BAD_SETTINGS);
        assertThat(run.stdout()).isEmpty();
        assertRefusedInOneLine(run, event, file.message());
        assertThat(s3.connections()).as("connections that reached the S3 endpoint").isZero();
    }

    @Test
    void aMissingFileExitsTwoWithoutAConnection() throws Exception {
        Path event = dir.resolve("no-such-event.json");

        Run run = run(event);

        assertThat(run.exit()).isEqualTo(Main.BAD_SETTINGS);
        assertRefusedInOneLine(run, event, "no such file");
        assertThat(s3.connections()).isZero();
    }

    /** The command line's refusal: its heading, the event file's one problem line, and where to find help. */
    private static void assertRefusedInOneLine(Run run, Path event, String problem) {
        List<String> lines = run.stderrLines();
        assertThat(lines).as(run.stderr()).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("s3-sweeper: invalid settings, nothing was listed or deleted:");
        assertThat(lines.get(1)).isEqualTo("  --event " + event + ": " + problem);
        assertThat(lines.get(2)).startsWith("Try 'java -jar s3-sweeper.jar --help'");
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
    void aFileWithAByteOrderMarkRunsAsTheRuntimeWouldRunIt() throws Exception {
        // Editors on Windows write one; the runtime's reader skips it, and so does the jar's.
        Run run = run(write("bom.json", bytes("\uFEFF{\"prefix\":\"exports/2026/\"}")), "--output", "json");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("\"prefix\":\"exports/2026/\"", "\"dryRun\":false", "\"scanned\":0");
        assertThat(s3.connections()).isPositive();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
