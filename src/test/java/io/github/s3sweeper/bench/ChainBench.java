package io.github.s3sweeper.bench;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.S3Settings;
import io.github.s3sweeper.lambda.SweepHandler;
import io.github.s3sweeper.report.Json;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.LambdaInvokeEndpoint;
import io.github.s3sweeper.testing.LocalContext;
import io.github.s3sweeper.testing.LogLines;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The function's self-continuation as Lambda would run it, against a running S3 endpoint (bench/chain.py starts the
 * model S3 server and this, one JVM per mode). One JVM is one warm execution environment of a function with
 * reserved concurrency 1: the same handler runs the tick's first run, then each event the local Invoke endpoint
 * received, one at a time, until none is left. Each run's context says that the simulated function timeout less the
 * time since that run started is left, so the handler's own budget (its margin included) stops the run as it would
 * in Lambda. {@code --mode unlimited} runs once with {@code Integer.MAX_VALUE} milliseconds left instead.
 *
 * <p>{@code java -cp ... io.github.s3sweeper.bench.ChainBench --endpoint URL --bucket B --prefix P
 * [--retention-days 30] [--mode chain|unlimited] [--timeout-seconds 60] [--max-runs 100]} prints one JSON line:
 * the wall time from the first run's start to the last run's end, each run's duration, summary counts and where it
 * started and stopped, and the chain's summary line as the last run logged it.
 *
 * <p>What it leaves out: Lambda's own delay between an asynchronous invoke and the run it starts (the next event runs
 * as soon as the previous run returns), and a run's being killed at the timeout (a run that takes longer than the
 * simulated timeout is reported by its duration, not stopped).
 */
public final class ChainBench {

    private static final String FUNCTION = "s3-sweeper-bench";

