package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Glob;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the invocation's input asks for. Three inputs reach the function: the classic EventBridge "Scheduled
 * Event" of a {@code Schedule} rule (it carries no overrides), the {@code Input} JSON of an EventBridge Scheduler
 * schedule, and the JSON of a manual invoke. The last two may carry {@code trigger}, a free label that says in the
 * log which schedule fired, and overrides of the environment's settings for this run. Unknown fields and bad values
 * are refused, naming the field, so a typo in a schedule's input never goes unnoticed.
 */
public record RunRequest(String trigger, Overrides overrides) {

    public static final String TRIGGER = "trigger";
    private static final Set<String> FIELDS = Set.of(TRIGGER, "prefix", "retentionDays", "olderThan", "dryRun",
            "keepLatest", "maxDeletes", "include", "exclude", "minSize", "maxSize", "startAfter");
    private static final String MANUAL = "manual";
    /** A label, repeated on the start line: a schedule's name is at most 64 characters. */
    static final int MAX_TRIGGER_CHARACTERS = 256;
    private static final int MAX_UNKNOWN_NAMED = 10;
    static final String TRIGGER_ALLOWED = "a short label of at most 256 characters, such as the schedule's name";
    static final String START_AFTER_ALLOWED = "a key of at most 1024 bytes to resume after, as a previous run's"
            + " resumeAfter gives";
    static final String INPUT_BOOLEAN_ALLOWED = "true or false, as JSON booleans (without quotes)";
    static final String INPUT_GLOBS_ALLOWED = ValueReader.GLOBS_ALLOWED + "; one string, or a non-empty array of"
            + " patterns";

