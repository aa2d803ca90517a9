package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.github.s3sweeper.engine.SweepListener;
import io.github.s3sweeper.engine.Target;
import io.github.s3sweeper.report.Json;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepSummary;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's log: one JSON line per event, at a level the Lambda runtime filters (ApplicationLogLevel). A dry run
 * logs every entry it would delete at INFO, since that list is what a dry run is for; a real run logs deleted entries
 * at DEBUG (an audit trail on demand), every failed one at WARN and every version Object Lock kept at INFO.
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
    public void onExpired(Target target) {
        if (dryRun) {
            event(LogLevel.INFO, "wouldDelete", targetFields(target));
        }
    }

    @Override
    public void onLeftByCap(Target target) {
        event(LogLevel.DEBUG, "leftByCap", targetFields(target));
    }

    @Override
    public void onDeleted(Target target) {
        event(LogLevel.DEBUG, "deleted", targetFields(target));
    }

    @Override
    public void onFailed(KeyError error) {
        event(LogLevel.WARN, "deleteFailed", errorFields(error));
    }

    @Override
    public void onLocked(KeyError error) {
        event(LogLevel.INFO, "locked", errorFields(error));
    }

    private static Map<String, Object> targetFields(Target target) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", target.key());
        if (target.versionId() != null) {
            fields.put("versionId", target.versionId());
        }
        fields.put("kind", target.kind().name());
        fields.put("size", target.size());
        fields.put("lastModified", String.valueOf(target.lastModified()));
        return fields;
    }

    private static Map<String, Object> errorFields(KeyError error) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", error.key());
        if (error.versionId() != null) {
            fields.put("versionId", error.versionId());
        }
        fields.put("code", error.code());
        fields.put("message", error.message());
        return fields;
    }
}
