package io.github.s3sweeper.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
public record RunRequest(String trigger, Overrides overrides, ChainState chain, Map<String, Object> given) {

    public static final String TRIGGER = "trigger";
    private static final String MANUAL = "manual";
    /** A label, repeated on the start line: a schedule's name is at most 64 characters. */
    static final int MAX_TRIGGER_CHARACTERS = 256;
    private static final int MAX_UNKNOWN_NAMED = 10;
    static final String TRIGGER_ALLOWED = "a short label of at most 256 characters, such as the schedule's name";

    /**
     * @param chain where this run stands in a chain of runs (see {@link ChainState}), null for a tick's first run
     * @param given the input's fields as given, which the chain's next run is given again
     */
    public RunRequest {
        given = given == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(given));
    }

    public RunRequest(String trigger, Overrides overrides) {
        this(trigger, overrides, null, Map.of());
    }

    /**
     * The fields a person may give: the trigger and each setting declared as an input field. The chain's state is
     * accepted too, but not offered: only a run writes it.
     */
    static Set<String> fields() {
        Set<String> fields = new TreeSet<>();
        fields.add(TRIGGER);
        Catalog.inputFields().forEach(setting -> fields.add(setting.name()));
        return fields;
    }

    public static RunRequest parse(Map<String, Object> event) {
        return parse(event, java.time.Instant.now());
    }

    /** @param now when the run starts: a chain's start may not be after it */
    public static RunRequest parse(Map<String, Object> event, java.time.Instant now) {
        if (event == null || event.isEmpty()) {
            return new RunRequest(MANUAL, Overrides.NONE);
        }
        if (isClassicScheduledEvent(event)) {
            Object resources = event.get("resources");
            String rule = resources instanceof List<?> list && !list.isEmpty() ? String.valueOf(list.get(0)) : "";
            String trigger = rule.isEmpty() ? "eventbridge-rule" : rule;
            // Its next run, if any, is given the trigger alone: the event's other fields are not settings.
            return new RunRequest(trigger, Overrides.NONE, null, Map.of(TRIGGER, trigger));
        }
        List<String> problems = new ArrayList<>();
        Set<String> allowed = fields();
        List<String> unknown = new TreeSet<>(event.keySet()).stream()
                .filter(field -> !allowed.contains(field) && !ChainState.FIELD.equals(field)).toList();
        // Each unknown field is named, up to a few: an input of a million stray fields must not make a message as long.
        for (String field : unknown.subList(0, Math.min(unknown.size(), MAX_UNKNOWN_NAMED))) {
            problems.add(label(field) + ": unknown; allowed fields: " + String.join(", ", allowed));
        }
        if (unknown.size() > MAX_UNKNOWN_NAMED) {
            problems.add((unknown.size() - MAX_UNKNOWN_NAMED) + " more unknown input fields; allowed fields: "
                    + String.join(", ", allowed));
        }
        ValueReader read = new ValueReader(problems);
        String trigger = trigger(event.get(TRIGGER), read);
        Map<Setting<?>, Object> overrides = new LinkedHashMap<>();
        for (Setting<?> setting : Catalog.inputFields()) {
            // A field set to null counts as not set, like an empty environment variable.
            Object value = event.get(setting.name());
            if (value != null) {
                Object typed = setting.type().fromJson(read, setting.name(), value);
                if (typed != null) {
                    overrides.put(setting, typed);
                }
            }
        }
        if (event.get(Catalog.RETENTION_DAYS.name()) != null && event.get(Catalog.OLDER_THAN.name()) != null) {
            problems.add("input fields \"retentionDays\" and \"olderThan\": both are set; allowed: at most one");
        }
        ChainState chain = event.get(ChainState.FIELD) == null ? null
                : ChainState.parse(event.get(ChainState.FIELD), now, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new RunRequest(trigger == null ? MANUAL : trigger, new Overrides(overrides), chain, event);
    }

    private static String trigger(Object value, ValueReader read) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            read.problem(label(TRIGGER), "=" + ValueReader.json(value), ValueReader.jsonType(value) + ", not a string",
                    TRIGGER_ALLOWED);
            return null;
        }
        if (s.codePointCount(0, s.length()) > MAX_TRIGGER_CHARACTERS) {
            read.problem(label(TRIGGER), "=" + ValueReader.json(s), "longer than " + MAX_TRIGGER_CHARACTERS
                    + " characters", TRIGGER_ALLOWED);
            return null;
        }
        return s;
    }

    /** How a message names an input field: its name shown as values are, since an unknown one is the input's text. */
    static String label(String field) {
        return "input field " + ValueReader.quoted(field);
    }

    private static boolean isClassicScheduledEvent(Map<String, Object> event) {
        return "aws.events".equals(event.get("source")) && "Scheduled Event".equals(event.get("detail-type"));
    }
}
