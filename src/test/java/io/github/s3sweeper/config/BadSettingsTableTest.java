package io.github.s3sweeper.config;

import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.rules.GroupBy;
import io.github.s3sweeper.rules.Period;
import io.github.s3sweeper.testing.CountedRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.github.s3sweeper.testing.CountedRuns.assertRefusedBeforeAnyRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every environment variable SettingsParser reads, against every kind of bad value: the handler refuses the
 * invocation with the exact message, which names the variable, shows the value safely and says what is allowed,
 * and no connection reaches the S3 endpoint (a {@link io.github.s3sweeper.testing.CountingEndpoint} counts them).
 * A value accepted by design is run instead, against the same endpoint, and the test says why it is accepted.
 */
class BadSettingsTableTest {

    // The kinds of bad value, the same for every setting.
    static final String EMPTY = "";
    static final String BLANK = "   ";
    static final String HUGE = "99999999999999999999";
    static final String NEGATIVE = "-1";
    /** A carriage return and newline that would forge a log line, an ANSI colour and a NUL. */
    static final String CONTROL = "1\r\n\u001b[31mFAKE\u0000";
    static final String CONTROL_SHOWN = "=\"1\\r\\n\\u001b[31mFAKE\\u0000\"";
    static final String LONG_LETTERS = "a".repeat(10_000);
    static final String LONG_DIGITS = "9".repeat(10_000);
    static final String LONG_LETTERS_SHOWN = "=\"" + "a".repeat(100) + "\"... (10000 characters)";
    static final String LONG_DIGITS_SHOWN = "=\"" + "9".repeat(100) + "\"... (10000 characters)";
    static final List<String> INJECTIONS = List.of("'; DROP TABLE sweeps; --", "$(rm -rf /)", "../../etc/passwd",
            "<script>alert(1)</script>");

    // What each message says is allowed: spelt out here, so that a changed message fails this table.
    static final String BUCKET = "a valid S3 bucket name: 3 to 63 characters of lowercase letters, digits, dots and"
            + " hyphens, starting and ending with a letter or digit";
    static final String BUCKET_CHARS = "has characters other than lowercase letters, digits, dots and hyphens, or does"
            + " not start and end with a letter or digit";
    static final String PREFIX = "a key prefix of at most 1024 bytes, such as logs/ (the empty prefix, meaning the"
            + " whole bucket, only with ALLOW_WHOLE_BUCKET=true)";
    static final String DAYS = "a whole number of days from 1 to 36500";
    static final String DURATION = "a duration from 1 minute to 36500 days: ISO-8601 such as PT36H, P7D or P1DT12H,"
            + " or short such as 90m, 36h or 7d";
    static final String INTERVAL = "a duration from 1 minute to 36500 days: ISO-8601 such as PT90S or PT2H, or"
            + " short such as 90s, 5m, 2h or 1d";
    static final String AGE = "exactly one of RETENTION_DAYS (" + DAYS + ") or OLDER_THAN (" + DURATION + ")";
    static final String BOOLEAN = "true or false";
    static final String KEEP_LATEST = "a whole number from 0 to 100000";
    static final String GROUP_BY = "empty or none (one group), depth:N with N from 1 to 32 (the first N path segments"
            + " under the prefix, such as depth:1 for db1/ and db2/), or pattern:GLOB with one (capture), such as"
            + " pattern:(*)-????-??-??.sql.gz (the keys it does not match form one more group)";
    static final String TIMEZONE = "an IANA time zone such as Europe/Paris or America/New_York, UTC, or an offset such"
            + " as +05:30";
    static final String MAX_DELETES = "a whole number from 1 to 1000000000, or empty for no cap";
    static final String GLOBS = "comma-separated glob patterns matched against the key relative to the prefix: * and"
            + " ? within one / segment, ** across segments, {a,b} alternatives";
    static final String SIZE = "a size in bytes, or with a unit: KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB,"
            + " TiB (powers of 1024), such as 10MB or 1GiB";
    static final String NONCURRENT_DAYS = "a whole number of days from 1 to 36500, or empty to leave noncurrent"
            + " versions alone";
    static final String KEEP_NONCURRENT = "a whole number from 0 to 100";
    static final String CONCURRENCY = "a whole number from 1 to 64";
    static final String REGION = "an AWS Region name such as us-east-1";
    static final String ENDPOINT = "an absolute http:// or https:// URL such as http://localhost:4566, or empty for S3"
            + " itself";
    static final String LAMBDA_ENDPOINT = "an absolute http:// or https:// URL such as http://localhost:4566, or empty"
            + " for Lambda itself";
    static final String SWEEP_NAME = "1 to 1024 characters without control characters, not all spaces (a CloudWatch"
            + " dimension value; keep it ASCII, which CloudWatch requires), or empty for <bucket>/<prefix>";
    static final String ATTEMPT_TIMEOUT = "a duration from 100ms to 300s, such as 10s or 500ms";
    static final String NAMESPACE = "a CloudWatch namespace of 1 to 255 letters, digits and . - _ / # :, not starting"
            + " with AWS/ (default S3Sweeper)";
    static final String UPLOADS = "ABORT_INCOMPLETE_UPLOADS_AFTER";
    static final String NOT_A_NAMESPACE = "not a namespace CloudWatch accepts for custom metrics";

    /** Every variable the table covers: each one SettingsParser names (checked below). */
    static final List<String> SETTINGS = List.of("BUCKET_NAME", "PREFIX", "RETENTION_DAYS", "OLDER_THAN", "DRY_RUN",
            "ALLOW_WHOLE_BUCKET", "KEEP_LATEST", "GROUP_BY", "KEEP_HOURLY", "KEEP_DAILY", "KEEP_WEEKLY", "KEEP_MONTHLY",
            "KEEP_YEARLY", "KEEP_WITHIN", "TIMEZONE", "MAX_HELD_OBJECTS", "MAX_DELETES", "INCLUDE", "EXCLUDE",
            "MIN_SIZE", "MAX_SIZE", "RULES", "NONCURRENT_DAYS", "KEEP_NONCURRENT", "BYPASS_GOVERNANCE",
            "ABORT_INCOMPLETE_UPLOADS_AFTER", "DELETE_CONCURRENCY", "LIST_CONCURRENCY",
            "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL",
            "S3_ATTEMPT_TIMEOUT", "SWEEP_NAME", "POWERTOOLS_METRICS_NAMESPACE", "PROGRESS_INTERVAL",
            "MAX_CHAIN_LINKS", "AWS_ENDPOINT_URL_LAMBDA");
    /** Read only where the variable before them is not set: a few rows each, the same code. */
    static final Set<String> FALLBACKS = Set.of("AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION");

    private static CountedRuns runs;

    @BeforeAll
    static void startEndpoint() {
        runs = new CountedRuns();
    }

    @AfterAll
    static void stopEndpoint() throws Exception {
        runs.close();
    }

    /**
     * One row: the variable, its value (null: not set), the one problem the message must hold, and other variables
     * the case needs (null: removed), such as no RETENTION_DAYS for an OLDER_THAN case.
     */
    record Row(String setting, String value, String expected, Map<String, String> also) {
        @Override
        public String toString() {
            return setting + display(value);
        }
    }

    /** A value accepted by design: why, and what the run that followed shows of it. */
    record Accepted(String setting, String value, String why, Map<String, String> also, boolean runs,
                    Consumer<Outcome> check) {
        @Override
        public String toString() {
            return setting + display(value) + " (" + why + ")";
        }
    }

    /** The settings as parsed, and the run at the counting endpoint (null when the row does not run). */
    record Outcome(Settings settings, CountedRuns.Run run) {
        SweepSummary summary() {
            return run.summary();
        }
    }

    /** For the test's name: short, on one line. */
    static String display(String value) {
        if (value == null) {
            return " (not set)";
        }
        String shown = ValueReader.quoted(value.length() > 40 ? value.substring(0, 40) : value);
        return "=" + shown + (value.length() > 40 ? "... (" + value.length() + " characters)" : "");
    }

