package io.github.s3sweeper.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.config.Overrides;
import io.github.s3sweeper.config.RunRequest;
import io.github.s3sweeper.config.S3Settings;
import io.github.s3sweeper.config.Settings;
import io.github.s3sweeper.config.SettingsParser;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.engine.Budget;
import io.github.s3sweeper.engine.SweepFailedException;
import io.github.s3sweeper.engine.Sweeper;
import io.github.s3sweeper.report.SweepSummary;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The Lambda entry point: reads the settings, runs the engine, returns the summary. A run that did not delete
 * everything it should throws, so Lambda's Errors metric, alarms and retries see it.
 */
public final class SweepHandler implements RequestHandler<Map<String, Object>, SweepSummary> {

    private static final ClientCache SHARED_CLIENTS = new ClientCache(S3ClientFactory::create);

    private final Map<String, String> env;
    private final Clock clock;
    private final Function<S3Settings, S3Client> clients;

    /** Used by the Lambda runtime: the process environment, the system clock, one client per environment. */
    public SweepHandler() {
        this(System.getenv(), Clock.systemUTC(), SHARED_CLIENTS::get);
    }

    public SweepHandler(Map<String, String> env, Clock clock, Function<S3Settings, S3Client> clients) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public SweepSummary handleRequest(Map<String, Object> event, Context context) {
        Invocation invocation;
        try {
            invocation = parse(event);
        } catch (InvalidSettingsException e) {
            context.getLogger().log(e.getMessage(), LogLevel.ERROR);
            throw e;
        }
        Settings settings = invocation.settings();
        RunRequest request = invocation.request();
        SweepSettings sweep = invocation.sweep();
        RunLog log = new RunLog(context.getLogger(), sweep.dryRun());
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("trigger", request.trigger());
        start.put("bucket", sweep.bucket());
        start.put("prefix", sweep.prefix());
        start.put("olderThan", sweep.age().iso());
        start.put("dryRun", sweep.dryRun());
        start.put("overrides", request.overrides() != Overrides.NONE);
        log.event(LogLevel.INFO, "start", start);

        Budget budget = Budget.ofRemaining(context.getRemainingTimeInMillis(), System::nanoTime);
        Sweeper sweeper = new Sweeper(clients.apply(settings.s3()), clock, sweep, log, budget);
        try {
            SweepSummary summary = sweeper.run();
            log.summary(summary, summary.complete() ? LogLevel.INFO : LogLevel.WARN);
            return summary;
        } catch (SweepFailedException e) {
            log.summary(e.summary(), LogLevel.ERROR);
            throw e;
        }
    }

    /**
     * Environment and input problems are reported together, so one failed run names them all; overrides are applied
     * only to valid settings.
     */
    private Invocation parse(Map<String, Object> event) {
        List<String> problems = new ArrayList<>();
        Settings settings = null;
        RunRequest request = null;
        try {
            settings = SettingsParser.parse(env);
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        }
        try {
            request = RunRequest.parse(event);
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new Invocation(settings, request, request.overrides().applyTo(settings.sweep()));
    }

    /** The environment's settings, the input, and the settings of this run: the first with the second applied. */
    private record Invocation(Settings settings, RunRequest request, SweepSettings sweep) {
    }
}
