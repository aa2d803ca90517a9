package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.github.s3sweeper.engine.SweepListener;
import io.github.s3sweeper.report.Json;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepSummary;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's log: one JSON line per event, at a level the Lambda runtime filters (ApplicationLogLevel). A dry run
 * logs every key it would delete at INFO, since that list is what a dry run is for; a real run logs deleted keys at
 * DEBUG (an audit trail on demand) and every failed key at WARN.
 */
final class RunLog implements SweepListener {

    private final LambdaLogger logger;
    private final boolean dryRun;

    RunLog(LambdaLogger logger, boolean dryRun) {
        this.logger = logger;
        this.dryRun = dryRun;
    }

    void event(LogLevel level, String event, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        line.putAll(fields);
        logger.log(Json.write(line), level);
    }

    void summary(SweepSummary summary, LogLevel level) {
        logger.log(summary.toAccount(), level);
        logger.log(summary.toJson(), level);
    }

    @Override
    public void onExpired(String key, long size, Instant lastModified) {
        if (dryRun) {
            event(LogLevel.INFO, "wouldDelete", keyFields(key, size, lastModified));
        }
    }

    @Override
    public void onDeleted(String key) {
        event(LogLevel.DEBUG, "deleted", Map.of("key", key));
    }

    @Override
    public void onFailed(KeyError error) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", error.key());
        fields.put("code", error.code());
        fields.put("message", error.message());
        event(LogLevel.WARN, "deleteFailed", fields);
    }

    private static Map<String, Object> keyFields(String key, long size, Instant lastModified) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("size", size);
        fields.put("lastModified", lastModified.toString());
        return fields;
    }
}
