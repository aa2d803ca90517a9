package io.github.s3sweeper.lambda;

import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.LogLines;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunMetricsTest {

    private static final SweepSummary STOPPED = SweepSummary.builder()
            .bucket("b").prefix("logs/").retentionDays(30).olderThan("PT720H").cutoff("2026-01-01T00:00:00Z")
            .versioning("Disabled")
            .scanned(2500).matched(2400).expired(1200).keptLatest(3).deleted(1197).failed(2).locked(1)
            .bytesDeleted(987_654_321L).listRequests(3).deleteRequests(2)
            .uploadsCutoff("2025-12-25T00:00:00Z").uploadsScanned(9).uploadsExpired(7).uploadsAborted(6)
            .uploadsFailed(1)
            .complete(false).resumeAfter("logs/k").stoppedBy(SweepSummary.TIME_BUDGET).durationMs(4321)
            .build();

    private static Map<String, Object> record(SweepSummary summary) {
        return LogLines.parse(RunMetrics.record(summary, "S3Sweeper", "nightly", Instant.ofEpochMilli(1_000),
                Map.of("function_request_id", "r-1")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void declaresEveryMetricWithItsUnitUnderOneSweepDimension() {
        Map<String, Object> aws = (Map<String, Object>) record(STOPPED).get("_aws");

        assertThat(aws).containsEntry("Timestamp", 1000);
        List<Map<String, Object>> directives = (List<Map<String, Object>>) aws.get("CloudWatchMetrics");
        assertThat(directives).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("Namespace", "S3Sweeper").containsEntry("Dimensions", List.of(List.of("Sweep")));
            assertThat((List<Map<String, Object>>) d.get("Metrics")).extracting(m -> m.get("Name") + "/" + m.get("Unit"))
                    .containsExactly("ObjectsScanned/Count", "ObjectsExpired/Count", "ObjectsDeleted/Count",
                            "BytesDeleted/Bytes", "DeleteFailures/Count", "ObjectsLocked/Count",
                            "UploadsAborted/Count", "UploadsFailed/Count", "IncompleteRuns/Count", "DurationMs/Milliseconds", "ListRequests/Count",
                            "DeleteRequests/Count");
        });
    }

    @Test
    void valuesAreTheSummarysCounts() {
        assertThat(record(STOPPED)).containsEntry("Sweep", "nightly").containsEntry("ObjectsScanned", 2500)
                .containsEntry("ObjectsExpired", 1200).containsEntry("ObjectsDeleted", 1197)
                .containsEntry("BytesDeleted", 987_654_321).containsEntry("DeleteFailures", 2)
                .containsEntry("ObjectsLocked", 1).containsEntry("DurationMs", 4321).containsEntry("ListRequests", 3)
                .containsEntry("DeleteRequests", 2).containsEntry("UploadsAborted", 6)
                .containsEntry("UploadsFailed", 1).containsEntry("function_request_id", "r-1");
    }

    @Test
    void aRunThatDidNotReachTheEndOfThePrefixCountsAsIncomplete() {
        SweepSummary complete = SweepSummary.builder().bucket("b").prefix("logs/").olderThan("PT720H").cutoff("c")
                .scanned(1).matched(1).listRequests(1).durationMs(5).build();

        assertThat(record(STOPPED)).containsEntry("IncompleteRuns", 1);
        assertThat(record(complete)).containsEntry("IncompleteRuns", 0);
    }
}
