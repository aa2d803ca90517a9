package io.github.s3sweeper.bench;

import io.github.s3sweeper.engine.Keys;
import io.github.s3sweeper.report.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The batches a Distributed Map would hand its children for one prefix's listing, as template-distributed.yaml
 * configures it: ItemReader ListObjectsV2 (the keys under the prefix, in S3's order: UTF-8 byte order; each item
 * {@code {"Etag","Key","LastModified" (epoch seconds),"Size","StorageClass"}}), then ItemBatcher (at most
 * {@code maxItemsPerBatch} items per batch, and a batch's JSON at most {@code maxInputBytes}; the BatchInput with
 * the run's start). Each batch is the {@code Map} {@code BatchHandler.handleRequest} takes, for a benchmark or a test
 * that plays the Map without Step Functions.
 *
 * <p>How the ItemBatcher counts a batch's bytes is not documented to the byte: this counts the UTF-8 JSON of the
 * whole batch object as written here, which is the natural reading of MaxInputBytesPerBatch (an estimate, not a
 * measurement).
 */
public final class DistributedMapBatches {

    /** One listed object. */
    public record Listed(String key, long size, Instant lastModified) {
        public Listed {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(lastModified, "lastModified");
        }
    }

    /** Step Functions' limit on one batch's input, as the template sets MaxInputBytesPerBatch. */
    public static final int MAX_INPUT_BYTES = 262_144;

    private DistributedMapBatches() {
    }

    /**
     * @param listing          the objects of the bucket (any order; keys outside {@code prefix} are not listed)
     * @param maxItemsPerBatch the template's MaxItemsPerBatch, 1 to 1000
     * @param maxInputBytes    the template's MaxInputBytesPerBatch
     */
    public static List<Map<String, Object>> of(List<Listed> listing, String prefix, Instant runStartedAt,
                                               int maxItemsPerBatch, int maxInputBytes) {
        List<Listed> listed = new ArrayList<>(listing.stream().filter(o -> o.key().startsWith(prefix)).toList());
        listed.sort((a, b) -> Keys.compare(a.key(), b.key()));
        Batcher batcher = new Batcher(runStartedAt, maxItemsPerBatch, maxInputBytes);
        List<Map<String, Object>> batches = new ArrayList<>();
        for (Listed object : listed) {
            Map<String, Object> batch = batcher.add(object);
            if (batch != null) {
                batches.add(batch);
            }
        }
        Map<String, Object> last = batcher.finish();
        if (last != null) {
            batches.add(last);
        }
        return batches;
    }

    /**
     * The ItemBatcher as a stream: objects in, in the listing's order, and a batch out whenever one is full (for a
     * benchmark that batches a listing as it arrives, as the Map does, without holding the whole listing).
     */
    public static final class Batcher {
        private final Map<String, Object> batchInput;
        private final int maxItemsPerBatch;
        private final int maxInputBytes;
        /** {"BatchInput":{...},"Items":[]}; a comma per item after the first. */
        private final int emptyBytes;
        private List<Object> items = new ArrayList<>();
        private int size;

        public Batcher(Instant runStartedAt, int maxItemsPerBatch, int maxInputBytes) {
            if (maxItemsPerBatch < 1 || maxItemsPerBatch > 1000) {
                throw new IllegalArgumentException("maxItemsPerBatch must be 1 to 1000: " + maxItemsPerBatch);
            }
            this.batchInput = Map.of("runStartedAt", runStartedAt.toString());
            this.maxItemsPerBatch = maxItemsPerBatch;
            this.maxInputBytes = maxInputBytes;
            this.emptyBytes = bytes(batch(batchInput, List.of()));
            this.size = emptyBytes;
        }

        /** Adds one object; returns the batch it closed (the one before it, now full), or null. */
        public Map<String, Object> add(Listed object) {
            Map<String, Object> item = item(object);
            int alone = bytes(item);
            if (emptyBytes + alone > maxInputBytes) {
                throw new IllegalArgumentException("one item alone is larger than " + maxInputBytes + " bytes: "
                        + object.key());
            }
            Map<String, Object> closed = null;
            int itemBytes = alone + (items.isEmpty() ? 0 : 1);
            if (items.size() == maxItemsPerBatch || size + itemBytes > maxInputBytes) {
                closed = batch(batchInput, items);
                items = new ArrayList<>();
                size = emptyBytes;
                itemBytes = alone;
            }
            items.add(item);
            size += itemBytes;
            return closed;
        }

        /** The last batch, or null when there is none left. */
        public Map<String, Object> finish() {
            if (items.isEmpty()) {
                return null;
            }
            Map<String, Object> last = batch(batchInput, items);
            items = new ArrayList<>();
            size = emptyBytes;
            return last;
        }
    }

    /** As the template configures the Map: 1,000 items, 256 KiB. */
    public static List<Map<String, Object>> of(List<Listed> listing, String prefix, Instant runStartedAt) {
        return of(listing, prefix, runStartedAt, 1000, MAX_INPUT_BYTES);
    }

    /** A batch's size as this class counts it: its UTF-8 JSON. */
    public static int bytes(Object json) {
        return Json.write(json).getBytes(StandardCharsets.UTF_8).length;
    }

    private static Map<String, Object> item(Listed object) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("Etag", "\"" + Integer.toHexString(object.key().hashCode()) + "\"");
        item.put("Key", object.key());
        item.put("LastModified", object.lastModified().getEpochSecond());
        item.put("Size", object.size());
        item.put("StorageClass", "STANDARD");
        return item;
    }

    private static Map<String, Object> batch(Map<String, Object> batchInput, List<Object> items) {
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("BatchInput", batchInput);
        batch.put("Items", List.copyOf(items));
        return batch;
    }
}
