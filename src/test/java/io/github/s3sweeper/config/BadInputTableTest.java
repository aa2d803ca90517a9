package io.github.s3sweeper.config;

import io.github.s3sweeper.testing.CountedRuns;
import io.github.s3sweeper.testing.RuntimeSerialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.github.s3sweeper.testing.CountedRuns.INVALID;
import static io.github.s3sweeper.testing.CountedRuns.assertRefusedBeforeAnyRequest;
import static io.github.s3sweeper.testing.CountedRuns.assertShownSafely;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field of the invocation's input (RunRequest), against every kind of bad value and every wrong JSON type,
 * read from JSON text by the Lambda runtime's own deserializer and handed to the real handler: refused with the exact
 * message, which names the field, shows the value as the input wrote it (safely) and says what is allowed, with no
 * connection at the S3 endpoint. Values accepted by design run to the end there instead. Whole events that are
 * malformed or unexpected (unknown fields, nested garbage, a megabyte string) are at the end.
 */
class BadInputTableTest {

    static final String HUGE = "99999999999999999999";
    /** JSON text of a string with a NUL, a newline that would forge a log line and an ANSI colour. */
    static final String CONTROL = "\"\\u0000\\n\\u001b[31mFAKE\"";
    static final String LONG = "\"" + "a".repeat(10_000) + "\"";
    static final String LONG_SHOWN = "\"" + "a".repeat(100) + "\"... (10000 characters)";
    static final List<String> INJECTIONS = List.of("'; DROP TABLE sweeps; --", "$(rm -rf /)", "../../etc/passwd",
            "<script>alert(1)</script>");
    /** JSON text of the injection-looking strings. */
    static final List<String> INJECTION_TEXTS = INJECTIONS.stream().map(s -> "\"" + s + "\"").toList();
    static final String OBJECT = "{\"a\":[1,{\"b\":null}]}";
    static final String ARRAY = "[1,\"x\"]";

    static final String TRIGGER = "a short label of at most 256 characters, such as the schedule's name";
    static final String PREFIX_TYPE = "a key prefix inside the configured PREFIX";
    static final String PREFIX_INSIDE = "a prefix that starts with \"logs/\"";
    static final String OUTSIDE = "outside the configured PREFIX=\"logs/\"";
    static final String DAYS = "a whole number of days from 1 to 36500";
    static final String DURATION = "a duration from 1 minute to 36500 days: ISO-8601 such as PT36H, P7D or P1DT12H,"
            + " or short such as 90m, 36h or 7d";
    static final String BOOLEAN = "true or false, as JSON booleans (without quotes)";
    static final String KEEP_LATEST = "a whole number from 0 to 100000";
    static final String MAX_DELETES = "a whole number from 1 to 1000000000";
    static final String GLOBS = "comma-separated glob patterns matched against the key relative to the prefix: * and"
            + " ? within one / segment, ** across segments, {a,b} alternatives";
    static final String GLOBS_INPUT = GLOBS + "; one string, or a non-empty array of patterns";
    static final String SIZE = "a size in bytes, or with a unit: KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB,"
            + " TiB (powers of 1024), such as 10MB or 1GiB";
    static final String START_AFTER = "a key of at most 1024 bytes to resume after, as a previous run's resumeAfter"
            + " gives";
    static final String START_AFTER_INSIDE = "a key under the prefix, as a previous run's resumeAfter gives";

    static final List<String> FIELDS = List.of("trigger", "prefix", "retentionDays", "olderThan", "dryRun", "keepLatest",
            "maxDeletes", "include", "exclude", "minSize", "maxSize", "startAfter");

    private static CountedRuns runs;

    @BeforeAll
    static void startEndpoint() {
        runs = new CountedRuns();
    }

    @AfterAll
    static void stopEndpoint() throws Exception {
        runs.close();
    }

    /** One row: the field, its value as JSON text, and the one problem the message must hold. */
    record Row(String field, String json, String expected) {
        @Override
        public String toString() {
            return field + "=" + shortly(json);
        }
    }

    /** A value accepted by design: why, and what the run shows of it. */
    record Accepted(String field, String json, String why, Consumer<CountedRuns.Run> check) {
        @Override
        public String toString() {
            return field + (json == null ? " (not set)" : "=" + shortly(json)) + " (" + why + ")";
        }
    }

