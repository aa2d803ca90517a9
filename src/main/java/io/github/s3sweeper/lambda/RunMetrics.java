package io.github.s3sweeper.lambda;

import io.github.s3sweeper.report.Json;
import io.github.s3sweeper.report.SweepSummary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One CloudWatch Embedded Metric Format record per run, built from the summary: CloudWatch Logs extracts the metrics
 * from the log line, so nothing calls CloudWatch and the role needs no cloudwatch:PutMetricData.
 *
 * <p>Written here rather than with Powertools' metrics module: measured (bench/metrics-cost), that module's first
 * record costs 360-620 ms and 0.5-0.8 CPU seconds of a cold JVM (Jackson and the EMF library loading), this one
 * under a millisecond, and the record is a fixed shape that the runtime test parses back.
 */
final class RunMetrics {

    static final String DIMENSION = "Sweep";

    /** Name, unit and value of each metric, in the order they are declared in the record. */
    record Metric(String name, String unit, ToLongFunction<SweepSummary> value) {
    }

    static final List<Metric> METRICS = List.of(
            new Metric("ObjectsScanned", "Count", SweepSummary::scanned),
            new Metric("ObjectsExpired", "Count", SweepSummary::expired),
            new Metric("ObjectsDeleted", "Count", SweepSummary::deleted),
            new Metric("BytesDeleted", "Bytes", SweepSummary::bytesDeleted),
            new Metric("DeleteFailures", "Count", SweepSummary::failed),
            new Metric("ObjectsLocked", "Count", SweepSummary::locked),
            // ABORT_INCOMPLETE_UPLOADS_AFTER: uploads aborted (0 on a dry run) and those S3 did not abort.
            new Metric("UploadsAborted", "Count", SweepSummary::uploadsAborted),
            new Metric("UploadsFailed", "Count", SweepSummary::uploadsFailed),
            // 1 when the run did not reach the end of the prefix (time budget or a failed listing).
            new Metric("IncompleteRuns", "Count", s -> s.complete() ? 0 : 1),
            new Metric("DurationMs", "Milliseconds", SweepSummary::durationMs),
            new Metric("ListRequests", "Count", SweepSummary::listRequests),
            new Metric("DeleteRequests", "Count", SweepSummary::deleteRequests));

    private RunMetrics() {
    }

    /**
     * @param properties more top-level fields (the request id, the level that keeps Lambda from filtering the line):
     *                   searchable in Logs Insights, not metrics
     */
    static String record(SweepSummary summary, String namespace, String sweep, Instant timestamp,
                         Map<String, Object> properties) {
        return record(summary, namespace, sweep, timestamp, properties, null, 0, null);
    }

    /**
     * A chain's record: its summary's metrics under the dimensions {@code Sweep} and {@code Scope=chain}, and
     * {@code ChainLinks}, apart from the runs' own records (under {@code Sweep} alone), which a sum over a chain's runs
     * would otherwise count twice.
     */
    static String chainRecord(SweepSummary chain, int links, String namespace, String sweep, Instant timestamp,
                              Map<String, Object> properties) {
        return record(chain, namespace, sweep, timestamp, properties, CHAIN_SCOPE, links, null);
    }

    /**
     * A rule's record, in a run of RULES: its summary's metrics under the dimensions {@code Sweep} and {@code Rule},
     * beside the run's total record (under {@code Sweep} alone, as without rules).
     */
    static String ruleRecord(SweepSummary rule, String namespace, String sweep, Instant timestamp,
                             Map<String, Object> properties) {
        return record(rule, namespace, sweep, timestamp, properties, null, 0, rule.rule());
    }

    static final String RULE = "Rule";
    static final String SCOPE = "Scope";
    static final String CHAIN_SCOPE = "chain";
    static final String CHAIN_LINKS = "ChainLinks";

    private static String record(SweepSummary summary, String namespace, String sweep, Instant timestamp,
                                 Map<String, Object> properties, String scope, int links, String rule) {
        List<Map<String, Object>> definitions = new ArrayList<>();
        for (Metric metric : METRICS) {
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("Name", metric.name());
            definition.put("Unit", metric.unit());
            definitions.add(definition);
        }
        if (scope != null) {
            definitions.add(new LinkedHashMap<>(Map.of("Name", CHAIN_LINKS, "Unit", "Count")));
        }
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", List.of(scope != null ? List.of(DIMENSION, SCOPE)
                : rule != null ? List.of(DIMENSION, RULE) : List.of(DIMENSION)));
        directive.put("Metrics", definitions);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", timestamp.toEpochMilli());
        aws.put("CloudWatchMetrics", List.of(directive));

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("_aws", aws);
        record.put(DIMENSION, sweep);
        if (scope != null) {
            record.put(SCOPE, scope);
        }
        if (rule != null) {
            record.put(RULE, rule);
        }
        for (Metric metric : METRICS) {
            record.put(metric.name(), metric.value().applyAsLong(summary));
        }
        if (scope != null) {
            record.put(CHAIN_LINKS, links);
        }
        record.put("dryRun", summary.dryRun());
        properties.forEach(record::putIfAbsent);
        return Json.write(record);
    }
}
