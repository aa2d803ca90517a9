package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.github.s3sweeper.aws.LambdaInvoker;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.Catalog;
import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.config.Overrides;
import io.github.s3sweeper.config.Rule;
import io.github.s3sweeper.config.RunRequest;
import io.github.s3sweeper.config.S3Settings;
import io.github.s3sweeper.config.Settings;
import io.github.s3sweeper.config.SettingsParser;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.engine.Budget;
import io.github.s3sweeper.engine.RuleSweeper;
import io.github.s3sweeper.engine.SweepListener;
import io.github.s3sweeper.engine.SweepFailedException;
import io.github.s3sweeper.engine.Sweeper;
import io.github.s3sweeper.report.SweepSummary;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Lambda entry point: reads the settings, runs the engine, logs and returns the summary. A run that did not
 * delete everything it should throws, so Lambda's Errors metric, alarms, retries and failure destination see it.
 */
public final class SweepHandler implements RequestHandler<Map<String, Object>, SweepSummary> {

    private static final ClientCache SHARED_CLIENTS = new ClientCache(S3ClientFactory::create);
    /** Lambda sets it in every execution environment: where it is, metrics go to CloudWatch through the log. */
    static final String FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";

    private final AtomicBoolean coldStart = new AtomicBoolean(true);
    private final Map<String, String> env;
    private final Clock clock;
    private final Function<S3Settings, S3Client> clients;
    private final Consumer<String> out;
    private final Duration progressInterval;
    private final Function<Settings, LambdaInvoker> invokers;

    /**
     * Used by the Lambda runtime: the process environment, the system clock, one client per environment, and log
     * lines on standard output (read when each line is written: the runtime replaces System.out before it loads
     * the handler).
     */
    public SweepHandler() {
        this(System.getenv(), Clock.systemUTC(), SHARED_CLIENTS::get, line -> System.out.println(line));
    }

    /**
     * @param out where each log line goes, whole; the metrics record too, when running in Lambda. A run logs a
     *            progress line every PROGRESS_INTERVAL.
     */
    public SweepHandler(Map<String, String> env, Clock clock, Function<S3Settings, S3Client> clients,
                        Consumer<String> out) {
        this(env, clock, clients, out, null);
    }