    public static RunRequest parse(Map<String, Object> event) {
        if (event == null || event.isEmpty()) {
            return new RunRequest(MANUAL, Overrides.NONE);
        }
        if (isClassicScheduledEvent(event)) {
            Object resources = event.get("resources");
            String rule = resources instanceof List<?> list && !list.isEmpty() ? String.valueOf(list.get(0)) : "";
            return new RunRequest(rule.isEmpty() ? "eventbridge-rule" : rule, Overrides.NONE);
        }
        List<String> problems = new ArrayList<>();
        List<String> unknown = new TreeSet<>(event.keySet()).stream().filter(field -> !FIELDS.contains(field)).toList();
        // Each unknown field is named, up to a few: an input of a million stray fields must not make a message as long.
        for (String field : unknown.subList(0, Math.min(unknown.size(), MAX_UNKNOWN_NAMED))) {
            problems.add(label(field) + ": unknown; allowed fields: " + String.join(", ", new TreeSet<>(FIELDS)));
        }
        if (unknown.size() > MAX_UNKNOWN_NAMED) {
            problems.add((unknown.size() - MAX_UNKNOWN_NAMED) + " more unknown input fields; allowed fields: "
                    + String.join(", ", new TreeSet<>(FIELDS)));
        }
        ValueReader read = new ValueReader(problems);
        FieldReader fields = new FieldReader(event, read, problems);
        String trigger = fields.shortString(TRIGGER, MAX_TRIGGER_CHARACTERS, TRIGGER_ALLOWED);
        Overrides overrides = new Overrides(
                fields.string("prefix", "a key prefix inside the configured PREFIX"),
                fields.wholeNumber("retentionDays", SettingsParser.MIN_RETENTION_DAYS,
                        SettingsParser.MAX_RETENTION_DAYS, SettingsParser.DAYS_ALLOWED),
                fields.duration("olderThan"),
                fields.bool("dryRun"),
                fields.wholeNumber("keepLatest", 0, SettingsParser.MAX_KEEP_LATEST,
                        SettingsParser.KEEP_LATEST_ALLOWED),
                fields.wholeNumber("maxDeletes", 1, SettingsParser.MAX_MAX_DELETES, "a whole number from 1 to"
                        + " 1000000000"),
                fields.globs("include"),
                fields.globs("exclude"),
                fields.size("minSize"),
                fields.size("maxSize"),
                fields.key("startAfter", SettingsParser.MAX_KEY_BYTES, START_AFTER_ALLOWED));
        if (overrides.retentionDays() != null && overrides.olderThan() != null) {
            problems.add("input fields \"retentionDays\" and \"olderThan\": both are set; allowed: at most one");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new RunRequest(trigger == null ? MANUAL : trigger, overrides);
    }

    /** How a message names an input field: its name shown as values are, since an unknown one is the input's text. */
    static String label(String field) {
        return "input field " + ValueReader.quoted(field);
    }

    private static boolean isClassicScheduledEvent(Map<String, Object> event) {
        return "aws.events".equals(event.get("source")) && "Scheduled Event".equals(event.get("detail-type"));
    }

    /** Reads typed input fields: JSON strings, numbers, booleans and arrays as the runtime deserialized them. */
    private record FieldReader(Map<String, Object> event, ValueReader read, List<String> problems) {

        /** "input field "dryRun"="true": a JSON string, not a boolean; allowed: ..." */
        private void wrongType(String field, Object value, String expected, String allowed) {
            problem(field, value, ValueReader.jsonType(value) + ", not " + expected, allowed);
        }

        private void problem(String field, Object value, String problem, String allowed) {
            read.problem(label(field), "=" + ValueReader.json(value), problem, allowed);
        }

        private static boolean isWholeNumber(Object value) {
            return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
        }

        String string(String field, String allowed) {
            Object value = event.get(field);
            if (value == null || value instanceof String) {
                return (String) value;
            }
            wrongType(field, value, "a string", allowed);
            return null;
        }

        /** A string of at most {@code max} characters. */
        String shortString(String field, int max, String allowed) {
            String value = string(field, allowed);
            if (value != null && value.codePointCount(0, value.length()) > max) {
                problem(field, value, "longer than " + max + " characters", allowed);
                return null;
            }
            return value;
        }

        /** A string of at most {@code max} bytes in UTF-8, as S3 counts a key's length. */
        String key(String field, int max, String allowed) {
            String value = string(field, allowed);
            if (value != null && value.getBytes(StandardCharsets.UTF_8).length > max) {
                problem(field, value, "longer than " + max + " bytes", allowed);
                return null;
            }
            return value;
        }

        Integer wholeNumber(String field, int min, int max, String allowed) {
            Object value = event.get(field);
            if (value == null) {
                return null;
            }
            if (isWholeNumber(value)) {
                return read.wholeNumber(label(field), "=" + ValueReader.json(value), String.valueOf(value), min, max,
                        allowed);
            }
            if (value instanceof Number) {
                problem(field, value, "not a whole number", allowed);
            } else {
                wrongType(field, value, "a number", allowed);
            }
            return null;
        }

        Boolean bool(String field) {
            Object value = event.get(field);
            if (value == null || value instanceof Boolean) {
                return (Boolean) value;
            }
            wrongType(field, value, "a boolean", INPUT_BOOLEAN_ALLOWED);
            return null;
        }

        Duration duration(String field) {
            Object value = event.get(field);
            if (value == null) {
                return null;
            }
            if (value instanceof String s) {
                return read.duration(label(field), s);
            }
            wrongType(field, value, "a string", ValueReader.DURATION_ALLOWED);
            return null;
        }

        Long size(String field) {
            Object value = event.get(field);
            if (value == null) {
                return null;
            }
            if (value instanceof String || isWholeNumber(value)) {
                return read.size(label(field), "=" + ValueReader.json(value), String.valueOf(value));
            }
            if (value instanceof Number) {
                problem(field, value, "not a whole number", ValueReader.SIZE_ALLOWED);
            } else {
                wrongType(field, value, "a number or a string", ValueReader.SIZE_ALLOWED);
            }
            return null;
        }

        List<Glob> globs(String field) {
            Object value = event.get(field);
            if (value == null) {
                return null;
            }
            if (value instanceof String s) {
                return read.globs(label(field), s);
            }
            if (!(value instanceof List<?> list)) {
                wrongType(field, value, "a string or an array of strings", INPUT_GLOBS_ALLOWED);
                return null;
            }
            if (list.isEmpty()) {
                problem(field, value, "an empty array", INPUT_GLOBS_ALLOWED);
                return null;
            }
            List<Glob> globs = new ArrayList<>();
            for (Object pattern : list) {
                if (!(pattern instanceof String text)) {
                    problem(field, value, "an array holding " + (pattern == null ? "null"
                            : ValueReader.jsonType(pattern)) + ", not only strings", INPUT_GLOBS_ALLOWED);
                    return null;
                }
                if (text.isEmpty()) {
                    problem(field, value, "an empty pattern in the array", ValueReader.GLOBS_ALLOWED);
                    return null;
                }
                try {
                    globs.add(Glob.compile(text));
                } catch (IllegalArgumentException e) {
                    problem(field, value, "pattern " + ValueReader.quoted(text) + " has " + e.getMessage(),
                            ValueReader.GLOBS_ALLOWED);
                    return null;
                }
            }
            return List.copyOf(globs);
        }
    }
}
