import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes one run's metrics record, as the function does at the end of a run, in a JVM that has done nothing else,
 * and prints on stderr how long that took. "powertools": Powertools for AWS Lambda (Java) v2 metrics, without AspectJ.
 * "project": the function's own RunMetrics, read from target/s3-sweeper.jar.
 */
public final class MetricsCost {

    private static final List<String> NAMES = List.of("ObjectsScanned", "ObjectsExpired", "ObjectsDeleted",
            "BytesDeleted", "DeleteFailures", "ObjectsLocked", "IncompleteRuns", "DurationMs", "ListRequests",
            "DeleteRequests");

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        if (args[0].equals("powertools")) {
            Metrics metrics = MetricsFactory.getMetricsInstance();
            metrics.setNamespace("S3Sweeper");
            metrics.setDefaultDimensions(DimensionSet.of("Sweep", "bucket/backups/"));
            for (String name : NAMES) {
                metrics.addMetric(name, 5, MetricUnit.COUNT);
            }
            metrics.flush();
        } else {
            Class<?> summaryType = Class.forName("io.github.s3sweeper.report.SweepSummary");
            Object summary = summaryType.getConstructors()[0].newInstance("bucket", "backups/", 30, "PT720H", "c",
                    false, "Disabled", 5L, 5L, 5L, 0L, 5L, 0L, 0L, false, 0L, 5L, null, null, 0L, 0L, 0L, List.of(),
                    List.of(), 5L, 5L, true, null, null, null, 5L);
            Method record = Class.forName("io.github.s3sweeper.lambda.RunMetrics").getDeclaredMethod("record",
                    summaryType, String.class, String.class, Instant.class, Map.class);
            record.setAccessible(true);
            System.out.println(record.invoke(null, summary, "S3Sweeper", "bucket/backups/", Instant.now(), Map.of()));
        }
        System.err.printf("%.1f%n", (System.nanoTime() - start) / 1e6);
    }
}
