package io.github.s3sweeper.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the invocation's input asks for. Three inputs reach the function: the classic EventBridge "Scheduled
 * Event" of a {@code Schedule} rule, the {@code Input} JSON of an EventBridge Scheduler schedule, and the
 * empty object of a manual invoke. Only the latter two are ours to shape; v1 knows one field, {@code trigger},
 * a free label that says in the log which schedule fired. Unknown fields are refused rather than ignored, so
 * a typo in a schedule's input never goes unnoticed.
 */
public record RunRequest(String trigger) {

    public static final String TRIGGER = "trigger";
    private static final Set<String> FIELDS = Set.of(TRIGGER);
    private static final String MANUAL = "manual";

    public static RunRequest parse(Map<String, Object> event) {
        if (event == null || event.isEmpty()) {
            return new RunRequest(MANUAL);
        }
        if (isClassicScheduledEvent(event)) {
            Object resources = event.get("resources");
            String rule = resources instanceof List<?> list && !list.isEmpty() ? String.valueOf(list.get(0)) : "";
            return new RunRequest(rule.isEmpty() ? "eventbridge-rule" : rule);
        }
        List<String> problems = new ArrayList<>();
        for (String field : new TreeSet<>(event.keySet())) {
            if (!FIELDS.contains(field)) {
                problems.add("input field \"" + field + "\": unknown; allowed fields: " + String.join(", ", FIELDS));
            }
        }
        Object trigger = event.get(TRIGGER);
        if (trigger != null && !(trigger instanceof String)) {
            problems.add("input field \"trigger\"=" + trigger + ": not a string; allowed: a short label");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new RunRequest(trigger == null ? MANUAL : (String) trigger);
    }

    private static boolean isClassicScheduledEvent(Map<String, Object> event) {
        return "aws.events".equals(event.get("source")) && "Scheduled Event".equals(event.get("detail-type"));
    }
}
