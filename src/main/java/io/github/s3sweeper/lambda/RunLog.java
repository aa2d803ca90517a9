package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.github.s3sweeper.engine.SweepListener;
import io.github.s3sweeper.engine.Target;
import io.github.s3sweeper.report.KeyError;
import io.github.s3sweeper.report.SweepProgress;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.report.Version;
import io.github.s3sweeper.rules.IncompleteUpload;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run logs, one structured line per event. A dry run logs every entry it would delete at INFO, since that list
 * is what a dry run is for; a real run logs deleted entries at DEBUG (an audit trail on demand), every failed one at
 * WARN and every version Object Lock kept at INFO. With ABORT_INCOMPLETE_UPLOADS_AFTER, a dry run logs each upload it
 * would abort ({@code wouldAbortUpload}) and a real run each one aborted ({@code uploadAborted}) at INFO, since there
 * are few and each frees storage nothing else shows, and each one S3 did not abort at ERROR
 * ({@code uploadAbortFailed}, with S3's error code). A long run logs a {@code progress} line every interval. The run
 * ends with one {@code summary} line: the human account as
 * its message, the summary's fields beside it. Keys, sizes and S3's error texts are logged; credentials and object
 * content never reach this class.
 */
final class RunLog implements SweepListener {

    private final JsonLog log;
    private final boolean dryRun;

    RunLog(JsonLog log, boolean dryRun) {
        this.log = log;
        this.dryRun = dryRun;
    }

    void start(String trigger, String bucket, String prefix, String olderThan, List<String> overridden) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("trigger", trigger);
        fields.put("bucket", bucket);
        fields.put("prefix", prefix);
        fields.put("olderThan", olderThan);
        fields.put("dryRun", dryRun);
        fields.put("overrides", !overridden.isEmpty());
        if (!overridden.isEmpty()) {
            fields.put("overridden", overridden);
        }
        fields.put("version", Version.current());
        log.log(LogLevel.INFO, "start", String.format("Sweeping s3://%s/%s: objects older than %s%s", bucket, prefix,
                olderThan, dryRun ? " (dry run: nothing is deleted)" : ""), fields);
    }

    /** How far a long run has got, at INFO: the counts as fields, the same in one short line as the message. */
    void progress(SweepProgress progress) {
        log.log(LogLevel.INFO, "progress", progress.toLine(), progress.toMap());
    }

    /** INFO for a complete run, WARN for one that stopped early, ERROR for one that failed. */
    void summary(SweepSummary summary) {
        LogLevel level = summary.failure() != null ? LogLevel.ERROR : summary.complete() ? LogLevel.INFO : LogLevel.WARN;
        log.log(level, "summary", summary.toAccount(), summary.toMap());
    }

    /** The failure's Java detail, for whoever asks for DEBUG: the cause is already in the summary line. */
    void detail(Throwable failure) {
        if (failure.getCause() == null || !log.enabled(LogLevel.DEBUG)) {
            return;
        }
        StringWriter trace = new StringWriter();
        failure.getCause().printStackTrace(new PrintWriter(trace));
        log.log(LogLevel.DEBUG, "failureDetail", String.valueOf(failure.getCause()),
                Map.of("stackTrace", trace.toString()));
    }

    @Override
    public void onExpired(Target target) {
        if (dryRun) {
            log.log(LogLevel.INFO, "wouldDelete", "Would delete " + target.key(), targetFields(target));
        }
    }

    /**
     * On a dry run, at INFO, each expired object the keep rules keep and the rules that keep it (the dry run's answer
     * to "why is this one still here?"); on a real run at DEBUG, built only when written.
     */
    @Override
    public void onKept(String key, Instant lastModified, String group, List<String> rules) {
        LogLevel level = dryRun ? LogLevel.INFO : LogLevel.DEBUG;
        if (!log.enabled(level)) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("lastModified", Timestamps.iso(lastModified));
        fields.put("group", group);
        fields.put("keptBy", rules);
        log.log(level, "keptByRule", "Kept by " + String.join(", ", rules) + ": " + key, fields);
    }

    @Override
    public void onLeftByCap(Target target) {
        // Built only when written: at INFO a real run would otherwise make and drop a line per entry.
        if (log.enabled(LogLevel.DEBUG)) {
            log.log(LogLevel.DEBUG, "leftByCap", "Left by MAX_DELETES: " + target.key(), targetFields(target));
        }
    }

    @Override
    public void onDeleted(Target target) {
        if (log.enabled(LogLevel.DEBUG)) {
            log.log(LogLevel.DEBUG, "deleted", "Deleted " + target.key(), targetFields(target));
        }
    }

    @Override
    public void onFailed(KeyError error) {
        log.log(LogLevel.WARN, "deleteFailed", "Could not delete " + error.key() + ": " + error.code(),
                errorFields(error));
    }

    @Override
    public void onLocked(KeyError error) {
        log.log(LogLevel.INFO, "locked", "Kept by Object Lock: " + error.key(), errorFields(error));
    }

    @Override
    public void onUploadExpired(IncompleteUpload upload) {
        if (dryRun) {
            log.log(LogLevel.INFO, "wouldAbortUpload", "Would abort the incomplete upload of " + upload.key(),
                    uploadFields(upload));
        }
    }

    @Override
    public void onUploadAborted(IncompleteUpload upload, boolean alreadyGone) {
        Map<String, Object> fields = uploadFields(upload);
        fields.put("alreadyGone", alreadyGone);
        log.log(LogLevel.INFO, "uploadAborted", (alreadyGone ? "Incomplete upload gone already (NoSuchUpload): "
                : "Aborted the incomplete upload of ") + upload.key(), fields);
    }

    @Override
    public void onUploadFailed(IncompleteUpload upload, String code, String message) {
        Map<String, Object> fields = uploadFields(upload);
        fields.put("code", code);
        fields.put("error", message);
        log.log(LogLevel.ERROR, "uploadAbortFailed", "Could not abort the incomplete upload of " + upload.key() + ": "
                + code, fields);
    }

    private static Map<String, Object> uploadFields(IncompleteUpload upload) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", upload.key());
        fields.put("uploadId", upload.uploadId());
        fields.put("initiated", Timestamps.iso(upload.initiated()));
        return fields;
    }

    private static Map<String, Object> targetFields(Target target) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", target.key());
        fields.put("versionId", target.versionId());
        fields.put("kind", target.kind().name());
        fields.put("size", target.size());
        fields.put("lastModified", target.lastModified() == null ? "null" : Timestamps.iso(target.lastModified()));
        return fields;
    }

    private static Map<String, Object> errorFields(KeyError error) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", error.key());
        fields.put("versionId", error.versionId());
        fields.put("code", error.code());
        // "error", not "message": every line's message is the human sentence above.
        fields.put("error", error.message());
        return fields;
    }
}
