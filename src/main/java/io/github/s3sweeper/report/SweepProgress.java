package io.github.s3sweeper.report;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How far a running sweep has got: current objects scanned, entries chosen for deletion (the summary's
 * {@code expired}), entries deleted and failed so far, and the time since the run started.
 */
public record SweepProgress(long scanned, long expired, long deleted, long failed, Duration elapsed) {

    public static final SweepProgress NOT_STARTED = new SweepProgress(0, 0, 0, 0, Duration.ZERO);

    public SweepProgress {
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Objects scanned per second since the start; 0 before any time has passed. */
    public long objectsPerSecond() {
        long nanos = elapsed.toNanos();
        return nanos <= 0 ? 0 : Math.round(scanned * 1e9 / nanos);
    }

    /** One short line for people: {@code scanned 1,234,000  chosen 800,112  deleted 799,000  failed 0  41,133/s  0:30}. */
    public String toLine() {
        return String.format(Locale.ROOT, "scanned %,d  chosen %,d  deleted %,d  failed %,d  %,d/s  %s", scanned,
                expired, deleted, failed, objectsPerSecond(), clock(elapsed));
    }

    /** The fields of a log line, under the summary's names where it has them. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("scanned", scanned);
        map.put("expired", expired);
        map.put("deleted", deleted);
        map.put("failed", failed);
        map.put("objectsPerSecond", objectsPerSecond());
        map.put("elapsedMs", elapsed.toMillis());
        return map;
    }

    /** As a stopwatch shows it: 0:30, 12:05, 1:02:03. */
    static String clock(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        return hours > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", minutes, seconds % 60);
    }
}
