package io.github.s3sweeper.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact report of one run. On a real run {@code deleted + failed = expired}; on a dry run nothing is
 * deleted and {@code expired} is the number of objects a real run would have deleted.
 *
 * @param cutoff         ISO-8601 UTC instant; objects last modified strictly before it are expired
 * @param scanned        objects listed under the prefix
 * @param expired        objects older than the cutoff
 * @param deleted        objects S3 confirmed deleted
 * @param failed         expired objects that were not deleted, or whose deletion S3 did not confirm
 * @param bytesDeleted   total size of the deleted objects
 * @param errors         the first {@value #MAX_ERRORS} errors S3 reported, in the order they happened
 * @param listRequests   ListObjectsV2 requests made, a failed one included
 * @param deleteRequests DeleteObjects requests sent (and DeleteObject, for keys XML cannot carry)
 */
public record SweepSummary(
        String bucket,
        String prefix,
        int retentionDays,
        String cutoff,
        boolean dryRun,
        long scanned,
        long expired,
        long deleted,
        long failed,
        long bytesDeleted,
        List<KeyError> errors,
        long listRequests,
        long deleteRequests,
        long durationMs) {

    public static final int MAX_ERRORS = 100;

    public SweepSummary {
        errors = List.copyOf(errors);
    }

    /** Expired objects still in the bucket after this run. */
    public long left() {
        return expired - deleted;
    }

    /** The fields in their documented order, as the JSON line and the handler's response show them. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("bucket", bucket);
        map.put("prefix", prefix);
        map.put("retentionDays", retentionDays);
        map.put("cutoff", cutoff);
        map.put("dryRun", dryRun);
        map.put("scanned", scanned);
        map.put("expired", expired);
        map.put("deleted", deleted);
        map.put("failed", failed);
        map.put("bytesDeleted", bytesDeleted);
        map.put("errors", errors.stream().map(e -> {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("key", e.key());
            error.put("code", e.code());
            error.put("message", e.message());
            return error;
        }).toList());
        map.put("listRequests", listRequests);
        map.put("deleteRequests", deleteRequests);
        map.put("durationMs", durationMs);
        return map;
    }

    public String toJson() {
        return Json.write(toMap());
    }

    /** The short human-readable account, in the spirit of the original script's output. */
    public String toAccount() {
        String mode = dryRun ? " (dry run: nothing deleted)" : "";
        return String.join("\n",
                "s3-sweeper run" + mode,
                String.format("Bucket:                %s", bucket),
                String.format("Prefix:                %s", prefix.isEmpty() ? "(whole bucket)" : prefix),
                String.format("Threshold:             %d days (objects last modified before %s are expired)",
                        retentionDays, cutoff),
                String.format("Objects scanned:       %d", scanned),
                String.format("Objects to delete:     %d", expired),
                String.format("Deleted:               %d (%d bytes)", deleted, bytesDeleted),
                String.format("Failed:                %d", failed),
                String.format("Left to delete:        %d", left()));
    }
}
