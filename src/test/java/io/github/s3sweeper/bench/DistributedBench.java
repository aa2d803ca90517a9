package io.github.s3sweeper.bench;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.Settings;
import io.github.s3sweeper.config.SettingsParser;
import io.github.s3sweeper.lambda.BatchHandler;
import io.github.s3sweeper.lambda.ReportHandler;
import io.github.s3sweeper.report.Json;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.LocalContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A Distributed Map run of template-distributed.yaml, played without Step Functions: the prefix listed as the
 * ItemReader lists it (ListObjectsV2 pages of 1,000, no delimiter, one chain of continuation tokens), the listing
 * batched as it arrives as the ItemBatcher batches it ({@link DistributedMapBatches.Batcher}: 1,000 items,
 * BatchInput.runStartedAt), each batch run through {@link BatchHandler#handleRequest} with at most MaxConcurrency at
 * once (a pool of that many workers, each a warm "container" with its own handler; a fresh context per batch, with
 * BatchTimeout's remaining time), and the outputs added up by the report step's own code ({@link ReportHandler.Totals},
 * fed the records ResultWriter's COMPACT would write). The listing may run ahead of the batches by a few batches
 * (twice MaxConcurrency), as the reader streams; it waits when they are that far behind.
 *
 * <p>Prints one JSON object: wall seconds, the listing's pages and seconds, the batches and their time distribution,
 * the summed counts, and the state transitions and Lambda GB-seconds the run would cost as the README counts them.
 * What it cannot model: Step Functions' own latency in starting children and invoking Lambda, Lambda's cold starts
 * and throttles, and the real ItemReader's read-ahead.
 *
 * <pre>DistributedBench --endpoint URL --bucket B --prefix P --max-concurrency N [--retention-days 30]
 *   [--memory-mb 512] [--batch-timeout-s 120]</pre>
 */
public final class DistributedBench {

    /** Transitions of the parent execution outside the Map: Settings (Pass), Sweep (Map), Report (Task). */
    static final int PARENT_TRANSITIONS = 3;
    /** Per child as the README counts them: the child's start and its one Task (retries would add one each). */
    static final int TRANSITIONS_PER_BATCH = 2;

    private DistributedBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String endpoint = required(options, "endpoint");
        String bucket = required(options, "bucket");
        String prefix = required(options, "prefix");
        int maxConcurrency = Integer.parseInt(required(options, "max-concurrency"));
        int memoryMb = Integer.parseInt(options.getOrDefault("memory-mb", "512"));
        long batchTimeoutMs = Long.parseLong(options.getOrDefault("batch-timeout-s", "120")) * 1000;
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "bench"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "bench"));

        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", prefix);
        env.put("RETENTION_DAYS", options.getOrDefault("retention-days", "30"));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", endpoint);
        env.put("LOG_LEVEL", "WARN");
        env.put("AWS_LAMBDA_LOG_LEVEL", "WARN");
        Settings settings = SettingsParser.parse(env);

        Map<String, Object> result = run(env, settings, maxConcurrency, memoryMb, batchTimeoutMs);
        System.out.println(Json.write(result));
    }

    private static Map<String, Object> run(Map<String, String> env, Settings settings, int maxConcurrency,
                                           int memoryMb, long batchTimeoutMs) throws Exception {
        // One client for every "container": the model's answers are scheduled, not contended for, and S3's own
        // per-connection limits are not what this measures.
        S3Client s3 = S3ClientFactory.create(settings.s3());
        long[] logLines = {0};
        ThreadLocal<BatchHandler> containers = ThreadLocal.withInitial(() -> new BatchHandler(env, s -> s3, line -> {
            synchronized (logLines) {
                logLines[0]++;
            }
        }, pause -> { }));
        ExecutorService pool = Executors.newFixedThreadPool(maxConcurrency, r -> {
            Thread t = new Thread(r, "batch");
            t.setDaemon(true);
            return t;
        });
        Semaphore ahead = new Semaphore(maxConcurrency * 3);
        ReportHandler.Totals totals = new ReportHandler.Totals();
        List<Long> batchNanos = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> running = new ArrayList<>();

        Instant started = Instant.now();
        long start = System.nanoTime();
        DistributedMapBatches.Batcher batcher = new DistributedMapBatches.Batcher(started.truncatedTo(
                ChronoUnit.MILLIS), 1000, DistributedMapBatches.MAX_INPUT_BYTES);
        long pages = 0;
        long listed = 0;
        long waitedNanos = 0;
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(settings.sweep().bucket())
                    .prefix(settings.sweep().prefix()).continuationToken(continuation));
            pages++;
            for (S3Object object : page.contents()) {
                listed++;
                Map<String, Object> batch = batcher.add(new DistributedMapBatches.Listed(object.key(), object.size(),
                        object.lastModified()));
                if (batch != null) {
                    waitedNanos += submit(pool, ahead, running, containers, batch, totals, batchNanos,
                            batchTimeoutMs);
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        Map<String, Object> last = batcher.finish();
        if (last != null) {
            waitedNanos += submit(pool, ahead, running, containers, last, totals, batchNanos, batchTimeoutMs);
        }
        double listingSeconds = (System.nanoTime() - start) / 1e9;
        for (Future<?> f : running) {
            f.get();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);

        SweepSummary summary = totals.summary(settings.sweep(), started.truncatedTo(ChronoUnit.MILLIS)
                .minus(settings.sweep().age().duration()), Math.round(wall * 1000));
        List<Long> sorted = new ArrayList<>(batchNanos);
        Collections.sort(sorted);
        double sum = sorted.stream().mapToLong(Long::longValue).sum() / 1e9;
        long batches = sorted.size();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("maxConcurrency", maxConcurrency);
        out.put("wallSeconds", round(wall, 2));
        out.put("listingSeconds", round(listingSeconds, 2));
        out.put("listingWaitedSeconds", round(waitedNanos / 1e9, 2));
        out.put("listPages", pages);
        out.put("listed", listed);
        out.put("batches", batches);
        out.put("batchesSucceeded", totals.succeeded());
        out.put("batchesFailed", totals.failedBatches());
        out.put("scanned", summary.scanned());
        out.put("expired", summary.expired());
        out.put("deleted", summary.deleted());
        out.put("failed", summary.failed());
        out.put("deleteRequests", summary.deleteRequests());
        out.put("complete", summary.complete());
        out.put("failure", summary.failure());
        out.put("batchSecondsMedian", round(percentile(sorted, 0.50), 3));
        out.put("batchSecondsP95", round(percentile(sorted, 0.95), 3));
        out.put("batchSecondsMax", round(percentile(sorted, 1.0), 3));
        out.put("batchSecondsMean", round(batches == 0 ? 0 : sum / batches, 3));
        out.put("batchSecondsTotal", round(sum, 1));
        out.put("memoryMb", memoryMb);
        out.put("gbSeconds", round(sum * memoryMb / 1024.0, 1));
        out.put("transitions", TRANSITIONS_PER_BATCH * batches + PARENT_TRANSITIONS);
        out.put("logLines", logLines[0]);
        return out;
    }

    /** Waits for a slot of read-ahead, then hands the batch to the pool; returns how long the listing waited. */
    private static long submit(ExecutorService pool, Semaphore ahead, List<Future<?>> running,
                               ThreadLocal<BatchHandler> containers, Map<String, Object> batch,
                               ReportHandler.Totals totals, List<Long> batchNanos, long batchTimeoutMs)
            throws InterruptedException {
        long before = System.nanoTime();
        ahead.acquire();
        long waited = System.nanoTime() - before;
        running.add(pool.submit(() -> {
            try {
                long begin = System.nanoTime();
                Map<String, Object> record;
                String kind;
                try {
                    Map<String, Object> output = containers.get().handleRequest(batch, context(begin,
                            batchTimeoutMs));
                    record = output; // what COMPACT writes of a succeeded child: its output
                    kind = "SUCCEEDED";
                } catch (BatchHandler.BatchFailedException e) {
                    record = failed(e.getClass().getName(), Json.write(Map.of("errorMessage", e.getMessage(),
                            "errorType", e.getClass().getName())));
                    kind = "FAILED";
                } catch (RuntimeException e) {
                    record = failed(e.getClass().getName(), String.valueOf(e.getMessage()));
                    kind = "FAILED";
                }
                batchNanos.add(System.nanoTime() - begin);
                synchronized (totals) {
                    totals.add(kind, record);
                }
            } finally {
                ahead.release();
            }
        }));
        return waited;
    }

    private static Map<String, Object> failed(String error, String cause) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("ExecutionArn", "arn:aws:states:us-east-1:123456789012:execution:bench/Sweep:child");
        record.put("Error", error);
        record.put("Cause", cause);
        record.put("Status", "FAILED");
        return record;
    }

    /** A fresh invocation's context: BatchTimeout from the batch's start. */
    private static LocalContext context(long begin, long timeoutMs) {
        return new LocalContext(new LambdaLogger() {
            @Override
            public void log(String message) {
            }

            @Override
            public void log(byte[] message) {
            }
        }) {
            @Override
            public int getRemainingTimeInMillis() {
                return (int) Math.max(0, timeoutMs - (System.nanoTime() - begin) / 1_000_000);
            }
        };
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p * sorted.size()) - 1));
        return sorted.get(index) / 1e9;
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