    static Map<String, String> validEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", "my-backups");
        env.put("PREFIX", "logs/");
        env.put("RETENTION_DAYS", "30");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL_S3", runs.endpoint());
        return env;
    }

    static Map<String, String> env(String setting, String value, Map<String, String> also) {
        Map<String, String> env = validEnv();
        also.forEach((name, other) -> {
            if (other == null) {
                env.remove(name);
            } else {
                env.put(name, other);
            }
        });
        if (value == null) {
            env.remove(setting);
        } else {
            env.put(setting, value);
        }
        return env;
    }

    static String problem(String setting, String shown, String problem, String allowed) {
        return setting + shown + ": " + problem + "; allowed: " + allowed;
    }

    static String shown(String value) {
        return "=\"" + value + "\"";
    }

    static Row row(String setting, String value, String expected) {
        return new Row(setting, value, expected, Map.of());
    }

    static Row row(String setting, String value, String expected, Map<String, String> also) {
        return new Row(setting, value, expected, also);
    }

    /** Rows whose values are all refused with the same problem and allowed text; each shown as written. */
    static Stream<Row> same(String setting, String problem, String allowed, Map<String, String> also,
                            String... values) {
        return Stream.of(values).map(value -> row(setting, value, problem(setting, shown(value), problem, allowed),
                also));
    }

    /** A whole-number setting: everything but a number in range is refused, and this is how. */
    static Stream<Row> wholeNumber(String setting, int min, int max, String allowed, String unicodeDigits) {
        List<Row> rows = new ArrayList<>();
        rows.add(row(setting, BLANK, problem(setting, shown(BLANK), "blank", allowed)));
        rows.add(row(setting, HUGE, problem(setting, shown(HUGE), "must be at most " + max, allowed)));
        rows.add(row(setting, NEGATIVE, problem(setting, shown(NEGATIVE), "must be at least " + min, allowed)));
        if (min > 0) {
            rows.add(row(setting, String.valueOf(min - 1), problem(setting, shown(String.valueOf(min - 1)),
                    "must be at least " + min, allowed)));
        }
        rows.add(row(setting, String.valueOf(max + 1), problem(setting, shown(String.valueOf(max + 1)),
                "must be at most " + max, allowed)));
        rows.add(row(setting, "thirty", problem(setting, shown("thirty"), "not a whole number", allowed)));
        rows.add(row(setting, "1.5", problem(setting, shown("1.5"), "not a whole number", allowed)));
        rows.add(row(setting, "+5", problem(setting, shown("+5"), "not a whole number", allowed)));
        rows.add(row(setting, unicodeDigits, problem(setting, shown(unicodeDigits), "not a whole number", allowed)));
        rows.add(row(setting, CONTROL, problem(setting, CONTROL_SHOWN, "not a whole number", allowed)));
        rows.add(row(setting, "5\n", problem(setting, "=\"5\\n\"", "not a whole number", allowed)));
        rows.add(row(setting, LONG_DIGITS, problem(setting, LONG_DIGITS_SHOWN, "must be at most " + max, allowed)));
        rows.addAll(same(setting, "not a whole number", allowed, Map.of(), INJECTIONS.toArray(String[]::new)).toList());
        return rows.stream();
    }

    /** A true-or-false setting. */
    static Stream<Row> bool(String setting, boolean emptyRefused) {
        List<Row> rows = new ArrayList<>();
        if (emptyRefused) {
            rows.add(row(setting, EMPTY, problem(setting, shown(EMPTY), "empty", BOOLEAN)));
        }
        rows.add(row(setting, BLANK, problem(setting, shown(BLANK), "blank", BOOLEAN)));
        rows.add(row(setting, "true ", problem(setting, shown("true "), "not a boolean", BOOLEAN)));
        rows.add(row(setting, "ｔｒｕｅ", problem(setting, shown("ｔｒｕｅ"), "not a boolean", BOOLEAN)));
        rows.add(row(setting, CONTROL, problem(setting, CONTROL_SHOWN, "not a boolean", BOOLEAN)));
        rows.add(row(setting, "true\n", problem(setting, "=\"true\\n\"", "not a boolean", BOOLEAN)));
        rows.add(row(setting, LONG_LETTERS, problem(setting, LONG_LETTERS_SHOWN, "not a boolean", BOOLEAN)));
        rows.addAll(same(setting, "not a boolean", BOOLEAN, Map.of(), HUGE, NEGATIVE, "yes", "1", "0", "on")
                .toList());
        rows.addAll(same(setting, "not a boolean", BOOLEAN, Map.of(), INJECTIONS.toArray(String[]::new)).toList());
        return rows.stream();
    }

    static Stream<Row> globs(String setting) {
        List<Row> rows = new ArrayList<>();
        rows.add(row(setting, BLANK, problem(setting, shown(BLANK), "an empty pattern in the list", GLOBS)));
        rows.add(row(setting, ",", problem(setting, shown(","), "an empty pattern in the list", GLOBS)));
        rows.add(row(setting, "*.gz,,*.zip", problem(setting, shown("*.gz,,*.zip"), "an empty pattern in the list",
                GLOBS)));
        rows.add(row(setting, "{a", problem(setting, shown("{a"), "pattern \"{a\" has a '{' without its '}'", GLOBS)));
        rows.add(row(setting, "*.log,{a,b", problem(setting, shown("*.log,{a,b"),
                "pattern \"{a,b\" has a '{' without its '}'", GLOBS)));
        rows.add(row(setting, "{a,{b}", problem(setting, shown("{a,{b}"),
                "pattern \"{a,{b}\" has a '{' without its '}'", GLOBS)));
        rows.add(row(setting, "a}", problem(setting, shown("a}"), "pattern \"a}\" has a '}' without its '{'", GLOBS)));
        rows.add(row(setting, "keep\\", problem(setting, "=\"keep\\\\\"",
                "pattern \"keep\\\\\" has a trailing backslash", GLOBS)));
        rows.add(row(setting, "x\n{", problem(setting, "=\"x\\n{\"", "pattern \"x\\n{\" has a '{' without its '}'",
                GLOBS)));
        String longBrace = "{" + LONG_LETTERS;
        String longBraceShown = "\"{" + "a".repeat(99) + "\"... (10001 characters)";
        rows.add(row(setting, longBrace, problem(setting, "=" + longBraceShown, "pattern " + longBraceShown
                + " has a '{' without its '}'", GLOBS)));
        return rows.stream();
    }

    static final String RULES = "a JSON array of at most 1000 rules, each an object with \"name\" (1 to 64 letters,"
            + " digits, '-', '_' and '.', unique among the rules), \"prefix\" (inside PREFIX, overlapping no other"
            + " rule's) and optionally retentionDays, olderThan, dryRun, keepLatest, groupBy, keepHourly, keepDaily, keepWeekly,"
                        + " keepMonthly, keepYearly, keepWithin, timezone, include, exclude, minSize, maxSize"
            + " (each as the text its variable takes), or empty for no rules";
    static final String ANY_VALUE = "expected a value (an object, array, string, number, true, false or null),"
            + " found ";
    static final String RULE_NAME = "1 to 64 letters, digits, '-', '_' and '.', unique among the rules";
    static final String RULE_PREFIX = "a key prefix that starts with PREFIX=\"logs/\" (S3 prefixes are plain string"
            + " prefixes)";

    /** RULES: its JSON, each rule alone, and the rules together; PREFIX is logs/. */
    static Stream<Row> rules() {
        String overlapping = "[{\"name\":\"a\",\"prefix\":\"logs/a\"},{\"name\":\"b\",\"prefix\":\"logs/ab\"}]";
        return Stream.of(
                row("RULES", "not json", problem("RULES", shown("not json"), "not JSON: expected null, found 'o' at"
                        + " line 1, column 2", RULES)),
                row("RULES", "[{\"name\":\"a\",", problem("RULES", "=\"[{\\\"name\\\":\\\"a\\\",\"", "not JSON: the file"
                        + " ends inside the object that starts at line 1, column 2; a '}' is missing at line 1,"
                        + " column 14", RULES)),
                row("RULES", "{\"name\":\"a\"}", problem("RULES", "=\"{\\\"name\\\":\\\"a\\\"}\"", "a JSON object, not an"
                        + " array", RULES)),
                row("RULES", "file:rules.json", problem("RULES", shown("file:rules.json"), "a file reference, which"
                        + " only the command line reads (in Lambda, give the JSON itself)", RULES)),
                row("RULES", "[\"db\"]", "RULES[0]=\"db\": a JSON string, not an object; allowed: " + RULES),
                row("RULES", "[{\"prefix\":\"logs/a/\"}]", "RULES[0]: no \"name\"; allowed: " + RULE_NAME),
                row("RULES", "[{\"name\":\"a b\",\"prefix\":\"logs/a/\"}]", "RULES[0]: name=\"a b\": a character"
                        + " other than letters, digits, '-', '_' and '.'; allowed: " + RULE_NAME),
                row("RULES", "[{\"name\":\"a\",\"prefix\":\"logs/a/\"},{\"name\":\"a\",\"prefix\":\"logs/b/\"}]",
                        "RULES[1] \"a\": the same name as RULES[0]; allowed: " + RULE_NAME),
                row("RULES", "[{\"name\":\"a\"}]", "RULES[0] \"a\": no \"prefix\"; allowed: " + RULE_PREFIX),
                row("RULES", "[{\"name\":\"a\",\"prefix\":\"other/\"}]", "RULES[0] \"a\": prefix=\"other/\": outside"
                        + " PREFIX=\"logs/\" (the IAM role is scoped to it); allowed: " + RULE_PREFIX),
                row("RULES", overlapping, "RULES[0] \"a\" prefix=\"logs/a\" and RULES[1] \"b\" prefix=\"logs/ab\":"
                        + " overlapping prefixes (every key under \"logs/ab\" is under \"logs/a\" too: S3 prefixes are"
                        + " plain string prefixes); allowed: prefixes none of which starts with another"),
                row("RULES", "[{\"name\":\"a\",\"prefix\":\"logs/a/\",\"keepLast\":3}]", "RULES[0] \"a\": field"
                        + " \"keepLast\": unknown; allowed: the fields name, prefix, retentionDays, olderThan, dryRun,"
                        + " keepLatest, groupBy, keepHourly, keepDaily, keepWeekly,"
                        + " keepMonthly, keepYearly, keepWithin, timezone, include, exclude, minSize, maxSize"),
                row("RULES", "[{\"name\":\"db\",\"prefix\":\"logs/db/\",\"keepLatest\":\"-1\"}]", "RULES[0] \"db\":"
                        + " keepLatest=\"-1\": must be at least 0; allowed: " + KEEP_LATEST),
                row("RULES", "[{\"name\":\"db\",\"prefix\":\"logs/db/\",\"olderThan\":\"90s\"}]", "RULES[0] \"db\":"
                        + " olderThan=\"90s\": not a duration; allowed: " + DURATION),
                row("RULES", "[{\"name\":\"a\",\"prefix\":\"logs/a/\",\"retentionDays\":3,\"olderThan\":\"7d\"}]",
                        "RULES[0] \"a\": retentionDays and olderThan: both are set; allowed: at most one (neither: the"
                                + " top-level age applies)"),
                row("RULES", "[{\"name\":\"a\",\"prefix\":\"logs/a/\",\"dryRun\":false}]", "RULES[0] \"a\":"
                        + " dryRun=\"false\": would switch off the configured DRY_RUN=true; allowed: true, or leave it"
                        + " out (DRY_RUN=true holds for every rule)", Map.of("DRY_RUN", "true")),
                row("RULES", BLANK, problem("RULES", shown(BLANK), "not JSON: expected a value, found the end of the"
                        + " file at line 1, column 4", RULES)),
                row("RULES", NEGATIVE, problem("RULES", shown(NEGATIVE), "a JSON number, not an array", RULES)),
                row("RULES", CONTROL, problem("RULES", CONTROL_SHOWN, "not JSON: unexpected U+001B after the JSON value"
                        + " at line 2, column 1", RULES)),
                row("RULES", LONG_LETTERS, problem("RULES", LONG_LETTERS_SHOWN, "not JSON: " + ANY_VALUE + "'a' at"
                        + " line 1, column 1", RULES)),
                row("RULES", "[{\"name\":\"a\",\"prefix\":\"logs/a/\",\"keepLatest\":" + HUGE + "}]", "RULES[0] \"a\":"
                        + " keepLatest=\"" + HUGE + "\": must be at most 100000; allowed: " + KEEP_LATEST),
                row("RULES", "[{\"name\":\"caf\u00e9\",\"prefix\":\"logs/a/\"}]", "RULES[0]: name=\"caf\u00e9\": a"
                        + " character other than letters, digits, '-', '_' and '.'; allowed: " + RULE_NAME),
                row("RULES", INJECTIONS.get(0), problem("RULES", shown(INJECTIONS.get(0)), "not JSON: a string in single"
                        + " quotes; JSON strings are in double quotes (not standard JSON: the Lambda runtime's own reader"
                        + " would take it, this reader does not) at line 1, column 1", RULES)),
                row("RULES", INJECTIONS.get(1), problem("RULES", shown(INJECTIONS.get(1)), "not JSON: " + ANY_VALUE
                        + "'$' at line 1, column 1", RULES)),
                row("RULES", INJECTIONS.get(2), problem("RULES", shown(INJECTIONS.get(2)), "not JSON: " + ANY_VALUE
                        + "'.' at line 1, column 1", RULES)),
                row("RULES", INJECTIONS.get(3), problem("RULES", shown(INJECTIONS.get(3)), "not JSON: " + ANY_VALUE
                        + "'<' at line 1, column 1", RULES)),
                row("RULES", "[{\"name\":\"a\",\"prefix\":\"logs/a/\",\"minSize\":\"2MB\"}]", "RULES[0] \"a\":"
                        + " minSize and maxSize: the minimum 2000000 is larger than the maximum 1000000 (a field left out"
                        + " is the top-level value); allowed: a minimum no larger than the maximum",
                        Map.of("MAX_SIZE", "1MB")));
    }

    static Stream<Row> size(String setting) {
        List<Row> rows = new ArrayList<>();
        rows.add(row(setting, BLANK, problem(setting, shown(BLANK), "blank", SIZE)));
        rows.add(row(setting, HUGE, problem(setting, shown(HUGE), "too large", SIZE)));
        rows.add(row(setting, "16777216TiB", problem(setting, shown("16777216TiB"), "too large", SIZE)));
        rows.add(row(setting, LONG_DIGITS, problem(setting, LONG_DIGITS_SHOWN, "too large", SIZE)));
        rows.add(row(setting, CONTROL, problem(setting, CONTROL_SHOWN, "not a size", SIZE)));
        rows.addAll(same(setting, "not a size", SIZE, Map.of(), NEGATIVE, "big", "1.5MB", "10XB", "١٠MB", "10 M B")
                .toList());
        rows.addAll(same(setting, "not a size", SIZE, Map.of(), INJECTIONS.toArray(String[]::new)).toList());
        return rows.stream();
    }

    static Stream<Row> refused() {
        Map<String, String> noRetentionDays = new HashMap<>();
        noRetentionDays.put("RETENTION_DAYS", null);
        Map<String, String> noEndpoints = new HashMap<>();
        noEndpoints.put("AWS_ENDPOINT_URL_S3", null);
        return Stream.of(
                // BUCKET_NAME: required. Not numeric, so "thirty" and "1.5" say nothing new; "-1" is too short.
                Stream.of(
                        row("BUCKET_NAME", null, "BUCKET_NAME (not set): required; allowed: " + BUCKET),
                        row("BUCKET_NAME", EMPTY, problem("BUCKET_NAME", shown(EMPTY), "empty", BUCKET)),
                        row("BUCKET_NAME", BLANK, problem("BUCKET_NAME", shown(BLANK), "blank", BUCKET)),
                        row("BUCKET_NAME", NEGATIVE, problem("BUCKET_NAME", shown(NEGATIVE),
                                "length 2 is outside 3 to 63", BUCKET)),
                        row("BUCKET_NAME", "-123", problem("BUCKET_NAME", shown("-123"), BUCKET_CHARS, BUCKET)),
                        row("BUCKET_NAME", "bücket", problem("BUCKET_NAME", shown("bücket"), BUCKET_CHARS, BUCKET)),
                        row("BUCKET_NAME", "s3://my-backups", problem("BUCKET_NAME", shown("s3://my-backups"),
                                "starts with s3://: give the bucket's name alone", BUCKET)),
                        row("BUCKET_NAME", "My_Bucket", problem("BUCKET_NAME", shown("My_Bucket"), BUCKET_CHARS,
                                BUCKET)),
                        row("BUCKET_NAME", CONTROL, problem("BUCKET_NAME", CONTROL_SHOWN, BUCKET_CHARS, BUCKET)),
                        row("BUCKET_NAME", LONG_LETTERS, problem("BUCKET_NAME", LONG_LETTERS_SHOWN,
                                "length 10000 is outside 3 to 63", BUCKET)),
                        row("BUCKET_NAME", "my..backups", problem("BUCKET_NAME", shown("my..backups"),
                                "has two adjacent dots", BUCKET)),
                        row("BUCKET_NAME", "192.168.5.4", problem("BUCKET_NAME", shown("192.168.5.4"),
                                "is formatted as an IP address", BUCKET))),
                same("BUCKET_NAME", BUCKET_CHARS, BUCKET, Map.of(), INJECTIONS.toArray(String[]::new)),

                // PREFIX: required; an S3 prefix is any string, so most odd values are accepted (see accepted()).
                Stream.of(
                        row("PREFIX", null, "PREFIX (not set): required; allowed: " + PREFIX),
                        row("PREFIX", EMPTY, problem("PREFIX", shown(EMPTY), "empty, which would sweep the whole"
                                + " bucket, and ALLOW_WHOLE_BUCKET is not true", PREFIX)),
                        row("PREFIX", BLANK, problem("PREFIX", shown(BLANK), "blank", PREFIX)),
                        row("PREFIX", "\t", problem("PREFIX", "=\"\\t\"", "blank", PREFIX)),
                        row("PREFIX", LONG_LETTERS, problem("PREFIX", LONG_LETTERS_SHOWN, "longer than 1024 bytes",
                                PREFIX)),
                        // 513 characters, 1026 bytes in UTF-8: the limit is S3's, in bytes.
                        row("PREFIX", "é".repeat(513), problem("PREFIX", "=\"" + "é".repeat(100)
                                + "\"... (513 characters)", "longer than 1024 bytes", PREFIX)),
                        row("PREFIX", "logs/\uFFFD/", problem("PREFIX", shown("logs/\uFFFD/"), "contains U+FFFD, the"
                                + " replacement character: the environment was probably read without a UTF-8 locale"
                                + " (set LANG=C.UTF-8)", PREFIX))),

                // RETENTION_DAYS: required unless OLDER_THAN is set.
                Stream.of(
                        row("RETENTION_DAYS", null, "RETENTION_DAYS (not set) and OLDER_THAN (not set): neither is"
                                + " set; allowed: " + AGE),
                        row("RETENTION_DAYS", EMPTY, "RETENTION_DAYS=\"\" and OLDER_THAN (not set): neither is set;"
                                + " allowed: " + AGE),
                        row("RETENTION_DAYS", "30", "RETENTION_DAYS=\"30\" and OLDER_THAN=\"36h\": both are set;"
                                + " allowed: " + AGE, Map.of("OLDER_THAN", "36h"))),
                wholeNumber("RETENTION_DAYS", 1, 36500, DAYS, "٣٠"),

                // OLDER_THAN, with RETENTION_DAYS not set.
                Stream.of(
                        row("OLDER_THAN", null, "RETENTION_DAYS (not set) and OLDER_THAN (not set): neither is set;"
                                + " allowed: " + AGE, noRetentionDays),
                        row("OLDER_THAN", EMPTY, "RETENTION_DAYS (not set) and OLDER_THAN=\"\": neither is set;"
                                + " allowed: " + AGE, noRetentionDays),
                        row("OLDER_THAN", BLANK, problem("OLDER_THAN", shown(BLANK), "blank", DURATION),
                                noRetentionDays),
                        row("OLDER_THAN", HUGE + "d", problem("OLDER_THAN", shown(HUGE + "d"),
                                "longer than 36500 days", DURATION), noRetentionDays),
                        row("OLDER_THAN", "PT" + HUGE + "H", problem("OLDER_THAN", shown("PT" + HUGE + "H"),
                                "longer than 36500 days", DURATION), noRetentionDays),
                        row("OLDER_THAN", LONG_DIGITS + "m", problem("OLDER_THAN", "=\"" + "9".repeat(100)
                                + "\"... (10001 characters)", "longer than 36500 days", DURATION), noRetentionDays),
                        row("OLDER_THAN", "36501d", problem("OLDER_THAN", shown("36501d"), "longer than 36500 days",
                                DURATION), noRetentionDays),
                        row("OLDER_THAN", "PT-1H", problem("OLDER_THAN", shown("PT-1H"), "shorter than 1 minute",
                                DURATION), noRetentionDays),
                        row("OLDER_THAN", "0m", problem("OLDER_THAN", shown("0m"), "shorter than 1 minute",
                                DURATION), noRetentionDays),
                        row("OLDER_THAN", "P1M", problem("OLDER_THAN", shown("P1M"), "not an ISO-8601 duration of"
                                + " days, hours, minutes (months and years vary in length)", DURATION),
                                noRetentionDays),
                        row("OLDER_THAN", CONTROL, problem("OLDER_THAN", CONTROL_SHOWN, "not a duration", DURATION),
                                noRetentionDays),
                        row("OLDER_THAN", "36h\n", problem("OLDER_THAN", "=\"36h\\n\"", "not a duration", DURATION),
                                noRetentionDays),
                        row("OLDER_THAN", LONG_LETTERS, problem("OLDER_THAN", LONG_LETTERS_SHOWN, "not a duration",
                                DURATION), noRetentionDays)),
                same("OLDER_THAN", "not a duration", DURATION, noRetentionDays, HUGE, NEGATIVE, "-1d", "forever",
                        "36", "36 h", "1w", "٣٦h", "90s", "5400s"),
                same("OLDER_THAN", "not a duration", DURATION, noRetentionDays, INJECTIONS.toArray(String[]::new)),

                // PROGRESS_INTERVAL: a duration with seconds too; empty or not set is the default.
                Stream.of(
                        row("PROGRESS_INTERVAL", BLANK, problem("PROGRESS_INTERVAL", shown(BLANK), "blank", INTERVAL)),
                        row("PROGRESS_INTERVAL", HUGE + "d", problem("PROGRESS_INTERVAL", shown(HUGE + "d"),
                                "longer than 36500 days", INTERVAL)),
                        row("PROGRESS_INTERVAL", LONG_DIGITS + "m", problem("PROGRESS_INTERVAL", "=\"" + "9".repeat(100)
                                + "\"... (10001 characters)", "longer than 36500 days", INTERVAL)),
                        row("PROGRESS_INTERVAL", "PT-1H", problem("PROGRESS_INTERVAL", shown("PT-1H"),
                                "shorter than 1 minute", INTERVAL)),
                        row("PROGRESS_INTERVAL", CONTROL, problem("PROGRESS_INTERVAL", CONTROL_SHOWN,
                                "not a duration", INTERVAL)),
                        row("PROGRESS_INTERVAL", LONG_LETTERS, problem("PROGRESS_INTERVAL", LONG_LETTERS_SHOWN,
                                "not a duration", INTERVAL))),
                same("PROGRESS_INTERVAL", "not a duration", INTERVAL, Map.of(), HUGE, NEGATIVE, "60", "30 s", "٣m"),
                same("PROGRESS_INTERVAL", "shorter than 1 minute", INTERVAL, Map.of(), "30s", "59s", "PT30S"),
                same("PROGRESS_INTERVAL", "not a duration", INTERVAL, Map.of(), INJECTIONS.toArray(String[]::new)),

                // Booleans. An empty DRY_RUN or ALLOW_WHOLE_BUCKET is refused: its intent is unclear.
                bool("DRY_RUN", true),
                bool("ALLOW_WHOLE_BUCKET", true),
                bool("BYPASS_GOVERNANCE", false),
                Stream.of(row("BYPASS_GOVERNANCE", "true", problem("BYPASS_GOVERNANCE", shown("true"), "applies only"
                        + " to deleting versions, and NONCURRENT_DAYS is not set", "false or empty, or set"
                        + " NONCURRENT_DAYS too"))),

                wholeNumber("KEEP_LATEST", 0, 100_000, KEEP_LATEST, "٣"),
                wholeNumber("KEEP_HOURLY", 0, 100_000, KEEP_LATEST, "٣"),
                wholeNumber("KEEP_DAILY", 0, 100_000, KEEP_LATEST, "٧"),
                wholeNumber("KEEP_WEEKLY", 0, 100_000, KEEP_LATEST, "٤"),
                wholeNumber("KEEP_MONTHLY", 0, 100_000, KEEP_LATEST, "١٢"),
                wholeNumber("KEEP_YEARLY", 0, 100_000, KEEP_LATEST, "٢"),
                wholeNumber("MAX_HELD_OBJECTS", 1, 100_000_000, "a whole number from 1 to 100000000", "١٠٠"),
                // KEEP_WITHIN reads as OLDER_THAN does: the same durations, the same refusals.
                Stream.of(
                        row("KEEP_WITHIN", BLANK, problem("KEEP_WITHIN", shown(BLANK), "blank", DURATION)),
                        row("KEEP_WITHIN", "36501d", problem("KEEP_WITHIN", shown("36501d"), "longer than 36500 days",
                                DURATION)),
                        row("KEEP_WITHIN", "0m", problem("KEEP_WITHIN", shown("0m"), "shorter than 1 minute",
                                DURATION)),
                        row("KEEP_WITHIN", CONTROL, problem("KEEP_WITHIN", CONTROL_SHOWN, "not a duration", DURATION))),
                same("KEEP_WITHIN", "not a duration", DURATION, Map.of(), HUGE, NEGATIVE, "-1d", "forever", "7 days",
                        "٣d"),
                Stream.of(row("KEEP_WITHIN", LONG_LETTERS, problem("KEEP_WITHIN", LONG_LETTERS_SHOWN, "not a duration",
                        DURATION))),
                same("KEEP_WITHIN", "not a duration", DURATION, Map.of(), INJECTIONS.toArray(String[]::new)),
                Stream.of(
                        row("GROUP_BY", BLANK, problem("GROUP_BY", shown(BLANK), "blank", GROUP_BY)),
                        row("GROUP_BY", "depth:0", problem("GROUP_BY", shown("depth:0"), "depth \"0\" is not a whole"
                                + " number from 1 to 32", GROUP_BY)),
                        row("GROUP_BY", "depth:33", problem("GROUP_BY", shown("depth:33"), "depth \"33\" is not a"
                                + " whole number from 1 to 32", GROUP_BY)),
                        row("GROUP_BY", "pattern:*.sql.gz", problem("GROUP_BY", shown("pattern:*.sql.gz"), "pattern"
                                + " \"*.sql.gz\" must have exactly one (capture), has 0", GROUP_BY)),
                        row("GROUP_BY", "pattern:(*)/(*)", problem("GROUP_BY", shown("pattern:(*)/(*)"), "pattern"
                                + " \"(*)/(*)\" must have exactly one (capture), has 2", GROUP_BY)),
                        row("GROUP_BY", "pattern:({a)", problem("GROUP_BY", shown("pattern:({a)"), "pattern"
                                + " \"({a)\" has a '{' without its '}'", GROUP_BY))),
                same("GROUP_BY", "not a way of grouping", GROUP_BY, Map.of(), "folder", "depth", "segment:1", HUGE,
                        NEGATIVE, "grüppe"),
                Stream.of(row("GROUP_BY", CONTROL, problem("GROUP_BY", CONTROL_SHOWN, "not a way of grouping",
                                GROUP_BY)),
                        row("GROUP_BY", LONG_LETTERS, problem("GROUP_BY", LONG_LETTERS_SHOWN, "not a way of grouping",
                                GROUP_BY))),
                Stream.of(row("GROUP_BY", "depth:٣", problem("GROUP_BY", shown("depth:٣"), "depth \"٣\" is not a"
                        + " whole number from 1 to 32", GROUP_BY))),
                same("GROUP_BY", "not a way of grouping", GROUP_BY, Map.of(), INJECTIONS.toArray(String[]::new)),
                Stream.of(
                        row("TIMEZONE", BLANK, problem("TIMEZONE", shown(BLANK), "blank", TIMEZONE)),
                        row("TIMEZONE", CONTROL, problem("TIMEZONE", CONTROL_SHOWN, "not a time zone the Java runtime"
                                + " knows", TIMEZONE))),
                same("TIMEZONE", "not a time zone the Java runtime knows", TIMEZONE, Map.of(), "Mars/Olympus_Mons",
                        "CEST", "+25:00", "Europe/Pariss", "Europe/Pärís", HUGE, NEGATIVE),
                Stream.of(row("TIMEZONE", LONG_LETTERS, problem("TIMEZONE", LONG_LETTERS_SHOWN, "not a time zone the"
                        + " Java runtime knows", TIMEZONE))),
                same("TIMEZONE", "not a time zone the Java runtime knows", TIMEZONE, Map.of(),
                        INJECTIONS.toArray(String[]::new)),
                wholeNumber("MAX_DELETES", 1, 1_000_000_000, MAX_DELETES, "١٠٠"),
                globs("INCLUDE"),
                globs("EXCLUDE"),
                size("MIN_SIZE"),
                size("MAX_SIZE"),
                Stream.of(row("MIN_SIZE", "10MB", problem("MIN_SIZE", shown("10MB"), "larger than MAX_SIZE=\"1MB\"",
                        "a MIN_SIZE no larger than MAX_SIZE"), Map.of("MAX_SIZE", "1MB"))),
                rules(),
                wholeNumber("NONCURRENT_DAYS", 1, 36500, NONCURRENT_DAYS, "٧"),
                wholeNumber("KEEP_NONCURRENT", 0, 100, KEEP_NONCURRENT, "٣"),
                Stream.of(row("KEEP_NONCURRENT", "3", problem("KEEP_NONCURRENT", shown("3"), "applies only to"
                        + " noncurrent versions, and NONCURRENT_DAYS is not set", "0 or empty, or set NONCURRENT_DAYS"
                        + " too"))),
                // ABORT_INCOMPLETE_UPLOADS_AFTER: a duration as OLDER_THAN; empty or not set leaves uploads alone.
                Stream.of(
                        row(UPLOADS, BLANK, problem(UPLOADS, shown(BLANK), "blank", DURATION)),
                        row(UPLOADS, HUGE + "d", problem(UPLOADS, shown(HUGE + "d"), "longer than 36500 days",
                                DURATION)),
                        row(UPLOADS, "36501d", problem(UPLOADS, shown("36501d"), "longer than 36500 days", DURATION)),
                        row(UPLOADS, LONG_DIGITS + "m", problem(UPLOADS, "=\"" + "9".repeat(100)
                                + "\"... (10001 characters)", "longer than 36500 days", DURATION)),
                        row(UPLOADS, "PT-1H", problem(UPLOADS, shown("PT-1H"), "shorter than 1 minute", DURATION)),
                        row(UPLOADS, "0m", problem(UPLOADS, shown("0m"), "shorter than 1 minute", DURATION)),
                        row(UPLOADS, "P1M", problem(UPLOADS, shown("P1M"), "not an ISO-8601 duration of days,"
                                + " hours, minutes (months and years vary in length)", DURATION)),
                        row(UPLOADS, CONTROL, problem(UPLOADS, CONTROL_SHOWN, "not a duration", DURATION)),
                        row(UPLOADS, "7d\n", problem(UPLOADS, "=\"7d\\n\"", "not a duration", DURATION)),
                        row(UPLOADS, LONG_LETTERS, problem(UPLOADS, LONG_LETTERS_SHOWN, "not a duration",
                                DURATION))),
                same(UPLOADS, "not a duration", DURATION, Map.of(), HUGE, NEGATIVE, "-1d", "7", "7 d", "1w", "٧d",
                        "90s"),
                same(UPLOADS, "not a duration", DURATION, Map.of(), INJECTIONS.toArray(String[]::new)),
                wholeNumber("DELETE_CONCURRENCY", 1, 64, CONCURRENCY, "٤"),
                wholeNumber("LIST_CONCURRENCY", 1, 64, CONCURRENCY, "١٦"),
                wholeNumber("MAX_CHAIN_LINKS", 1, 1000, "a whole number from 1 to 1000", "٢٠"),

                // AWS_REGION: required (Lambda sets it).
                Stream.of(
                        row("AWS_REGION", null, "AWS_REGION (not set): required (Lambda sets it; elsewhere give --region,"
                                + " AWS_REGION, AWS_DEFAULT_REGION or a profile's region); allowed: " + REGION),
                        row("AWS_REGION", EMPTY, problem("AWS_REGION", shown(EMPTY), "empty", REGION)),
                        row("AWS_REGION", BLANK, problem("AWS_REGION", shown(BLANK), "blank", REGION)),
                        row("AWS_REGION", CONTROL, problem("AWS_REGION", CONTROL_SHOWN, "not a Region name", REGION)),
                        row("AWS_REGION", "eu-west-1\n", problem("AWS_REGION", "=\"eu-west-1\\n\"", "not a Region"
                                + " name", REGION)),
                        row("AWS_REGION", LONG_LETTERS, problem("AWS_REGION", LONG_LETTERS_SHOWN, "not a Region name",
                                REGION))),
                same("AWS_REGION", "not a Region name", REGION, Map.of(), HUGE, NEGATIVE, "EU West", "eu-wëst-1",
                        "eu-west-١"),
                same("AWS_REGION", "not a Region name", REGION, Map.of(), INJECTIONS.toArray(String[]::new)),

                // AWS_ENDPOINT_URL_S3 (and the global AWS_ENDPOINT_URL, read when the first is not set). A bad
                // endpoint cannot point at the counting endpoint, so the rows also prove that no client was built.
                Stream.of(
                        row("AWS_ENDPOINT_URL_S3", CONTROL, problem("AWS_ENDPOINT_URL_S3", CONTROL_SHOWN, "not a usable"
                                + " endpoint URL", ENDPOINT)),
                        row("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9/\n", problem("AWS_ENDPOINT_URL_S3",
                                "=\"http://127.0.0.1:9/\\n\"", "not a usable endpoint URL", ENDPOINT)),
                        row("AWS_ENDPOINT_URL_S3", LONG_LETTERS, problem("AWS_ENDPOINT_URL_S3", LONG_LETTERS_SHOWN,
                                "not a usable endpoint URL", ENDPOINT))),
                same("AWS_ENDPOINT_URL_S3", "not a usable endpoint URL", ENDPOINT, Map.of(), BLANK, HUGE, NEGATIVE,
                        "localhost:4566", "127.0.0.1", "http://127.0.0.1:" + HUGE, "http://127.0.0.1:-1",
                        "http://bücket.example", "ftp://127.0.0.1/", "file:///etc/passwd", "javascript:alert(1)",
                        "http:///no-host"),
                same("AWS_ENDPOINT_URL_S3", "not a usable endpoint URL", ENDPOINT, Map.of(),
                        INJECTIONS.toArray(String[]::new)),
                // AWS_ENDPOINT_URL_LAMBDA: checked as S3's is, before any request (and before the run could invoke).
                Stream.of(row("AWS_ENDPOINT_URL_LAMBDA", CONTROL, problem("AWS_ENDPOINT_URL_LAMBDA", CONTROL_SHOWN,
                        "not a usable endpoint URL", LAMBDA_ENDPOINT)),
                        row("AWS_ENDPOINT_URL_LAMBDA", LONG_LETTERS, problem("AWS_ENDPOINT_URL_LAMBDA",
                                LONG_LETTERS_SHOWN, "not a usable endpoint URL", LAMBDA_ENDPOINT))),
                same("AWS_ENDPOINT_URL_LAMBDA", "not a usable endpoint URL", LAMBDA_ENDPOINT, Map.of(),
                        INJECTIONS.toArray(String[]::new)),
                same("AWS_ENDPOINT_URL_LAMBDA", "not a usable endpoint URL", LAMBDA_ENDPOINT, Map.of(), BLANK, HUGE,
                        NEGATIVE, "localhost:4566", "ftp://127.0.0.1/", "http://bücket.example", "$(rm -rf /)"),
                same("AWS_ENDPOINT_URL", "not a usable endpoint URL", ENDPOINT, noEndpoints, BLANK,
                        "localhost:4566", "$(rm -rf /)"),
                // AWS_DEFAULT_REGION, which the AWS CLI reads when AWS_REGION is not set.
                same("AWS_DEFAULT_REGION", "not a Region name", REGION, noRegion(), "EU West", "$(rm -rf /)"),


                // S3_ATTEMPT_TIMEOUT: whole seconds or milliseconds, 100ms to 300s.
                same("S3_ATTEMPT_TIMEOUT", "not a duration in s or ms", ATTEMPT_TIMEOUT, Map.of(), BLANK, HUGE,
                        NEGATIVE, "-5s", "１０s", "10 s", "10", "1m", "PT10S"),
                same("S3_ATTEMPT_TIMEOUT", "outside 100ms to 300s", ATTEMPT_TIMEOUT, Map.of(), "99ms", "301s",
                        "999999s"),
                Stream.concat(Stream.of(row("S3_ATTEMPT_TIMEOUT", CONTROL, problem("S3_ATTEMPT_TIMEOUT", CONTROL_SHOWN,
                                "not a duration in s or ms", ATTEMPT_TIMEOUT), Map.of()),
                        row("S3_ATTEMPT_TIMEOUT", LONG_LETTERS, problem("S3_ATTEMPT_TIMEOUT", LONG_LETTERS_SHOWN,
                                "not a duration in s or ms", ATTEMPT_TIMEOUT), Map.of())),
                        INJECTIONS.stream().map(value -> row("S3_ATTEMPT_TIMEOUT", value, problem("S3_ATTEMPT_TIMEOUT",
                                shown(value), "not a duration in s or ms", ATTEMPT_TIMEOUT), Map.of()))),

                // SWEEP_NAME: a CloudWatch dimension value: no control characters, not blank.
                Stream.of(
                        row("SWEEP_NAME", BLANK, problem("SWEEP_NAME", shown(BLANK), "blank", SWEEP_NAME)),
                        row("SWEEP_NAME", CONTROL, problem("SWEEP_NAME", CONTROL_SHOWN, "has a control character",
                                SWEEP_NAME)),
                        row("SWEEP_NAME", "nightly\n", problem("SWEEP_NAME", "=\"nightly\\n\"", "has a control"
                                + " character", SWEEP_NAME)),
                        row("SWEEP_NAME", LONG_LETTERS, problem("SWEEP_NAME", LONG_LETTERS_SHOWN, "longer than 1024"
                                + " characters", SWEEP_NAME))),

                // POWERTOOLS_METRICS_NAMESPACE.
                Stream.of(
                        row("POWERTOOLS_METRICS_NAMESPACE", CONTROL, problem("POWERTOOLS_METRICS_NAMESPACE",
                                CONTROL_SHOWN, NOT_A_NAMESPACE, NAMESPACE)),
                        row("POWERTOOLS_METRICS_NAMESPACE", LONG_LETTERS, problem("POWERTOOLS_METRICS_NAMESPACE",
                                LONG_LETTERS_SHOWN, NOT_A_NAMESPACE, NAMESPACE))),
                same("POWERTOOLS_METRICS_NAMESPACE", NOT_A_NAMESPACE, NAMESPACE, Map.of(), BLANK, "AWS/Lambda",
                        "Team Storage", "ünï", "'; DROP TABLE sweeps; --", "$(rm -rf /)",
                        "<script>alert(1)</script>")
        ).flatMap(rows -> rows);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedWithItsExactMessageBeforeAnyRequest(Row row) {
        CountedRuns.Refusal refusal = runs.refusal(env(row.setting(), row.value(), row.also()), Map.of());

        assertRefusedBeforeAnyRequest(refusal, row.expected());
        String problem = refusal.exception().problems().get(0);
        // RULES names the rule of its JSON at fault, by its index: RULES[1] "db": keepLatest="-1": ...
        assertThat(problem).as("names the variable").containsAnyOf(row.setting() + (row.value() == null ? " (not set)"
                : "="), row.setting().equals("RULES") ? "RULES[" : "=");
        assertThat(problem).as("says what is allowed").containsPattern("; allowed: \\S");
    }

    static Stream<Accepted> accepted() {
        List<Accepted> rows = new ArrayList<>();
        // Optional settings: not set, or set to the empty string (the template passes every parameter), is the
        // default. DRY_RUN and ALLOW_WHOLE_BUCKET are refused when empty (above), not when missing.
        Map<String, Consumer<Settings>> defaults = new java.util.LinkedHashMap<>();
        defaults.put("DRY_RUN", settings -> assertThat(settings.sweep().dryRun()).isFalse());
        defaults.put("ALLOW_WHOLE_BUCKET", settings -> assertThat(catchRefusal(Map.of("PREFIX", "")))
                .as("the empty prefix is still refused").isNotNull());
        defaults.put("KEEP_LATEST", settings -> assertThat(settings.sweep().keepLatest()).isZero());
        defaults.put("MAX_DELETES", settings -> assertThat(settings.sweep().maxDeletes()).isEmpty());
        defaults.put("GROUP_BY", settings -> assertThat(settings.sweep().groupBy()).isEqualTo(GroupBy.ONE));
        for (Period period : Period.values()) {
            defaults.put(period.rule(), settings -> assertThat(settings.sweep().keep(period)).isZero());
        }
        defaults.put("KEEP_WITHIN", settings -> assertThat(settings.sweep().keepWithin()).isZero());
        defaults.put("TIMEZONE", settings -> assertThat(settings.sweep().timezone()).isEqualTo(ZoneOffset.UTC));
        defaults.put("MAX_HELD_OBJECTS", settings -> assertThat(settings.sweep().maxHeldObjects())
                .isEqualTo(1_000_000));
        defaults.put("INCLUDE", settings -> assertThat(settings.sweep().includes()).isEmpty());
        defaults.put("EXCLUDE", settings -> assertThat(settings.sweep().exclude()).isEmpty());
        defaults.put("MIN_SIZE", settings -> assertThat(settings.sweep().minSize()).isZero());
        defaults.put("MAX_SIZE", settings -> assertThat(settings.sweep().maxSize()).isEqualTo(Long.MAX_VALUE));
        defaults.put("NONCURRENT_DAYS", settings -> assertThat(settings.sweep().sweepsVersions()).isFalse());
        defaults.put("KEEP_NONCURRENT", settings -> assertThat(settings.sweep().keepNoncurrent()).isZero());
        defaults.put("BYPASS_GOVERNANCE", settings -> assertThat(settings.sweep().bypassGovernance()).isFalse());
        defaults.put("ABORT_INCOMPLETE_UPLOADS_AFTER", settings -> assertThat(settings.sweep().abortUploadsAfter())
                .isEmpty());
        defaults.put("DELETE_CONCURRENCY", settings -> assertThat(settings.sweep().deleteConcurrency()).isEqualTo(16));
        defaults.put("LIST_CONCURRENCY", settings -> assertThat(settings.sweep().listConcurrency()).isEqualTo(16));
        defaults.put("RULES", settings -> assertThat(settings.rules()).isEmpty());
        defaults.put("MAX_CHAIN_LINKS", settings -> assertThat(settings.chain().maxLinks()).isEqualTo(20));
        defaults.put("SWEEP_NAME", settings -> assertThat(settings.metrics().sweep("my-backups", "logs/"))
                .isEqualTo("my-backups/logs/"));
        defaults.put("POWERTOOLS_METRICS_NAMESPACE", settings -> assertThat(settings.metrics().namespace())
                .isEqualTo("S3Sweeper"));
        defaults.forEach((optional, check) -> {
            rows.add(new Accepted(optional, null, "optional: the default", Map.of(), true,
                    outcome -> check.accept(outcome.settings())));
            if (!optional.equals("DRY_RUN") && !optional.equals("ALLOW_WHOLE_BUCKET")) {
                rows.add(new Accepted(optional, EMPTY, "empty is not set: the default", Map.of(), true,
                        outcome -> check.accept(outcome.settings())));
            }
        });
        // RULES: an empty array is no rules; a prefix is a literal key prefix, any character; a rule's glob its text.
        rows.add(new Accepted("RULES", "[ ]", "an empty array: no rules", Map.of(), true,
                outcome -> assertThat(outcome.settings().rules()).isEmpty()));
        rows.add(new Accepted("RULES", "[{\"name\":\"caf\u00e9s\",\"prefix\":\"logs/caf\u00e9/\",\"include\":[\"$(rm -rf /)\"]}]"
                .replace("caf\u00e9s", "cafes"), "a rule's prefix and globs are literal text", Map.of(), true, outcome ->
                assertThat(outcome.settings().rules()).singleElement().satisfies(rule -> {
                    assertThat(rule.prefix()).isEqualTo("logs/caf\u00e9/");
                    assertThat(rule.sweep().includes()).singleElement().asList().singleElement()
                            .hasToString("$(rm -rf /)");
                })));
        // BUCKET_NAME: S3 allows names of digits only; the request goes to exactly that bucket.
        rows.add(new Accepted("BUCKET_NAME", HUGE, "a bucket name may be all digits", Map.of(), true,
                outcome -> assertThat(outcome.run().requests()).allMatch(line -> line.startsWith("GET /" + HUGE + "?"))));
        // PREFIX: an S3 prefix is an opaque string (S3 keys may hold any character, control characters included).
        // Nothing interprets it as SQL, shell or a path: it goes to S3 as it is and only ever matches keys that
        // start with it, and every key the engine deletes is checked against it again.
        for (String prefix : Stream.concat(INJECTIONS.stream(), Stream.of(HUGE, NEGATIVE, "日本/café/", "logs/\u0000\n",
                CONTROL, "logs/   ")).toList()) {
            rows.add(new Accepted("PREFIX", prefix, "a prefix is a literal S3 key prefix", Map.of(), true, outcome -> {
                assertThat(outcome.summary().prefix()).isEqualTo(prefix);
                assertThat(outcome.run().endpoint().parameter("prefix")).isNotEmpty().containsOnly(prefix);
            }));
        }
        rows.add(new Accepted("PREFIX", EMPTY, "the whole bucket, with ALLOW_WHOLE_BUCKET=true",
                Map.of("ALLOW_WHOLE_BUCKET", "TRUE"), true,
                outcome -> assertThat(outcome.run().endpoint().parameter("prefix")).allMatch(String::isEmpty)));
        rows.add(new Accepted("RETENTION_DAYS", "0000030", "leading zeros write the same number", Map.of(), true,
                outcome -> assertThat(outcome.summary().retentionDays()).isEqualTo(30)));
        Map<String, String> noRetentionDays = new HashMap<>();
        noRetentionDays.put("RETENTION_DAYS", null);
        rows.add(new Accepted("OLDER_THAN", "pt36h", "ISO-8601 is read in any case", noRetentionDays, true,
                outcome -> assertThat(outcome.summary().olderThan()).isEqualTo("PT36H")));
        rows.add(new Accepted("DRY_RUN", "TRUE", "booleans are read in any case", Map.of(), true,
                outcome -> assertThat(outcome.summary().dryRun()).isTrue()));
        // Globs have no character classes: "[" is a literal, and "**x" is ** (any depth) followed by x. Injection-
        // looking patterns are literal key text too: a glob is only ever matched against keys.
        rows.add(new Accepted("INCLUDE", "[a-z]*.log", "[ is a literal character, not a class", Map.of(), true,
                outcome -> {
                    assertThat(outcome.settings().sweep().selection().matchesKey("logs/[a-z]x.log")).isTrue();
                    assertThat(outcome.settings().sweep().selection().matchesKey("logs/b.log")).isFalse();
                }));
        rows.add(new Accepted("INCLUDE", "**x", "** crosses segments, then x", Map.of(), true, outcome -> {
            assertThat(outcome.settings().sweep().selection().matchesKey("logs/a/b/x")).isTrue();
            assertThat(outcome.settings().sweep().selection().matchesKey("logs/a/b/y")).isFalse();
        }));
        for (String setting : List.of("INCLUDE", "EXCLUDE")) {
            for (String pattern : Stream.concat(INJECTIONS.stream(), Stream.of(HUGE, NEGATIVE, "日本/*.gz", "a\u0000b",
                    LONG_LETTERS)).toList()) {
                // A 10,000-character literal matches no key (keys are at most 1,024 bytes): harmless, so not refused.
                rows.add(new Accepted(setting, pattern, "a literal pattern", Map.of(), true, outcome -> {
                    List<io.github.s3sweeper.rules.Glob> globs = setting.equals("INCLUDE")
                            ? outcome.settings().sweep().includes().get(0) : outcome.settings().sweep().exclude();
                    assertThat(globs).singleElement().hasToString(pattern);
                    assertThat(outcome.settings().sweep().selection().matchesKey("logs/" + pattern))
                            .isEqualTo(setting.equals("INCLUDE"));
                }));
            }
        }
        // Sizes are stripped of surrounding white space, a trailing newline included: lenient, unlike the whole
        // numbers, which refuse "5\n" (see the report in issue #9).
        rows.add(new Accepted("MIN_SIZE", "10MB\n", "surrounding white space is stripped from sizes", Map.of(), true,
                outcome -> assertThat(outcome.settings().sweep().minSize()).isEqualTo(10_000_000)));
        rows.add(new Accepted("MAX_SIZE", "0000000000000000000000001KiB", "leading zeros write the same number",
                Map.of(), true, outcome -> assertThat(outcome.settings().sweep().maxSize()).isEqualTo(1024)));
        rows.add(new Accepted("AWS_REGION", "us-gov-west-1", "any well-formed Region name", Map.of(), true,
                outcome -> assertThat(outcome.settings().s3().region()).isEqualTo("us-gov-west-1")));
        rows.add(new Accepted("AWS_DEFAULT_REGION", "eu-north-1", "read when AWS_REGION is not set", noRegion(), true,
                outcome -> assertThat(outcome.settings().s3().region()).isEqualTo("eu-north-1")));
        // Without AWS_ENDPOINT_URL_S3 the global AWS_ENDPOINT_URL is read, as the SDK itself does.
        Map<String, String> globalEndpoint = new HashMap<>();
        globalEndpoint.put("AWS_ENDPOINT_URL", runs.endpoint());
        rows.add(new Accepted("AWS_ENDPOINT_URL_S3", null, "the global AWS_ENDPOINT_URL applies", globalEndpoint, true,
                outcome -> assertThat(outcome.run().connections()).isPositive()));
        // An endpoint may carry a path (some S3 gateways sit under one); the requests go to that host only.
        rows.add(new Accepted("AWS_ENDPOINT_URL_S3", runs.endpoint() + "/../../etc", "an endpoint may have a path",
                Map.of(), true, outcome -> assertThat(outcome.run().requests()).isNotEmpty()));
        // Empty is S3 itself (the template declares the variable empty), even with AWS_ENDPOINT_URL set. Not run:
        // the run would go to AWS.
        rows.add(new Accepted("AWS_ENDPOINT_URL_S3", EMPTY, "empty is S3 itself", globalEndpoint, false,
                outcome -> assertThat(outcome.settings().s3().endpoint()).isEmpty()));
        // Odd, reported in issue #9: a host name longer than DNS allows (253 characters) is accepted, and the run
        // then fails to connect. Not run: it would look the name up.
        rows.add(new Accepted("AWS_ENDPOINT_URL_S3", "http://" + LONG_LETTERS, "accepted, though no host is so long",
                Map.of(), false, outcome -> assertThat(outcome.settings().s3().endpoint()).isPresent()));
        for (String value : java.util.Arrays.asList(null, EMPTY)) {
            rows.add(new Accepted("AWS_ENDPOINT_URL_LAMBDA", value, "not set or empty: Lambda itself", Map.of(), true,
                    outcome -> assertThat(outcome.settings().chain().endpoint()).isEmpty()));
        }
        // A non-ASCII SWEEP_NAME (the template derives it from the prefix) does not fail the run: CloudWatch drops
        // the metric, and the README says to set SweepName then.
        rows.add(new Accepted("SWEEP_NAME", "säubern", "a non-ASCII prefix must not fail the sweep", Map.of(), true,
                outcome -> assertThat(outcome.run().log().records()).allSatisfy(line -> assertThat(line)
                        .containsEntry("sweep", "säubern"))));
        defaultsOf("S3_ATTEMPT_TIMEOUT", rows);
        for (String value : java.util.Arrays.asList(null, EMPTY)) {
            rows.add(new Accepted("PROGRESS_INTERVAL", value, "optional: the default", Map.of(), true,
                    outcome -> assertThat(outcome.settings().progressInterval()).isEqualTo(java.time.Duration.ofMinutes(1))));
        }
        for (String value : List.of("PT90S", "90s")) {
            rows.add(new Accepted("PROGRESS_INTERVAL", value, "seconds, a minute or more", Map.of(), true,
                    outcome -> assertThat(outcome.settings().progressInterval())
                            .isEqualTo(java.time.Duration.ofSeconds(90))));
        }
        // SWEEP_NAME is any printable text: it is data (a dimension value and a log field), never interpreted.
        for (String name : Stream.concat(INJECTIONS.stream(), Stream.of(HUGE, NEGATIVE, " nightly ")).toList()) {
            rows.add(new Accepted("SWEEP_NAME", name, "printable ASCII is a dimension value", Map.of(), true,
                    outcome -> assertThat(outcome.run().log().records()).allSatisfy(line -> assertThat(line)
                            .containsEntry("sweep", name))));
        }
        // CloudWatch namespaces may hold . and / and -, so "../../etc/passwd" is one, and so are digits.
        Map<String, String> inLambda = Map.of("AWS_LAMBDA_FUNCTION_NAME", "s3-sweeper");
        for (String namespace : List.of("../../etc/passwd", HUGE, NEGATIVE)) {
            rows.add(new Accepted("POWERTOOLS_METRICS_NAMESPACE", namespace, "a namespace CloudWatch accepts",
                    inLambda, true, outcome -> assertThat(outcome.run().log().metrics()).singleElement()
                    .satisfies(record -> assertThat(record.toString()).contains("Namespace=" + namespace))));
        }
        return rows.stream();
    }

    /** Not set or empty: the default attempt timeout. */
    private static void defaultsOf(String setting, List<Accepted> rows) {
        for (String value : java.util.Arrays.asList(null, EMPTY)) {
            rows.add(new Accepted(setting, value, "optional: the default", Map.of(), true,
                    outcome -> assertThat(outcome.settings().s3().attemptTimeout())
                            .isEqualTo(io.github.s3sweeper.config.S3Settings.DEFAULT_ATTEMPT_TIMEOUT)));
        }
    }

    /** The refusal of the valid environment with these changes, or null when it is accepted. */
    static InvalidSettingsException catchRefusal(Map<String, String> changes) {
        Map<String, String> env = validEnv();
        env.putAll(changes);
        return org.assertj.core.api.Assertions.catchThrowableOfType(InvalidSettingsException.class,
                () -> SettingsParser.parse(env));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void isAcceptedByDesign(Accepted row) {
        Map<String, String> env = env(row.setting(), row.value(), row.also());
        Settings settings = SettingsParser.parse(env);
        CountedRuns.Run run = null;
        if (row.runs()) {
            run = runs.run(env, Map.of());
            assertThat(run.connections()).as("the run reached the S3 endpoint").isPositive();
            assertThat(run.summary().complete()).isTrue();
        }
        row.check().accept(new Outcome(settings, run));
    }

    /**
     * Every refused value that a flag can carry: set (a flag cannot be "not set"), through its own flag. Not the
     * rows with both ages set: a flag for one age replaces both variables on the command line, so that is no error.
     */
    static Stream<Row> refusedFlags() {
        return refused().filter(row -> row.value() != null && Catalog.byVariable(row.setting())
                .filter(Setting::onCommandLine).flatMap(Setting::env).filter(row.setting()::equals).isPresent()
                && !row.expected().contains(": both are set;"));
    }

    /**
     * The same bad value given as the setting's flag: the command line refuses it too, naming the flag and the
     * variable on a line of its own, with exit status 2 and no connection to the S3 endpoint.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFlags")
    void isRefusedAsAFlagBeforeAnyRequest(Row row) {
        Setting<?> setting = Catalog.byVariable(row.setting()).orElseThrow();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        runs.connectionsSinceLastAsked();

        int status = io.github.s3sweeper.cli.Main.run(new String[]{setting.flag() + "=" + row.value()},
                env(row.setting(), null, row.also()), new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(io.github.s3sweeper.cli.Main.BAD_SETTINGS);
        assertThat(runs.connectionsSinceLastAsked()).as("connections that reached the S3 endpoint").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        // A line of its own names the flag and the variable, and what is allowed (other settings it mentions are
        // named by their flags too, so the text is not the environment's word for word).
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).anySatisfy(line -> assertThat(line)
                .startsWith("  --").contains(setting.flag() + "/" + row.setting()).contains("; allowed: "));
        err.toString(StandardCharsets.UTF_8).lines().forEach(CountedRuns::assertShownSafely);
    }

    /** Settings only the command line gives, with bad values: each refused as the others, before any request. */
    static Stream<Row> flagOnly() {
        String longKey = "logs/" + "k".repeat(1100);
        return Stream.of(
                row("--profile", CONTROL, "not a profile name"),
                row("--profile", "my profile", "not a profile name"),
                row("--profile", LONG_LETTERS, "not a profile name"),
                row("--profile", "../../etc/passwd", "not a profile name"),
                row("--max-duration", "0m", "shorter than 1 minute"),
                row("--max-duration", "30s", "shorter than 1 minute"),
                row("--max-duration", "forever", "not a duration"),
                row("--max-duration", HUGE + "d", "longer than 36500 days"),
                row("--start-after", longKey, "longer than 1024 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagOnly")
    void aFlagWithoutAVariableIsRefusedBeforeAnyRequest(Row row) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        runs.connectionsSinceLastAsked();

        int status = io.github.s3sweeper.cli.Main.run(new String[]{row.setting() + "=" + row.value()}, validEnv(),
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(io.github.s3sweeper.cli.Main.BAD_SETTINGS);
        assertThat(runs.connectionsSinceLastAsked()).as("connections that reached the S3 endpoint").isZero();
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).anySatisfy(line -> assertThat(line)
                .startsWith("  " + row.setting() + "=").contains(": " + row.expected() + "; allowed: "));
        err.toString(StandardCharsets.UTF_8).lines().forEach(CountedRuns::assertShownSafely);
    }

    @Test
    void theFlagOnlyRowsCoverEveryFlagWithoutAVariable() {
        assertThat(flagOnly().map(Row::setting).distinct()).containsExactlyInAnyOrderElementsOf(Catalog.commandLine().stream()
                .filter(setting -> setting.env().isEmpty()).map(Setting::flag).toList());
    }

    static Map<String, String> noRegion() {
        Map<String, String> also = new HashMap<>();
        also.put("AWS_REGION", null);
        return also;
    }

    @Test
    void theTableCoversEveryVariableTheCatalogDeclares() {
        assertThat(SETTINGS).containsExactlyInAnyOrderElementsOf(Catalog.variables());
        List<String> covered = Stream.concat(refused().map(Row::setting), accepted().map(Accepted::setting)).toList();
        assertThat(covered).containsAll(SETTINGS);
    }

    @Test
    void everyVariableMeetsEveryKindOfBadValue() {
        Map<String, List<String>> values = new HashMap<>();
        Stream.concat(refused().map(row -> Map.entry(row.setting(), String.valueOf(row.value()))),
                        accepted().map(row -> Map.entry(row.setting(), String.valueOf(row.value()))))
                .forEach(entry -> values.computeIfAbsent(entry.getKey(), name -> new ArrayList<>()).add(entry.getValue()));
        for (String setting : SETTINGS) {
            if (FALLBACKS.contains(setting)) {
                continue;
            }
            List<String> seen = values.get(setting);
            assertThat(seen).as(setting + ": missing, empty, blank").contains("null", EMPTY);
            assertThat(seen).as(setting + ": blank").anyMatch(value -> !value.isEmpty() && value.isBlank());
            assertThat(seen).as(setting + ": huge, negative").anyMatch(value -> value.contains(HUGE))
                    .anyMatch(value -> value.startsWith("-"));
            assertThat(seen).as(setting + ": unicode").anyMatch(value -> value.chars().anyMatch(c -> c > 0x7f));
            assertThat(seen).as(setting + ": control characters").anyMatch(value -> value.chars().anyMatch(c -> c < 0x20));
            assertThat(seen).as(setting + ": very long").anyMatch(value -> value.length() >= 10_000);
            assertThat(seen).as(setting + ": injection-looking strings").containsAll(INJECTIONS);
        }
    }
}
