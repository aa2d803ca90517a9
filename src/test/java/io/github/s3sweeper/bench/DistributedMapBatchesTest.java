package io.github.s3sweeper.bench;

import io.github.s3sweeper.bench.DistributedMapBatches.Listed;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DistributedMapBatchesTest {

    private static final Instant START = Instant.parse("2026-11-26T03:00:00.123Z");
    private static final Instant OLD = Instant.parse("2026-09-01T00:00:00Z");

    @SuppressWarnings("unchecked")
    private static List<String> keys(Map<String, Object> batch) {
        return ((List<Map<String, Object>>) batch.get("Items")).stream().map(i -> (String) i.get("Key")).toList();
    }

    @Test
    void itemsComeInS3sKeyOrderUnderThePrefixOnlyInBatchesOfMaxItems() {
        List<Listed> listing = new ArrayList<>();
        // UTF-8 byte order: "\uFF5E" (3 bytes) sorts before the astral "\uD83D\uDE00" (4 bytes), unlike UTF-16 order.
        for (String key : List.of("p/\uD83D\uDE00", "p/b", "p/a", "q/x", "p/\uFF5E", "p/c", "p-other")) {
            listing.add(new Listed(key, 7, OLD));
        }

        List<Map<String, Object>> batches = DistributedMapBatches.of(listing, "p/", START, 2,
                DistributedMapBatches.MAX_INPUT_BYTES);

        assertThat(batches).extracting(DistributedMapBatchesTest::keys).containsExactly(List.of("p/a", "p/b"),
                List.of("p/c", "p/\uFF5E"), List.of("p/\uD83D\uDE00"));
        assertThat(batches).allSatisfy(batch -> assertThat(batch.get("BatchInput"))
                .isEqualTo(Map.of("runStartedAt", "2026-11-26T03:00:00.123Z")));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = ((List<Map<String, Object>>) batches.get(0).get("Items")).get(0);
        assertThat(first).containsEntry("Key", "p/a").containsEntry("Size", 7L)
                .containsEntry("LastModified", OLD.getEpochSecond()).containsKeys("Etag", "StorageClass");
    }

    @Test
    void aBatchIsCutBeforeItWouldPassTheInputLimit() {
        List<Listed> listing = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            listing.add(new Listed(String.format("logs/%04d-", i) + "k".repeat(900), 1, OLD));
        }

        List<Map<String, Object>> batches = DistributedMapBatches.of(listing, "logs/", START);

        assertThat(batches).hasSizeGreaterThan(3);
        assertThat(batches).allSatisfy(batch -> assertThat(DistributedMapBatches.bytes(batch))
                .isLessThanOrEqualTo(DistributedMapBatches.MAX_INPUT_BYTES));
        assertThat(batches.stream().mapToInt(b -> keys(b).size()).sum()).isEqualTo(1000);
        // Full: the next item would not have fitted.
        assertThat(DistributedMapBatches.bytes(batches.get(0)) + 960).isGreaterThan(DistributedMapBatches.MAX_INPUT_BYTES);
    }

    @Test
    void aThousandSmallItemsAreOneBatchAndTheLimitsAreChecked() {
        List<Listed> listing = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            listing.add(new Listed("b/" + i, i, OLD));
        }
        assertThat(DistributedMapBatches.of(listing, "b/", START)).extracting(b -> keys(b).size())
                .containsExactly(1000, 1000, 500);
        assertThat(DistributedMapBatches.of(List.of(), "b/", START)).isEmpty();
        assertThatThrownBy(() -> DistributedMapBatches.of(listing, "b/", START, 1001, 262144))
                .hasMessageContaining("1 to 1000");
    }
}