    private ChainBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options are --name value pairs: " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        String mode = options.getOrDefault("mode", "chain");
        if (!mode.equals("chain") && !mode.equals("unlimited")) {
            throw new IllegalArgumentException("--mode is chain or unlimited, not " + mode);
        }
        double timeoutSeconds = Double.parseDouble(options.getOrDefault("timeout-seconds", "60"));
        int maxRuns = Integer.parseInt(options.getOrDefault("max-runs", "100"));
        try (LambdaInvokeEndpoint lambda = LambdaInvokeEndpoint.start()) {
            Map<String, String> env = new HashMap<>();
            env.put("BUCKET_NAME", required(options, "bucket"));
            env.put("PREFIX", required(options, "prefix"));
            env.put("RETENTION_DAYS", options.getOrDefault("retention-days", "30"));
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ENDPOINT_URL_S3", required(options, "endpoint"));
            env.put("AWS_ENDPOINT_URL_LAMBDA", lambda.endpoint().toString());
            env.put("AWS_LAMBDA_FUNCTION_NAME", FUNCTION);
            if (options.containsKey("max-chain-links")) {
                env.put("MAX_CHAIN_LINKS", options.get("max-chain-links"));
            }
            long timeoutMillis = mode.equals("chain") ? Math.round(timeoutSeconds * 1000) : -1;
            Map<String, Object> result = run(env, lambda, timeoutMillis, maxRuns);
            result.put("mode", mode);
            if (timeoutMillis >= 0) {
                result.put("timeoutSeconds", timeoutSeconds);
            }
            System.out.println(Json.write(result));
        }
    }

    private static Map<String, Object> run(Map<String, String> env, LambdaInvokeEndpoint lambda, long timeoutMillis,
                                           int maxRuns) {
        Lines lines = new Lines();
        // One client per execution environment, as the function keeps it (SweepHandler's own cache is private).
        Function<S3Settings, S3Client> clients = new Function<>() {
            private final Map<S3Settings, S3Client> made = new HashMap<>();

            @Override
            public synchronized S3Client apply(S3Settings settings) {
                return made.computeIfAbsent(settings, S3ClientFactory::create);
            }
        };
        SweepHandler handler = new SweepHandler(env, Clock.systemUTC(), clients, lines);
        List<Map<String, Object>> runs = new ArrayList<>();
        // The first event is read as the later ones are, with the runtime's serializer; read once before the clock
        // starts, as Lambda's runtime has loaded its serializer before the first event.
        String first = "{\"trigger\":\"bench\"}";
        LambdaInvokeEndpoint.asEvent(first);
        long started = System.nanoTime();
        runs.add(once(handler, LambdaInvokeEndpoint.asEvent(first), timeoutMillis));
        int more = lambda.drain(body -> runs.add(once(handler, LambdaInvokeEndpoint.asEvent(body), timeoutMillis)),
                maxRuns - 1);
        long wallNanos = System.nanoTime() - started;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("wallSeconds", wallNanos / 1e9);
        double inRuns = runs.stream().mapToDouble(r -> (Double) r.get("durationSeconds")).sum();
        // Reading each event, and the endpoint's queue: what the chain spends outside the handler.
        result.put("betweenRunsSeconds", wallNanos / 1e9 - inRuns);
        result.put("runs", 1 + more);
        result.put("invokes", lambda.received().size());
        result.put("invokesLeftQueued", lambda.queued());
        result.put("runDetails", runs);
        List<Map<String, Object>> chainSummaries = lines.events("chainSummary");
        result.put("chainSummaryLines", chainSummaries.size());
        result.put("chainSummary", chainSummaries.isEmpty() ? null : chainSummaries.get(chainSummaries.size() - 1));
        result.put("chainNotContinued", lines.events("chainNotContinued").size());
        result.put("warnings", lines.warnings);
        return result;
    }

    /** One invocation: a context whose remaining time counts down from the timeout since this run began. */
    private static Map<String, Object> once(SweepHandler handler, Map<String, Object> event, long timeoutMillis) {
        long start = System.nanoTime();
        LocalContext context = new LocalContext(new Silent()) {
            @Override
            public int getRemainingTimeInMillis() {
                if (timeoutMillis < 0) {
                    return Integer.MAX_VALUE;
                }
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                return (int) Math.max(0, timeoutMillis - elapsed);
            }
        };
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("startAfter", event.get("startAfter"));
        SweepSummary summary = null;
        try {
            summary = handler.handleRequest(event, context);
        } catch (RuntimeException e) {
            // Lambda would count an error (and retry an asynchronous event); the benchmark records it and goes on.
            run.put("error", e.toString());
        }
        run.put("durationSeconds", (System.nanoTime() - start) / 1e9);
        if (summary != null) {
            run.put("scanned", summary.scanned());
            run.put("expired", summary.expired());
            run.put("deleted", summary.deleted());
            run.put("failed", summary.failed());
            run.put("listRequests", summary.listRequests());
            run.put("deleteRequests", summary.deleteRequests());
            run.put("complete", summary.complete());
            run.put("stoppedBy", summary.stoppedBy());
            run.put("resumeAfter", summary.resumeAfter());
            run.put("summaryDurationMs", summary.durationMs());
        }
        return run;
    }

    /**
     * Keeps the chain's lines (a run logs one line per progress interval, and per failed key: few) and counts the
     * warnings and errors; every other line is dropped unread.
     */
    private static final class Lines implements Consumer<String> {
        private final List<String> kept = new CopyOnWriteArrayList<>();
        private final List<String> warnings = new CopyOnWriteArrayList<>();

        @Override
        public void accept(String line) {
            if (line.contains("\"event\":\"chain")) {
                kept.add(line);
            }
            if (line.contains("\"level\":\"WARN\"") || line.contains("\"level\":\"ERROR\"")) {
                if (warnings.size() < 20) {
                    warnings.add(line.length() > 600 ? line.substring(0, 600) : line);
                }
                System.err.println(line.length() > 600 ? line.substring(0, 600) : line);
            }
        }

        List<Map<String, Object>> events(String event) {
            return kept.stream().map(LogLines::parse).filter(r -> event.equals(r.get("event"))).toList();
        }
    }

    private static final class Silent implements LambdaLogger {
        @Override
        public void log(String message) {
        }

        @Override
        public void log(byte[] message) {
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
