package io.github.s3sweeper.lambda;

import io.github.s3sweeper.config.Catalog;
import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.Json;
import io.github.s3sweeper.rules.StoredObject;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch as a Distributed Map's ItemBatcher hands it to a child execution: {@code {"BatchInput": {...}, "Items":
 * [...]}}. The items come from either reader the state machine may use:
 * <ul>
 *   <li>ListObjectsV2 ({@code arn:aws:states:::s3:listObjectsV2}): {@code Key}, {@code Size} and {@code LastModified}
 *       as numbers, the last in epoch seconds;</li>
 *   <li>an S3 Inventory manifest ({@code ReaderConfig.InputType: MANIFEST}): the CSV's columns as strings,
 *       {@code Bucket}, a URL-encoded {@code Key}, {@code Size}, {@code LastModifiedDate} in ISO-8601.</li>
 * </ul>
 * Everything is checked before anything is sent: an item of another bucket or outside PREFIX, a version that is not
 * the current one, or a field missing or malformed refuses the whole batch, naming the items (never delete what does
 * not match). {@code BatchInput.runStartedAt} (the execution's start, the same for every batch) is what the cutoff
 * is counted from.
 */
record DistributedBatch(Instant runStartedAt, List<StoredObject> objects) {

    static final String RUN_STARTED_AT = "runStartedAt";
    private static final Set<String> FIELDS = Set.of("BatchInput", "Items");
    /** Bad items named in one message; the rest are counted. */
    private static final int NAMED = 10;

    /** The same drift a chain's start is allowed. */
    static final long FUTURE_TOLERANCE_SECONDS = io.github.s3sweeper.config.ChainState.FUTURE_TOLERANCE_SECONDS;

    static DistributedBatch parse(Map<String, Object> event, SweepSettings settings) {
        return parse(event, settings, Instant.now());
    }

    /**
     * @param now a start after it (beyond a clock's drift) is refused: it would move the cutoff forward and make
     *            younger objects expired; one a little after counts as now
     */
    static DistributedBatch parse(Map<String, Object> event, SweepSettings settings, Instant now) {
        List<String> problems = new ArrayList<>();
        if (event == null) {
            throw new InvalidSettingsException(List.of("the input is null; expected the batch a Distributed Map's"
                    + " ItemBatcher delivers: {\"BatchInput\": {\"runStartedAt\": ...}, \"Items\": [...]}"));
        }
        for (String field : event.keySet()) {
            if (!FIELDS.contains(field)) {
                problems.add("the input's field " + Json.write(field) + " is not one of a Distributed Map batch"
                        + " (BatchInput, Items)");
            }
        }
        Instant started = runStartedAt(event.get("BatchInput"), problems);
        if (started != null && started.isAfter(now.plusSeconds(FUTURE_TOLERANCE_SECONDS))) {
            problems.add("BatchInput." + RUN_STARTED_AT + "=" + Json.write(started.toString()) + " is in the future:"
                    + " it would move the cutoff forward; the ItemBatcher must pass the execution's start");
            started = null;
        } else if (started != null && started.isAfter(now)) {
            started = now;
        }
        List<StoredObject> objects = new ArrayList<>();
        Object items = event.get("Items");
        if (!(items instanceof List<?> list)) {
            problems.add("Items is " + (items == null ? "missing" : "not an array") + "; the state machine's"
                    + " ItemBatcher delivers the batch's objects there");
        } else {
            List<String> bad = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                StoredObject object = item(i, list.get(i), settings, bad);
                if (object != null) {
                    objects.add(object);
                }
            }
            bad.stream().limit(NAMED).forEach(problems::add);
            if (bad.size() > NAMED) {
                problems.add("and " + (bad.size() - NAMED) + " more items refused");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new DistributedBatch(started, List.copyOf(objects));
    }

    private static Instant runStartedAt(Object batchInput, List<String> problems) {
        String remedy = "; the ItemBatcher must pass \"BatchInput\": {\"runStartedAt.$\": \"$$.Execution.StartTime\"},"
                + " so that every batch of one run counts ages from the same instant";
        if (!(batchInput instanceof Map<?, ?> input)) {
            problems.add("BatchInput is " + (batchInput == null ? "missing" : "not an object") + remedy);
            return null;
        }
        Object value = input.get(RUN_STARTED_AT);
        if (!(value instanceof String text)) {
            problems.add("BatchInput." + RUN_STARTED_AT + (value == null ? " is missing" : "=" + Json.write(value)
                    + " is not a string") + remedy);
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            problems.add("BatchInput." + RUN_STARTED_AT + "=" + Json.write(text) + " is not an ISO-8601 instant such"
                    + " as 2026-11-26T03:00:00.123Z" + remedy);
            return null;
        }
    }

    private static StoredObject item(int index, Object value, SweepSettings settings, List<String> bad) {
        String where = "Items[" + index + "]";
        if (!(value instanceof Map<?, ?> item)) {
            bad.add(where + " is not an object");
            return null;
        }
        boolean inventory = item.containsKey("LastModifiedDate");
        String key;
        Long size;
        Instant lastModified;
        if (inventory) {
            Object bucket = item.get("Bucket");
            if (!settings.bucket().equals(bucket)) {
                bad.add(where + ".Bucket=" + Json.write(String.valueOf(bucket)) + " is not "
                        + Catalog.BUCKET.env().orElseThrow() + "=" + Json.write(settings.bucket())
                        + ": an inventory of another bucket");
                return null;
            }
            if ("false".equals(item.get("IsLatest")) || "true".equals(item.get("IsDeleteMarker"))) {
                bad.add(where + " (" + Json.write(String.valueOf(item.get("Key"))) + ") is a noncurrent version or a"
                        + " delete marker: deleting it by key would delete the current object; configure the"
                        + " inventory with current versions only");
                return null;
            }
            key = inventoryKey(item.get("Key"));
            size = wholeNumber(item.get("Size"));
            lastModified = instant(item.get("LastModifiedDate"));
        } else {
            key = item.get("Key") instanceof String s ? s : null;
            size = item.get("Size") instanceof Number n ? Long.valueOf(n.longValue()) : null;
            lastModified = item.get("LastModified") instanceof Number n && n.doubleValue() == n.longValue()
                    ? Instant.ofEpochSecond(n.longValue()) : null;
        }
        if (key == null) {
            bad.add(where + ".Key is missing or not " + (inventory ? "URL-encoded text" : "a string"));
            return null;
        }
        if (!key.startsWith(settings.prefix())) {
            bad.add(where + ".Key=" + Json.write(key) + " is outside " + Catalog.PREFIX.env().orElseThrow() + "="
                    + Json.write(settings.prefix()));
            return null;
        }
        if (size == null || size < 0) {
            bad.add(where + ".Size of " + Json.write(key) + " is missing or not a whole number of bytes");
            return null;
        }
        if (lastModified == null) {
            bad.add(where + (inventory ? ".LastModifiedDate of " + Json.write(key) + " is missing or not ISO-8601"
                    : ".LastModified of " + Json.write(key) + " is missing or not whole epoch seconds"));
            return null;
        }
        return new StoredObject(key, lastModified, size);
    }

    /** Inventory CSV keys are URL-encoded (a space as %20 or +, a literal + as %2B). */
    private static String inventoryKey(Object value) {
        if (!(value instanceof String text)) {
            return null;
        }
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Long wholeNumber(Object value) {
        if (value instanceof String text && !text.isEmpty() && text.length() <= 19 && text.chars().allMatch(
                c -> c >= '0' && c <= '9')) {
            return Long.parseLong(text);
        }
        return null;
    }

    private static Instant instant(Object value) {
        if (!(value instanceof String text)) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
