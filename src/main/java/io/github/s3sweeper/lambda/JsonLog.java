package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.github.s3sweeper.report.Json;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Structured log lines as Powertools writes them: one JSON object per line on standard output, every field at the
 * top level (so CloudWatch Logs Insights can filter on {@code event}, {@code key} or {@code deleted}), with
 * {@code timestamp}, {@code level} and {@code message} first and the invocation's context on every line. The
 * runtime's own logger would wrap each line as an escaped string inside its {@code message}.
 *
 * <p>Lambda reads {@code level} from such lines and filters them by {@code ApplicationLogLevel}; lines are filtered
 * here too, against {@code AWS_LAMBDA_LOG_LEVEL}, since nothing filters them outside Lambda.
 */
final class JsonLog {

    static final String LOG_LEVEL = "AWS_LAMBDA_LOG_LEVEL";

    private final Consumer<String> out;
    private final LogLevel threshold;
    private final Map<String, Object> context;
    private final String contextJson;

    JsonLog(Consumer<String> out, LogLevel threshold, Map<String, Object> context) {
        this.out = out;
        this.threshold = threshold;
        this.context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
        this.contextJson = contextJson(this.context);
    }

    /** The level Lambda sets from ApplicationLogLevel; INFO when unset or unknown, as Lambda's default. */
    static LogLevel threshold(Map<String, String> env) {
        String value = env.get(LOG_LEVEL);
        if (value != null) {
            try {
                LogLevel level = LogLevel.valueOf(value.trim().toUpperCase(Locale.ROOT));
                if (level != LogLevel.UNDEFINED) {
                    return level;
                }
            } catch (IllegalArgumentException e) {
                // an unknown level: the default below
            }
        }
        return LogLevel.INFO;
    }

    /** This log with one more context field on every line. */
    JsonLog with(String field, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(context);
        more.put(field, value);
        return new JsonLog(out, threshold, more);
    }

    boolean enabled(LogLevel level) {
        return level.ordinal() >= threshold.ordinal();
    }

    void log(LogLevel level, String event, String message, Map<String, Object> fields) {
        if (!enabled(level)) {
            return;
        }
        String timestamp = Timestamps.lineTime(Instant.now());
        if (!overlaps(fields)) {
            // The usual line: its own fields, then the context, written once when this log was made.
            StringBuilder line = new StringBuilder(192 + contextJson.length());
            line.append('{');
            member(line, "timestamp", timestamp);
            member(line, "level", level.name());
            member(line, "message", message);
            member(line, "event", event);
            fields.forEach((name, value) -> member(line, name, value));
            line.append(contextJson).append('}');
            out.accept(line.toString());
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", timestamp);
        line.put("level", level.name());
        line.put("message", message);
        line.put("event", event);
        line.putAll(fields);
        context.forEach(line::putIfAbsent);
        out.accept(Json.write(line));
    }

    /** Whether a field takes the place of a line's first four or of a context field: then a map sorts it out. */
    private boolean overlaps(Map<String, Object> fields) {
        for (String name : fields.keySet()) {
            if (context.containsKey(name) || name.equals("timestamp") || name.equals("level")
                    || name.equals("message") || name.equals("event")) {
                return true;
            }
        }
        return false;
    }

    /** A member after the opening brace or another member, left out when null as Json.write leaves it out. */
    private static void member(StringBuilder line, String name, Object value) {
        if (value == null) {
            return;
        }
        if (line.length() > 1) {
            line.append(',');
        }
        Json.append(line, name);
        line.append(':');
        Json.append(line, value);
    }

    /** The context's members, each after a comma, as they end every line. */
    private static String contextJson(Map<String, Object> context) {
        StringBuilder members = new StringBuilder("{");
        context.forEach((name, value) -> member(members, name, value));
        return members.length() == 1 ? "" : "," + members.substring(1);
    }

    /**
     * A line that no level may filter out: the metrics record. Lambda gives a line without a {@code level} the level
     * INFO and would drop it under ApplicationLogLevel WARN, so it says the level of this log, never below INFO.
     */
    String alwaysLevel() {
        return (threshold.ordinal() > LogLevel.INFO.ordinal() ? threshold : LogLevel.INFO).name();
    }

    void always(String json) {
        out.accept(json);
    }
}
