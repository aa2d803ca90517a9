package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Glob;

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
        for (String field : new TreeSet<>(event.keySet())) {
            if (!FIELDS.contains(field)) {
                problems.add(label(field) + ": unknown; allowed fields: " + String.join(", ", new TreeSet<>(FIELDS)));
            }
        }
        ValueReader read = new ValueReader(problems);
        FieldReader fields = new FieldReader(event, read, problems);
        String trigger = fields.string(TRIGGER, "a short label");
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
                fields.string("startAfter", "a key to resume after, as a previous run's resumeAfter gives"));
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

        private void wrongType(String field, Object value, String expected) {
            problems.add(label(field) + "=" + render(value) + ": not " + expected + "; allowed: " + expected);
        }

        private static String render(Object value) {
            return value instanceof String s ? ValueReader.quoted(s) : String.valueOf(value);
        }

        String string(String field, String allowed) {
            Object value = event.get(field);
            if (value == null || value instanceof String) {
                return (String) value;
            }
            wrongType(field, value, "a string (" + allowed + ")");
            return null;
        }

        Integer wholeNumber(String field, int min, int max, String allowed) {
            Object value = event.get(field);
            if (value == null) {
                return null;
            }
            if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
                return read.wholeNumber(label(field), String.valueOf(value), min, max, allowed);
            }
            wrongType(field, value, "a whole number (" + allowed + ")");
            return null;
        }

        Boolean bool(String field) {
            Object value = event.get(field);
            if (value == null || value instanceof Boolean) {
                return (Boolean) value;
            }
            wrongType(field, value, "a JSON boolean, true or false");
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
            wrongType(field, value, "a string (" + ValueReader.DURATION_ALLOWED + ")");
            return null;
        }

        Long size(String field) {
            Object value = event.get(field);
            if (value == null) {
                return null;
            }
            if (value instanceof String || value instanceof Integer || value instanceof Long) {
                return read.size(label(field), String.valueOf(value));
            }
            wrongType(field, value, "a number of bytes or a string (" + ValueReader.SIZE_ALLOWED + ")");
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
            if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance) && !list.isEmpty()) {
                List<Glob> globs = new ArrayList<>();
                for (Object pattern : list) {
                    try {
                        globs.add(Glob.compile((String) pattern));
                    } catch (IllegalArgumentException e) {
                        read.problem(label(field), "=" + render(pattern), "pattern has " + e.getMessage(),
                                ValueReader.GLOBS_ALLOWED);
                        return null;
                    }
                }
                return List.copyOf(globs);
            }
            wrongType(field, value, "a string or a non-empty array of strings (" + ValueReader.GLOBS_ALLOWED + ")");
            return null;
        }
    }
}