    /** A whole input: its JSON text, environment changes, and the problems its message must hold, in order. */
    record EventRow(String name, String json, Map<String, String> env, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String shortly(String json) {
        return ValueReader.quoted(json.length() > 40 ? json.substring(0, 40) + "..." : json);
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", "my-backups");
        env.put("PREFIX", "logs/");
        env.put("RETENTION_DAYS", "30");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL_S3", runs.endpoint());
        return env;
    }

    /** The JSON text read the way the Lambda Java runtime reads a handler's Map input. */
    static Map<String, Object> event(String json) {
        return RuntimeSerialization.readEvent(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    static String problem(String field, String shown, String problem, String allowed) {
        return "input field \"" + field + "\"=" + shown + ": " + problem + "; allowed: " + allowed;
    }

    /** Rows for values shown exactly as their JSON text, all refused with one problem. */
    static Stream<Row> same(String field, String problem, String allowed, String... jsons) {
        return Stream.of(jsons).map(json -> new Row(field, json, problem(field, json, problem, allowed)));
    }

    static Stream<Row> same(String field, String problem, String allowed, List<String> jsons) {
        return same(field, problem, allowed, jsons.toArray(String[]::new));
    }

    static Row row(String field, String json, String problem, String allowed) {
        return new Row(field, json, problem(field, json, problem, allowed));
    }

    static Row row(String field, String json, String shown, String problem, String allowed) {
        return new Row(field, json, problem(field, shown, problem, allowed));
    }

    /** A string field: every other JSON type is refused. */
    static Stream<Row> notStrings(String field, String allowed) {
        return Stream.of(
                same(field, "a JSON number, not a string", allowed, "5", HUGE, "-1", "1.5"),
                same(field, "a JSON boolean, not a string", allowed, "true"),
                same(field, "a JSON object, not a string", allowed, OBJECT, "{}"),
                same(field, "a JSON array, not a string", allowed, ARRAY, "[]")).flatMap(rows -> rows);
    }

    /** A whole-number field: strings (even "30"), fractions, booleans, objects and arrays are refused. */
    static Stream<Row> wholeNumber(String field, int min, int max, String allowed) {
        List<Row> rows = new ArrayList<>();
        rows.add(row(field, HUGE, "must be at most " + max, allowed));
        rows.add(row(field, "9".repeat(1000), "9".repeat(100) + "... (1000 characters)", "must be at most " + max,
                allowed));
        rows.add(row(field, String.valueOf(max + 1L), "must be at most " + max, allowed));
        rows.add(row(field, "-1", "must be at least " + min, allowed));
        if (min > 0) {
            rows.add(row(field, "0", "must be at least " + min, allowed));
        }
        rows.addAll(same(field, "not a whole number", allowed, "1.5", "-0.5").toList());
        // Odd, reported in issue #9: 1.0 and 1e3 are whole numbers written as JSON fractions (Jackson reads them as
        // doubles), and are refused as not whole; the message shows what Java read, 1000.0 for 1e3.
        rows.add(row(field, "1.0", "not a whole number", allowed));
        rows.add(row(field, "1e3", "1000.0", "not a whole number", allowed));
        rows.addAll(same(field, "a JSON string, not a number", allowed, "\"\"", "\"   \"", "\"30\"", "\"" + HUGE + "\"",
                "\"-1\"", "\"thirty\"", "\"٣٠\"", CONTROL).toList());
        rows.add(row(field, LONG, LONG_SHOWN, "a JSON string, not a number", allowed));
        rows.addAll(same(field, "a JSON string, not a number", allowed, INJECTION_TEXTS).toList());
        rows.addAll(same(field, "a JSON boolean, not a number", allowed, "true").toList());
        rows.addAll(same(field, "a JSON object, not a number", allowed, OBJECT).toList());
        rows.addAll(same(field, "a JSON array, not a number", allowed, ARRAY).toList());
        return rows.stream();
    }

    static Stream<Row> globs(String field) {
        List<Row> rows = new ArrayList<>();
        rows.addAll(same(field, "an empty pattern in the list", GLOBS, "\"\"", "\"   \"", "\",\"", "\"*.gz,,*.zip\"")
                .toList());
        rows.add(row(field, "\"{a\"", "pattern \"{a\" has a '{' without its '}'", GLOBS));
        rows.add(row(field, "\"a}\"", "pattern \"a}\" has a '}' without its '{'", GLOBS));
        rows.add(row(field, "\"keep\\\\\"", "pattern \"keep\\\\\" has a trailing backslash", GLOBS));
        rows.add(row(field, "\"x\\n{\"", "pattern \"x\\n{\" has a '{' without its '}'", GLOBS));
        String longBraceShown = "\"{" + "a".repeat(99) + "\"... (10001 characters)";
        rows.add(row(field, "\"{" + "a".repeat(10_000) + "\"", longBraceShown, "pattern " + longBraceShown
                + " has a '{' without its '}'", GLOBS));
        rows.addAll(same(field, "a JSON number, not a string or an array of strings", GLOBS_INPUT, "5", HUGE, "-1")
                .toList());
        rows.addAll(same(field, "a JSON boolean, not a string or an array of strings", GLOBS_INPUT, "true").toList());
        rows.addAll(same(field, "a JSON object, not a string or an array of strings", GLOBS_INPUT, OBJECT).toList());
        rows.add(row(field, "[]", "an empty array", GLOBS_INPUT));
        rows.add(row(field, "[\"*.gz\",\"{a\"]", "pattern \"{a\" has a '{' without its '}'", GLOBS));
        rows.add(row(field, "[\"*.gz\",\"\"]", "an empty pattern in the array", GLOBS));
        rows.add(row(field, "[\"*.gz\",1]", "an array holding a JSON number, not only strings", GLOBS_INPUT));
        rows.add(row(field, "[null]", "an array holding null, not only strings", GLOBS_INPUT));
        rows.add(row(field, "[[\"*.gz\"]]", "an array holding a JSON array, not only strings", GLOBS_INPUT));
        rows.add(row(field, "[{\"a\":1}]", "an array holding a JSON object, not only strings", GLOBS_INPUT));
        return rows.stream();
    }

    static Stream<Row> size(String field) {
        List<Row> rows = new ArrayList<>();
        rows.add(row(field, "\"\"", "empty", SIZE));
        rows.add(row(field, "\"   \"", "blank", SIZE));
        rows.addAll(same(field, "too large", SIZE, HUGE, "\"" + HUGE + "\"", "\"16777216TiB\"").toList());
        rows.add(row(field, "\"" + "9".repeat(10_000) + "\"", "\"" + "9".repeat(100) + "\"... (10000 characters)",
                "too large", SIZE));
        rows.addAll(same(field, "not a size", SIZE, "-1", "\"-1\"", "\"big\"", "\"١٠MB\"", CONTROL, "\"1.5MB\"")
                .toList());
        rows.add(row(field, LONG, LONG_SHOWN, "not a size", SIZE));
        rows.addAll(same(field, "not a size", SIZE, INJECTION_TEXTS).toList());
        rows.addAll(same(field, "not a whole number", SIZE, "1.5").toList());
        rows.addAll(same(field, "a JSON boolean, not a number or a string", SIZE, "true").toList());
        rows.addAll(same(field, "a JSON object, not a number or a string", SIZE, OBJECT).toList());
        rows.addAll(same(field, "a JSON array, not a number or a string", SIZE, ARRAY).toList());
        return rows.stream();
    }

    static Stream<Row> refused() {
        return Stream.of(
                // trigger: a free label, any string up to 256 characters (see accepted()).
                notStrings("trigger", TRIGGER),
                Stream.of(row("trigger", LONG, LONG_SHOWN, "longer than 256 characters", TRIGGER),
                        row("trigger", "\"" + "t".repeat(257) + "\"", "\"" + "t".repeat(100)
                                + "\"... (257 characters)", "longer than 256 characters", TRIGGER)),

                // prefix: only inside the configured PREFIX, the IAM role's scope.
                notStrings("prefix", PREFIX_TYPE),
                Stream.of("\"\"", "\"   \"", "\"" + HUGE + "\"", "\"-1\"", "\"日本/\"", "\"\\u0000logs/\"", "\"logs\"",
                                "\"LOGS/a/\"", "\"logs-old/\"")
                        .map(json -> row("prefix", json, OUTSIDE, PREFIX_INSIDE)),
                same("prefix", OUTSIDE, PREFIX_INSIDE, INJECTION_TEXTS),
                Stream.of(row("prefix", "\"logs/" + "a".repeat(10_000) + "\"", "\"logs/" + "a".repeat(95)
                                + "\"... (10005 characters)", "longer than 1024 bytes", PREFIX_INSIDE),
                        row("prefix", "\"logs/\\ufffd/\"", "\"logs/\uFFFD/\"", "contains U+FFFD, the replacement"
                                + " character: the input was probably not written in UTF-8, or a character was lost"
                                + " before it", PREFIX_INSIDE)),

                wholeNumber("retentionDays", 1, 36500, DAYS),

                // olderThan: a string.
                Stream.of(row("olderThan", "\"\"", "empty", DURATION),
                        row("olderThan", "\"   \"", "blank", DURATION),
                        row("olderThan", "\"" + HUGE + "d\"", "longer than 36500 days", DURATION),
                        row("olderThan", "\"PT" + HUGE + "H\"", "longer than 36500 days", DURATION),
                        row("olderThan", "\"PT-1H\"", "shorter than 1 minute", DURATION),
                        row("olderThan", "\"P1M\"", "not an ISO-8601 duration of days, hours, minutes (months and"
                                + " years vary in length)", DURATION),
                        row("olderThan", LONG, LONG_SHOWN, "not a duration", DURATION)),
                same("olderThan", "not a duration", DURATION, "\"" + HUGE + "\"", "\"-1d\"", "\"forever\"", "\"٣٦h\"",
                        "\"36h\\n\"", CONTROL),
                same("olderThan", "not a duration", DURATION, INJECTION_TEXTS),
                Stream.of(
                        same("olderThan", "a JSON number, not a string", DURATION, "36", HUGE, "-1"),
                        same("olderThan", "a JSON boolean, not a string", DURATION, "true"),
                        same("olderThan", "a JSON object, not a string", DURATION, OBJECT),
                        same("olderThan", "a JSON array, not a string", DURATION, ARRAY)).flatMap(rows -> rows),

                // dryRun: a JSON boolean only; "true" in quotes is a string.
                same("dryRun", "a JSON string, not a boolean", BOOLEAN, "\"true\"", "\"false\"", "\"\"", "\"   \"",
                        "\"ｔｒｕｅ\"", CONTROL),
                same("dryRun", "a JSON string, not a boolean", BOOLEAN, INJECTION_TEXTS),
                Stream.of(row("dryRun", LONG, LONG_SHOWN, "a JSON string, not a boolean", BOOLEAN)),
                same("dryRun", "a JSON number, not a boolean", BOOLEAN, "1", "0", "-1", HUGE),
                same("dryRun", "a JSON object, not a boolean", BOOLEAN, OBJECT),
                same("dryRun", "a JSON array, not a boolean", BOOLEAN, ARRAY),

                wholeNumber("keepLatest", 0, 100_000, KEEP_LATEST),
                wholeNumber("maxDeletes", 1, 1_000_000_000, MAX_DELETES),
                globs("include"),
                globs("exclude"),
                size("minSize"),
                size("maxSize"),

                // startAfter: a key under the prefix, at most as long as a key.
                notStrings("startAfter", START_AFTER),
                Stream.of("\"\"", "\"   \"", "\"" + HUGE + "\"", "\"-1\"", "\"日本\"", CONTROL, "\"logs\"")
                        .map(json -> row("startAfter", json, "outside the prefix \"logs/\"", START_AFTER_INSIDE)),
                same("startAfter", "outside the prefix \"logs/\"", START_AFTER_INSIDE, INJECTION_TEXTS),
                Stream.of(row("startAfter", "\"logs/" + "a".repeat(10_000) + "\"", "\"logs/" + "a".repeat(95)
                        + "\"... (10005 characters)", "longer than 1024 bytes", START_AFTER))
        ).flatMap(rows -> rows);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedWithItsExactMessageBeforeAnyRequest(Row row) {
        CountedRuns.Refusal refusal = runs.refusal(env(), event("{\"" + row.field() + "\":" + row.json() + "}"));

        assertRefusedBeforeAnyRequest(refusal, row.expected());
        assertThat(refusal.exception().problems().get(0)).as("names the field, shows the value")
                .startsWith("input field \"" + row.field() + "\"=").containsPattern("; allowed: \\S");
    }

    static Stream<Accepted> accepted() {
        List<Accepted> rows = new ArrayList<>();
        // Every field is optional, and null counts as not set (as an empty environment variable does).
        for (String field : FIELDS) {
            rows.add(new Accepted(field, null, "optional", run -> assertThat(startLine(run))
                    .containsEntry("overrides", false).containsEntry("trigger", "manual")));
            rows.add(new Accepted(field, "null", "null is not set", run -> assertThat(startLine(run))
                    .containsEntry("overrides", false).containsEntry("trigger", "manual")));
        }
        // trigger is a free label: it only ever goes into the start line, as a JSON string, which escapes it.
        for (String json : Stream.concat(INJECTION_TEXTS.stream(), Stream.of("\"\"", "\"   \"", "\"" + HUGE + "\"",
                "\"-1\"", "\"夜間-バックアップ 🙂\"", CONTROL, "\"" + "t".repeat(256) + "\"")).toList()) {
            rows.add(new Accepted("trigger", json, "a label, logged as a JSON string", run -> {
                assertThat(startLine(run)).containsEntry("trigger", event("{\"t\":" + json + "}").get("t"));
                assertThat(run.log().raw()).allSatisfy(line -> assertThat(line).doesNotContain("\n", "\r", "\u001b"));
            }));
        }
        // prefix: any string that starts with the configured PREFIX. It is a literal S3 prefix: nothing reads it as
        // SQL, shell or a path ("logs/../../etc/passwd" lists keys that start with exactly that).
        for (String json : Stream.concat(INJECTIONS.stream().map(s -> "\"logs/" + s + "\""), Stream.of("\"logs/\"",
                "\"logs/" + HUGE + "\"", "\"logs/日本/\"", "\"logs/\\u0000\\n\\u001b[31m\"", "\"logs/   \"")).toList()) {
            String prefix = (String) event("{\"p\":" + json + "}").get("p");
            rows.add(new Accepted("prefix", json, "a literal prefix inside PREFIX", run -> {
                assertThat(run.summary().prefix()).isEqualTo(prefix);
                assertThat(run.endpoint().parameter("prefix")).isNotEmpty().containsOnly(prefix);
            }));
        }
        rows.add(new Accepted("retentionDays", "7", "in range", run -> assertThat(run.summary().retentionDays())
                .isEqualTo(7)));
        rows.add(new Accepted("retentionDays", "36500", "the upper bound", run -> assertThat(run.summary()
                .retentionDays()).isEqualTo(36500)));
        rows.add(new Accepted("olderThan", "\"36h\"", "a short duration", run -> assertThat(run.summary().olderThan())
                .isEqualTo("PT36H")));
        rows.add(new Accepted("olderThan", "\"p1dt12h\"", "ISO-8601 in any case", run -> assertThat(run.summary()
                .olderThan()).isEqualTo("PT36H")));
        rows.add(new Accepted("dryRun", "true", "a dry run may always be asked for", run -> assertThat(run.summary()
                .dryRun()).isTrue()));
        rows.add(new Accepted("dryRun", "false", "the environment is not a dry run", run -> assertThat(run.summary()
                .dryRun()).isFalse()));
        rows.add(new Accepted("keepLatest", "0", "the lower bound, KEEP_LATEST being 0", run -> assertThat(
                startLine(run)).containsEntry("overridden", List.of("keepLatest"))));
        rows.add(new Accepted("maxDeletes", "1000000000", "the upper bound, with no MAX_DELETES", run -> assertThat(
                startLine(run)).containsEntry("overridden", List.of("maxDeletes"))));
        // Globs: [ is a literal (no character classes), ** then x is any depth then x, and injection-looking text is
        // literal key text; a glob is only ever matched against keys.
        for (String field : List.of("include", "exclude")) {
            for (String json : Stream.concat(INJECTION_TEXTS.stream(), Stream.of("\"[a-z]*.log\"", "\"**x\"",
                    "\"" + HUGE + "\"", "\"-1\"", "\"日本/*.gz\"", "\"a\\u0000b\"", LONG, "[\"*.gz\",\"db/**\"]"))
                    .toList()) {
                rows.add(new Accepted(field, json, "literal or well-formed patterns", run -> {
                    assertThat(startLine(run)).containsEntry("overridden", List.of(field));
                    Overrides overrides = RunRequest.parse(event("{\"" + field + "\":" + json + "}")).overrides();
                    Object written = event("{\"p\":" + json + "}").get("p");
                    List<?> patterns = written instanceof List<?> list ? list : List.of(written);
                    assertThat(overrides.get(field.equals("include") ? Catalog.INCLUDE : Catalog.EXCLUDE))
                            .map(Object::toString).containsExactlyElementsOf(patterns.stream().map(String::valueOf)
                                    .toList());
                }));
            }
        }
        for (String field : List.of("minSize", "maxSize")) {
            rows.add(new Accepted(field, "1024", "a number of bytes", run -> assertThat(startLine(run))
                    .containsEntry("overridden", List.of(field))));
            rows.add(new Accepted(field, "\"10MB\"", "a size with a unit", run -> assertThat(startLine(run))
                    .containsEntry("overridden", List.of(field))));
            // Lenient, as for MIN_SIZE: white space around a size is stripped, a trailing newline included.
            rows.add(new Accepted(field, "\"10MB\\n\"", "surrounding white space is stripped from sizes",
                    run -> assertThat(RunRequest.parse(event("{\"" + field + "\":\"10MB\\n\"}")).overrides()
                            .toString()).contains(field + "=10000000")));
        }
        // startAfter: any key under the prefix; it goes to S3 as the listing's start-after, as it is.
        for (String json : Stream.concat(INJECTIONS.stream().map(s -> "\"logs/" + s + "\""), Stream.of(
                "\"logs/2026/11/x.log\"", "\"logs/日本\"", "\"logs/\\u0000\\n\"")).toList()) {
            String key = (String) event("{\"k\":" + json + "}").get("k");
            rows.add(new Accepted("startAfter", json, "a key under the prefix", run -> {
                assertThat(run.endpoint().parameter("start-after")).contains(key);
                assertThat(startLine(run)).containsEntry("overridden", List.of("startAfter"));
            }));
        }
        return rows.stream();
    }

    static Map<String, Object> startLine(CountedRuns.Run run) {
        List<Map<String, Object>> start = run.log().events("start");
        assertThat(start).hasSize(1);
        return start.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void isAcceptedByDesign(Accepted row) {
        CountedRuns.Run run = runs.run(env(), event(row.json() == null ? "{}"
                : "{\"" + row.field() + "\":" + row.json() + "}"));

        assertThat(run.connections()).as("the run reached the S3 endpoint").isPositive();
        assertThat(run.summary().complete()).isTrue();
        row.check().accept(run);
    }

    static Stream<EventRow> badEvents() {
        Map<String, String> dry = Map.of("DRY_RUN", "true");
        Map<String, String> safetyNets = Map.of("KEEP_LATEST", "3", "MAX_DELETES", "100", "MAX_SIZE", "100");
        String unknown = "input field \"prefx\": unknown; allowed fields: dryRun, exclude, include, keepLatest,"
                + " maxDeletes, maxSize, minSize, olderThan, prefix, retentionDays, startAfter, trigger";
        String tenThousandFields = IntStream.range(0, 100_000).mapToObj(i -> String.format("\"f%06d\":%d", i, i))
                .collect(Collectors.joining(",", "{", "}"));
        String deep = "[".repeat(999) + "]".repeat(999);
        return Stream.of(
                new EventRow("an unknown field, a typo", "{\"prefx\":\"logs/a/\"}", Map.of(), List.of(unknown)),
                new EventRow("an unknown field named with control characters", "{\"pre\\nfix\\u001b[2J\":1}", Map.of(),
                        List.of("input field \"pre\\nfix\\u001b[2J\": unknown; allowed fields: dryRun, exclude,"
                                + " include, keepLatest, maxDeletes, maxSize, minSize, olderThan, prefix,"
                                + " retentionDays, startAfter, trigger")),
                new EventRow("the bucket, which an input cannot change", "{\"bucket\":\"other-bucket\"}", Map.of(),
                        List.of("input field \"bucket\": unknown; allowed fields: dryRun, exclude, include,"
                                + " keepLatest, maxDeletes, maxSize, minSize, olderThan, prefix, retentionDays,"
                                + " startAfter, trigger")),
                new EventRow("100,000 unknown fields", tenThousandFields, Map.of(), Stream.concat(
                        IntStream.range(0, 10).mapToObj(i -> String.format("input field \"f%06d\": unknown; allowed"
                                + " fields: dryRun, exclude, include, keepLatest, maxDeletes, maxSize, minSize,"
                                + " olderThan, prefix, retentionDays, startAfter, trigger", i)),
                        Stream.of("99990 more unknown input fields; allowed fields: dryRun, exclude, include,"
                                + " keepLatest, maxDeletes, maxSize, minSize, olderThan, prefix, retentionDays,"
                                + " startAfter, trigger")).toList()),
                new EventRow("several bad fields: all named at once",
                        "{\"prefx\":1,\"retentionDays\":\"30\",\"dryRun\":\"yes\"}", Map.of(), List.of(unknown,
                        problem("retentionDays", "\"30\"", "a JSON string, not a number", DAYS),
                        problem("dryRun", "\"yes\"", "a JSON string, not a boolean", BOOLEAN))),
                new EventRow("nested garbage", "{\"prefix\":{\"a\":[1,{\"b\":[[[null]]]}],\"c\":{\"d\":true}}}",
                        Map.of(), List.of(problem("prefix", "{\"a\":[1,{\"b\":[[[null]]]}],\"c\":{\"d\":true}}",
                        "a JSON object, not a string", PREFIX_TYPE))),
                new EventRow("999 nested arrays", "{\"include\":" + deep + "}", Map.of(), List.of(problem("include",
                        "[".repeat(200) + "... (cut at 200 characters)", "an array holding a JSON array, not only"
                                + " strings", GLOBS_INPUT))),
                new EventRow("a 1 MB trigger", "{\"trigger\":\"" + "x".repeat(1_000_000) + "\"}", Map.of(),
                        List.of(problem("trigger", "\"" + "x".repeat(100) + "\"... (1000000 characters)",
                                "longer than 256 characters", TRIGGER))),
                new EventRow("a 1 MB prefix", "{\"prefix\":\"logs/" + "x".repeat(1_000_000) + "\"}", Map.of(),
                        List.of(problem("prefix", "\"logs/" + "x".repeat(95) + "\"... (1000005 characters)",
                                "longer than 1024 bytes", PREFIX_INSIDE))),
                new EventRow("both thresholds", "{\"retentionDays\":3,\"olderThan\":\"3d\"}", Map.of(),
                        List.of("input fields \"retentionDays\" and \"olderThan\": both are set; allowed: at most one")),
                new EventRow("a dry run switched off", "{\"dryRun\":false}", dry, List.of("input field \"dryRun\"=false:"
                        + " would switch off the configured DRY_RUN=true (the environment or --dry-run); allowed: true, or leave it out"
                        + " (an input can only turn it on)")),
                new EventRow("safety nets loosened", "{\"keepLatest\":0,\"maxDeletes\":101,\"minSize\":500}",
                        safetyNets, List.of(
                        "input field \"keepLatest\"=0: fewer than the configured KEEP_LATEST=3; allowed: 3 or more"
                                + " (an input can only raise it)",
                        "input field \"maxDeletes\"=101: more than the configured MAX_DELETES=100; allowed: 100 or"
                                + " fewer (an input can only lower it)",
                        "input fields \"minSize\" and \"maxSize\": the minimum 500 is larger than the maximum 100;"
                                + " allowed: a minimum no larger than the maximum")),
                new EventRow("a startAfter outside the narrowed prefix", "{\"prefix\":\"logs/a/\",\"startAfter\":"
                        + "\"logs/b/x\"}", Map.of(), List.of("input field \"startAfter\"=\"logs/b/x\": outside the"
                        + " prefix \"logs/a/\"; allowed: a key under the prefix, as a previous run's resumeAfter gives")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void aMalformedOrUnexpectedInputIsRefusedBeforeAnyRequest(EventRow row) {
        Map<String, String> env = env();
        env.putAll(row.env());

        CountedRuns.Refusal refusal = runs.refusal(env, event(row.json()));

        assertThat(refusal.exception()).as("refused").isNotNull();
        assertThat(refusal.exception().problems()).containsExactlyElementsOf(row.expected());
        assertThat(refusal.exception().getMessage()).isEqualTo(INVALID + String.join("; ", row.expected()));
        assertShownSafely(String.join("; ", row.expected().subList(0, Math.min(3, row.expected().size()))));
        row.expected().forEach(CountedRuns::assertShownSafely);
        assertThat(refusal.log().raw()).singleElement();
        assertThat(refusal.clientsBuilt()).isZero();
        assertThat(refusal.connections()).isZero();
    }

    @Test
    void aNullInputIsAManualRunByDesign() {
        // Lambda hands the handler null for an invocation without a payload (and for the JSON literal null): that is
        // a manual run with the environment's settings, as {} is. The jar refuses a file holding null instead
        // (BadEventFilesIT): a file is never empty by accident of the invoke.
        assertThat(RuntimeSerialization.readEvent(new ByteArrayInputStream("null".getBytes(StandardCharsets.UTF_8))))
                .isNull();

        CountedRuns.Run run = runs.run(env(), null);

        assertThat(startLine(run)).containsEntry("trigger", "manual").containsEntry("overrides", false);
        assertThat(run.summary().prefix()).isEqualTo("logs/");
    }

    @Test
    void aClassicScheduledEventCarriesNoOverridesWhateverElseItHolds() {
        // EventBridge writes these fields (id, account, time, region, detail...): none is an override, so none is
        // refused, and fields that look like overrides are ignored rather than applied.
        CountedRuns.Run run = runs.run(env(), event("{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\","
                + "\"resources\":[\"arn:aws:events:eu-west-1:123456789012:rule/nightly\"],\"prefix\":\"other/\","
                + "\"dryRun\":\"garbage\",\"detail\":{\"a\":[1,2,{}]}}"));

        assertThat(startLine(run)).containsEntry("trigger", "arn:aws:events:eu-west-1:123456789012:rule/nightly")
                .containsEntry("overrides", false);
        assertThat(run.summary().prefix()).isEqualTo("logs/");
    }

    @Test
    void aDuplicatedFieldIsReadAsItsLastValue() {
        // Odd, reported in issue #9: the runtime's deserializer keeps the last of two equal keys without a word, so
        // {"prefix":"other/","prefix":"logs/a/"} is a run of logs/a/. Still inside PREFIX either way.
        CountedRuns.Run run = runs.run(env(), event("{\"prefix\":\"other/\",\"prefix\":\"logs/a/\"}"));

        assertThat(run.summary().prefix()).isEqualTo("logs/a/");
    }

    @Test
    void everyFieldMeetsEveryKindOfBadValueAndEveryWrongType() {
        Map<String, List<String>> values = new HashMap<>();
        Stream.concat(refused().map(row -> Map.entry(row.field(), row.json())),
                        accepted().map(row -> Map.entry(row.field(), String.valueOf(row.json()))))
                .forEach(entry -> values.computeIfAbsent(entry.getKey(), name -> new ArrayList<>()).add(entry.getValue()));
        assertThat(values).containsOnlyKeys(FIELDS);
        assertThat(RunRequestFields.all()).containsExactlyInAnyOrderElementsOf(FIELDS);
        for (String field : FIELDS) {
            List<String> seen = values.get(field);
            assertThat(seen).as(field + ": missing and null").contains("null");
            assertThat(seen).as(field + ": empty, blank").anyMatch(json -> json.startsWith("\"\""))
                    .anyMatch(json -> json.equals("\"   \""));
            assertThat(seen).as(field + ": huge, negative").anyMatch(json -> json.contains(HUGE))
                    .anyMatch(json -> json.startsWith("-") || json.startsWith("\"-"));
            assertThat(seen).as(field + ": unicode").anyMatch(json -> json.chars().anyMatch(c -> c > 0x7f));
            assertThat(seen).as(field + ": control characters").anyMatch(json -> json.contains("\\u0000"));
            assertThat(seen).as(field + ": very long").anyMatch(json -> json.length() >= 10_000);
            assertThat(seen).as(field + ": injection-looking strings")
                    .anyMatch(json -> json.contains(INJECTIONS.get(0))).anyMatch(json -> json.contains(INJECTIONS.get(1)))
                    .anyMatch(json -> json.contains(INJECTIONS.get(2))).anyMatch(json -> json.contains(INJECTIONS.get(3)));
            assertThat(seen).as(field + ": wrong JSON types").anyMatch(json -> json.startsWith("{"))
                    .anyMatch(json -> json.startsWith("["))
                    .anyMatch(json -> json.equals("true") || json.startsWith("\""));
        }
    }

    /** The fields RunRequest reads, from its own error message for an unknown one. */
    static final class RunRequestFields {
        static List<String> all() {
            InvalidSettingsException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    InvalidSettingsException.class, () -> RunRequest.parse(Map.of("?", 1)));
            String list = e.problems().get(0).substring(e.problems().get(0).indexOf("allowed fields: ") + 16);
            return List.of(list.split(", "));
        }
    }
}