    /**
     * @param out              where each log line goes, whole; the metrics record too, when running in Lambda
     * @param progressInterval how often a run logs a progress line, whatever PROGRESS_INTERVAL says (tests: shorter
     *                         than the setting allows); a run shorter than this logs none
     */
    public SweepHandler(Map<String, String> env, Clock clock, Function<S3Settings, S3Client> clients,
                        Consumer<String> out, Duration progressInterval) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.out = Objects.requireNonNull(out, "out");
        this.progressInterval = progressInterval;
        this.invokers = settings -> new LambdaInvoker(settings.chain().endpoint(), settings.s3().region(),
                SweepHandler::sleep);
        if (progressInterval != null && (progressInterval.isNegative() || progressInterval.isZero())) {
            throw new IllegalArgumentException("progressInterval must be positive: " + progressInterval);
        }
    }

    @Override
    public SweepSummary handleRequest(Map<String, Object> event, Context context) {
        JsonLog log = new JsonLog(out, JsonLog.threshold(env), contextFields(context));
        Invocation invocation;
        try {
            invocation = parse(event, clock.instant());
        } catch (InvalidSettingsException e) {
            log.with("sweep", rawSweepName()).log(LogLevel.ERROR, "invalidSettings", e.getMessage(),
                    Map.of("problems", e.problems()));
            throw e;
        }
        SweepSettings sweep = invocation.sweep();
        String sweepName = invocation.settings().metrics().sweep(sweep.bucket(), sweep.prefix());
        log = log.with("sweep", sweepName);
        Chain chain = Chain.of(invocation.request(), context.getAwsRequestId(), clock.instant());
        if (chain.link() > 1) {
            // Logs Insights finds a chain's runs by its id: the first run's request id.
            log = log.with("chain_id", chain.id()).with("chain_link", chain.link());
        }
        RunLog runLog = new RunLog(log, sweep.dryRun());
        runLog.start(invocation.request().trigger(), sweep.bucket(), sweep.prefix(), sweep.age().iso(),
                invocation.request().overrides().fields());

        Budget budget = Budget.ofRemaining(context.getRemainingTimeInMillis(), System::nanoTime);
        // Every run of a chain decides against the chain's start, so the chain deletes what one run would have.
        Clock runClock = Clock.fixed(chain.startedAt(), java.time.ZoneOffset.UTC);
        if (!invocation.rules().isEmpty()) {
            return sweepRules(invocation, chain, runLog, log, budget, runClock, sweepName, context);
        }
        Sweeper sweeper = new Sweeper(clients.apply(invocation.settings().s3()), runClock, sweep, runLog, budget);
        SweepSummary summary;
        SweepFailedException failure = null;
        // The progress lines stop before the catch below or the report after it: none comes after the summary.
        Duration every = progressInterval != null ? progressInterval : invocation.settings().progressInterval();
        try (ProgressLog progress = ProgressLog.start(sweeper::progress, runLog, every)) {
            summary = sweeper.run();
        } catch (SweepFailedException e) {
            summary = e.summary();
            failure = e;
        }
        return conclude(invocation, chain, runLog, log, sweepName, context, summary, failure, null);
    }

    /**
     * After the sweep (or the rules): the chain's next run if the time budget stopped this one, this run's summary
     * line and metrics, and the chain's summary if it ended here. A run that failed (keys S3 refused, a listing error)
     * is reported and counted; the rest of the prefix still gets swept, and the chain's last run fails: thrown before
     * the chain goes on, Lambda would retry this run and start a second chain.
     *
     * @param resumeRule with RULES: the rule the next run starts with (null: no rules)
     */
    private SweepSummary conclude(Invocation invocation, Chain chain, RunLog runLog, JsonLog log, String sweepName,
                                  Context context, SweepSummary summary, SweepFailedException failure,
                                  String resumeRule) {
        SweepSettings sweep = invocation.sweep();
        Chain.End end = chain.next(summary, sweep.startAfter(), invocation.startRule(), resumeRule,
                maxLinks(invocation), sweep.maxDeletes());
        // The next run is invoked before this one's summary: a run's summary and metrics stay its last lines.
        RuntimeException notContinued = end == null ? goOn(chain, invocation, summary, log, resumeRule) : null;
        report(summary, runLog, log, invocation, sweepName, context);
        if (failure != null) {
            runLog.detail(failure);
        }
        if (notContinued != null) {
            throw notContinued;
        }
        if (end == null) {
            return summary;
        }
        // Keys earlier runs failed on were reported by those runs (their summaries, DeleteFailures) and are in the
        // chain's summary, at ERROR: failing a later, clean run too would only make Lambda sweep its range again.
        endChain(chain, end, summary, log, invocation, sweepName, context);
        if (failure != null) {
            throw failure.withoutTrace();
        }
        return summary;
    }

    /**
     * A run of RULES: each rule in turn ({@link RuleSweeper}), its lines carrying its {@code rule} field, its summary
     * line and its metrics (dimensions Sweep and Rule) as it ends; then, as for one sweep, the chain's next run if the
     * time budget stopped it, and the total's summary line and metrics (dimension Sweep). A rule that failed fails the
     * run once every rule has run, as one sweep's failed keys do.
     */
    private SweepSummary sweepRules(Invocation invocation, Chain chain, RunLog runLog, JsonLog log, Budget budget,
                                    Clock runClock, String sweepName, Context context) {
        SweepSettings sweep = invocation.sweep();
        JsonLog base = log;
        RuleSweeper.Listener listener = new RuleSweeper.Listener() {
            @Override
            public SweepListener starting(Rule rule, SweepSettings settings) {
                RunLog ruleLog = new RunLog(base.with("rule", rule.name()), settings.dryRun());
                ruleLog.start(invocation.request().trigger(), settings.bucket(), settings.prefix(),
                        settings.age().iso(), invocation.request().overrides().fields());
                return ruleLog;
            }

            @Override
            public void ended(Rule rule, SweepSummary summary, boolean failed) {
                JsonLog ruleLog = base.with("rule", rule.name());
                new RunLog(ruleLog, summary.dryRun()).summary(summary);
                if (env.containsKey(FUNCTION_NAME)) {
                    Map<String, Object> properties = new LinkedHashMap<>();
                    properties.put("level", ruleLog.alwaysLevel());
                    properties.put("function_request_id", context.getAwsRequestId());
                    ruleLog.always(RunMetrics.ruleRecord(summary, invocation.settings().metrics().namespace(),
                            sweepName, clock.instant(), properties));
                }
            }
        };
        RuleSweeper sweeper = new RuleSweeper(clients.apply(invocation.settings().s3()), runClock, invocation.rules(),
                sweep, listener, budget);
        SweepSummary summary;
        SweepFailedException failure = null;
        Duration every = progressInterval != null ? progressInterval : invocation.settings().progressInterval();
        try (ProgressLog progress = ProgressLog.start(sweeper::progress, runLog, every)) {
            summary = sweeper.run(invocation.startRule(), sweep.startAfter(), sweep.resumeFrontier());
        } catch (SweepFailedException e) {
            summary = e.summary();
            failure = e;
        }
        return conclude(invocation, chain, runLog, log, sweepName, context, summary, failure, sweeper.resumeRule());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Only in Lambda, where there is a function to invoke: elsewhere a run never continues itself. */
    private int maxLinks(Invocation invocation) {
        return env.containsKey(FUNCTION_NAME) ? invocation.settings().chain().maxLinks() : 1;
    }

    /**
     * Hands the rest of the prefix to the chain's next run, invoked asynchronously.
     *
     * @return what Lambda answered when it did not accept the invocation (logged), to be thrown once this run has
     *         reported: the run fails, and Lambda's retry of it, or the next tick, goes on from the same place
     * @param resumeRule with RULES: the rule the next run starts with
     */
    private RuntimeException goOn(Chain chain, Invocation invocation, SweepSummary summary, JsonLog log,
                                  String resumeRule) {
        Map<String, Object> input = chain.nextInput(invocation.request(), summary, invocation.sweep().maxDeletes(),
                resumeRule);
        String function = env.get(FUNCTION_NAME);
        try {
            invokers.apply(invocation.settings()).invokeAsync(function, io.github.s3sweeper.report.Json.write(input));
        } catch (LambdaInvoker.InvokeFailedException e) {
            log.log(LogLevel.ERROR, "chainNotContinued", "Could not continue in a next run: " + e.getMessage()
                    + "; the rest of the prefix, after " + summary.resumeAfter() + ", waits for Lambda's retry of this"
                    + " run or the next tick",
                    Map.of("chainId", chain.id(), "link", chain.link(), "error", e.getMessage()));
            return e;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("chainId", chain.id());
        fields.put("link", chain.link());
        fields.put("nextLink", chain.link() + 1);
        fields.put("maxChainLinks", invocation.settings().chain().maxLinks());
        fields.put("startAfter", summary.resumeAfter());
        if (resumeRule != null) {
            fields.put("rule", resumeRule);
        }
        log.log(LogLevel.INFO, "chainContinued", "Continued in run " + (chain.link() + 1) + " of at most "
                + invocation.settings().chain().maxLinks() + (resumeRule == null ? "" : ", at rule " + resumeRule)
                + ", after " + summary.resumeAfter(), fields);
        return null;
    }

    /** The last run of a chain of several logs the chain's summary and emits its metrics. */
    private void endChain(Chain chain, Chain.End end, SweepSummary last, JsonLog log, Invocation invocation,
                          String sweepName, Context context) {
        if (chain.link() == 1 && end != Chain.End.NO_PROGRESS) {
            return; // a chain of one run: its own summary says it all
        }
        java.time.Instant now = clock.instant();
        SweepSummary whole = chain.summary(last, now, uploadsCutoff(chain, invocation));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("chainId", chain.id());
        fields.put("links", chain.link());
        fields.put("chainStoppedBy", end.word);
        fields.putAll(whole.toMap());
        LogLevel level = whole.failed() > 0 || whole.uploadsFailed() > 0 || end == Chain.End.LISTING_FAILED
                ? LogLevel.ERROR
                : end == Chain.End.COMPLETE || end == Chain.End.CAPPED ? LogLevel.INFO : LogLevel.WARN;
        log.log(level, "chainSummary", "Chain of " + chain.link() + " runs ended (" + end.word + "): "
                + whole.toAccount(), fields);
        if (env.containsKey(FUNCTION_NAME)) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("level", log.alwaysLevel());
            properties.put("function_request_id", context.getAwsRequestId());
            properties.put("chainId", chain.id());
            log.always(RunMetrics.chainRecord(whole, chain.link(), invocation.settings().metrics().namespace(),
                    sweepName, now, properties));
        }
    }

    /**
     * The cutoff the chain's first run aborted incomplete uploads before, as that run reckoned it (from the chain's
     * start, to the millisecond): null when the setting is off.
     */
    private static String uploadsCutoff(Chain chain, Invocation invocation) {
        return invocation.settings().sweep().abortUploadsAfter()
                .map(after -> chain.startedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minus(after)
                        .toString())
                .orElse(null);
    }

    private void report(SweepSummary summary, RunLog runLog, JsonLog log, Invocation invocation, String sweepName,
                        Context context) {
        runLog.summary(summary);
        if (env.containsKey(FUNCTION_NAME)) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("level", log.alwaysLevel());
            properties.put("function_request_id", context.getAwsRequestId());
            log.always(RunMetrics.record(summary, invocation.settings().metrics().namespace(), sweepName,
                    clock.instant(), properties));
        }
    }

    /** The sweep's name as the environment gives it, for a line written before the settings could be read. */
    private String rawSweepName() {
        String name = env.get(Catalog.SWEEP_NAME.label());
        return name != null && !name.isEmpty() ? name
                : env.getOrDefault(Catalog.BUCKET.label(), "") + "/" + env.getOrDefault(Catalog.PREFIX.label(), "");
    }

    private Map<String, Object> contextFields(Context context) {
        return contextFields(env, context, coldStart.getAndSet(false));
    }

    /**
     * The fields Powertools puts on every line, under the names Powertools users query: each of the jar's handlers
     * logs with them.
     */
    static Map<String, Object> contextFields(Map<String, String> env, Context context, boolean coldStart) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("service", env.getOrDefault("POWERTOOLS_SERVICE_NAME", "s3-sweeper"));
        fields.put("cold_start", coldStart);
        fields.put("function_name", context.getFunctionName());
        fields.put("function_version", context.getFunctionVersion());
        fields.put("function_arn", context.getInvokedFunctionArn());
        fields.put("function_memory_size", context.getMemoryLimitInMB());
        fields.put("function_request_id", context.getAwsRequestId());
        // The Java runtime passes each invocation's trace header as this property (an environment cannot change).
        String trace = System.getProperty("com.amazonaws.xray.traceHeader");
        if (trace != null && trace.startsWith("Root=")) {
            int end = trace.indexOf(';');
            fields.put("xray_trace_id", trace.substring("Root=".length(), end < 0 ? trace.length() : end));
        }
        fields.values().removeIf(Objects::isNull);
        return fields;
    }

    /**
     * Environment and input problems are reported together, so one failed run names them all; overrides are applied
     * only to valid settings.
     */
    private Invocation parse(Map<String, Object> event, java.time.Instant now) {
        List<String> problems = new ArrayList<>();
        Settings settings = null;
        RunRequest request = null;
        try {
            settings = SettingsParser.parse(env);
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        }
        try {
            request = RunRequest.parse(event, now);
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        if (request.chain() == null) {
            SweepSettings sweep = request.overrides().applyTo(settings.sweep());
            return withRules(settings, request, sweep);
        }
        // A later run of a chain: a safety net tightened since the chain began applies, tighter than its input. The
        // incomplete uploads were the first run's: it went through them before its objects.
        SweepSettings sweep = request.overrides().yieldingToTighter(settings.sweep()).applyTo(settings.sweep())
                .withoutAbortingUploads();
        if (!request.chain().frontier().isEmpty()) {
            sweep = sweep.withResumeFrontier(request.chain().frontier());
        }
        return withRules(settings, request, sweep);
    }

    /** With RULES: the input applied to each rule, and the rule the run starts with. */
    private static Invocation withRules(Settings settings, RunRequest request, SweepSettings sweep) {
        if (settings.rules().isEmpty()) {
            return new Invocation(settings, request, sweep, List.of(), null);
        }
        List<Rule> rules = request.overrides().applyToRules(settings.rules(), request.chain() != null);
        if (request.chain() != null) {
            // As without rules, a chain's later runs leave incomplete uploads alone: its first run handled them, for
            // every rule it reached (the rules it did not reach have theirs aborted by the next tick's first run).
            rules = rules.stream().map(rule -> new Rule(rule.name(), rule.sweep().withoutAbortingUploads())).toList();
        }
        String chainRule = request.chain() != null ? request.chain().rule() : null;
        if (chainRule != null && rules.stream().noneMatch(rule -> rule.name().equals(chainRule))) {
            throw new InvalidSettingsException(List.of("input field \"chain\".rule=" + io.github.s3sweeper.report.Json
                    .write(chainRule) + ": no such rule in RULES (changed since the chain began); allowed: the name of"
                    + " one of RULES' rules"));
        }
        String startRule = chainRule;
        if (startRule == null && sweep.startAfter() != null) {
            Rule holding = Overrides.resumeRule(rules, sweep.startAfter());
            startRule = holding == null ? null : holding.name();
        }
        return new Invocation(settings, request, sweep, rules, startRule);
    }

    /**
     * The environment's settings, the input, and the settings of this run: the first with the second applied; with
     * RULES, each rule's settings with the input applied, and the rule the run starts with (null: the first).
     */
    private record Invocation(Settings settings, RunRequest request, SweepSettings sweep, List<Rule> rules,
                              String startRule) {
    }
}
