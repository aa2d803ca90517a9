package io.github.s3sweeper.testing;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Collects the lines a handler writes, and reads each back as the JSON object CloudWatch Logs would see. */
public final class LogLines implements Consumer<String> {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void accept(String line) {
        lines.add(line);
    }

    public List<String> raw() {
        return List.copyOf(lines);
    }

    /** Every line parsed; a line that is not one JSON object fails the test. */
    public List<Map<String, Object>> records() {
        return lines.stream().map(LogLines::parse).toList();
    }

    /** The structured log lines whose {@code event} is {@code event}. */
    public List<Map<String, Object>> events(String event) {
        return records().stream().filter(r -> event.equals(r.get("event"))).toList();
    }

    /** The Embedded Metric Format records: the lines with an {@code _aws} member. */
    public List<Map<String, Object>> metrics() {
        return records().stream().filter(r -> r.containsKey("_aws")).toList();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String json) {
        Object value = JacksonFactory.getInstance().getSerializer(Object.class).fromJson(json);
        if (!(value instanceof Map)) {
            throw new AssertionError("not a JSON object: " + json);
        }
        return (Map<String, Object>) value;
    }
}
